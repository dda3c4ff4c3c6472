"""The demo-data generator: deterministic, complete, messy, and knows the truth."""

from __future__ import annotations

import csv
import hashlib
import re
import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from cdp.contract import LOADED_AT, RAW_TABLES
from cdp.generate import TRUTH_TABLES, generate


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.csv"))
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(300, seed=7, out_dir=tmp_path_factory.mktemp("gen") / "a", progress=False)


def test_same_seed_gives_the_same_bytes_whatever_the_worker_count(generated, tmp_path):
    again = generate(300, seed=7, out_dir=tmp_path / "b", workers=2, progress=False)
    assert _digest(generated) == _digest(again)


def test_chunking_does_not_change_the_data(tmp_path, monkeypatch):
    """Chunks have their own seeded RNG; one worker or two, the files are the same."""
    one = generate(2_500, seed=3, out_dir=tmp_path / "one", workers=1, progress=False)
    two = generate(2_500, seed=3, out_dir=tmp_path / "two", workers=2, progress=False)
    assert _digest(one) == _digest(two)


def test_different_seed_gives_different_data(generated, tmp_path):
    other = generate(300, seed=8, out_dir=tmp_path / "c", progress=False)
    assert _digest(generated) != _digest(other)


def test_every_contract_table_has_its_columns_and_rows(generated):
    for table, columns in RAW_TABLES.items():
        files = sorted((generated / table).glob("*.csv"))
        assert files, table
        header = files[0].read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [*columns, LOADED_AT], table
        rows = sum(len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in files)
        assert rows > 0, f"{table} is empty at 300 customers"


def test_truth_is_written_beside_the_raw_tables(generated):
    for table in TRUTH_TABLES:
        assert list((generated / "truth" / table).glob("*.csv")), table


def test_the_mess_real_data_has_is_there(generated):
    text = {
        t: "\n".join(p.read_text(encoding="utf-8") for p in (generated / t).glob("*.csv"))
        for t in RAW_TABLES
    }
    assert "test@test.com" in text["shop_customers"] + text["shop_orders"]
    assert "+0530" in text["web_events"] or "+05:30" in text["web_events"], "UTC offsets"
    assert "00" in text["crm_contacts"] and "(" in text["crm_contacts"] + text["shop_orders"]
    assert any(line.startswith(" ") or "  " in line for line in text["crm_contacts"].splitlines())
    for currency in ("EUR", "GBP", "USD"):
        assert currency in text["pos_transactions"] + text["shop_orders"], currency
    for spelling in ("opt_in", "OPT_OUT", "withdrawn"):
        assert spelling.lower() in text["consent_events"].lower(), spelling


def test_rejects_an_empty_population(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        generate(0, seed=1, out_dir=tmp_path / "x", progress=False)


# --- a live shop's data set: time, purchasing and identities -------------------------------
# Expected answers are written from the brief and from how shops and people behave, not
# read off the generator: its "today" is 2025-12-31 (the last extract at 23:59 UTC).

TODAY_END = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
BUSINESS_TIMESTAMPS = {
    "crm_contacts": ("created_at", "updated_at"),
    "shop_customers": ("created_at", "updated_at"),
    "shop_orders": ("ordered_at",),
    "pos_transactions": ("transacted_at",),
    "loyalty_members": ("enrolled_at", "updated_at"),
    "web_events": ("occurred_at", "received_at"),
    "email_activity": ("occurred_at",),
    "support_tickets": ("created_at",),
    "returns": ("returned_at",),
    "consent_events": ("occurred_at",),
    "privacy_requests": ("received_at",),
    "enrichment_demographics": ("acquired_at",),
    "survey_responses": ("submitted_at",),
    "social_profiles": ("updated_at",),
}
# how close to the end each source's latest event must be: busy sources within two days,
# sparse ones (a few percent of people answer a survey or open a ticket, 1% file a privacy
# request) and monthly batches later
LATEST_EVENT_WITHIN_DAYS = {
    "support_tickets": 14,
    "survey_responses": 14,
    "social_profiles": 14,
    "privacy_requests": 60,
    "enrichment_demographics": 32,
}


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    rows = []
    for part in sorted((folder / table).glob("*.csv")):
        with part.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def _utc(text: str) -> datetime | None:
    """ISO-8601 as delivered (Z, +hh:mm, +hhmm or no offset = UTC); None if unparseable."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _digits(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    """A data set large enough for shares: 3,000 persons."""
    return generate(3_000, seed=5, out_dir=tmp_path_factory.mktemp("shop"), progress=False)


@pytest.fixture(scope="module")
def truth(shop) -> dict:
    persons = {row["person_id"]: row for row in _rows(shop / "truth", "persons")}
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows(shop / "truth", "identifiers"):
        owners[row["identifier_type"], row["identifier_value"]].add(row["person_id"])
    records = {
        (row["source_table"], row["record_key"]): row["person_id"]
        for row in _rows(shop / "truth", "records")
    }
    return {"persons": persons, "owners": owners, "records": records}


def test_no_row_lands_before_it_happened_or_after_the_last_extract(shop):
    checked = unparseable = 0
    for table, columns in BUSINESS_TIMESTAMPS.items():
        for row in _rows(shop, table):
            landed = datetime.fromisoformat(row[LOADED_AT]).replace(tzinfo=UTC)
            assert landed <= TODAY_END, (table, row)
            for column in columns:
                happened = _utc(row[column])
                if happened is None:
                    unparseable += 1
                    continue
                checked += 1
                assert happened <= landed, (table, column, row)
    assert checked > 50_000
    assert unparseable < checked * 0.002  # the deliberate rare garbage, nothing more


def test_every_source_runs_up_to_the_last_days_and_nothing_happens_after(shop):
    for table, columns in BUSINESS_TIMESTAMPS.items():
        times = [t for row in _rows(shop, table) if (t := _utc(row[columns[0]])) is not None]
        assert max(times) <= TODAY_END, table
        days = LATEST_EVENT_WITHIN_DAYS.get(table, 2)
        assert max(times) >= TODAY_END - timedelta(days=days), (table, max(times))


def _purchase_days(shop: Path, truth: dict) -> dict[str, list[date]]:
    """Each true person's purchase days: non-cancelled shop orders and store sales."""
    ordered: dict[str, date] = {}
    cancelled = set()
    for row in _rows(shop, "shop_orders"):
        if row["status"].strip().lower() == "cancelled":
            cancelled.add(row["order_id"])
        if (when := _utc(row["ordered_at"])) is not None:
            ordered[row["order_id"]] = when.date()
    days: dict[str, set[date]] = defaultdict(set)
    for order_id, day in ordered.items():
        if order_id not in cancelled:
            days[truth["records"]["shop_orders", order_id]].add(day)
    for row in _rows(shop, "pos_transactions"):
        if (when := _utc(row["transacted_at"])) is not None:
            person = truth["records"]["pos_transactions", row["transaction_id"]]
            days[person].add(when.date())
    return {person: sorted(d) for person, d in days.items()}


def test_purchasing_looks_like_a_retailers_customer_base(shop, truth):
    days = _purchase_days(shop, truth)
    buyers = len(days)
    today = TODAY_END.date()
    assert 0.4 < buyers / len(truth["persons"]) < 0.75
    lapsed = sum(1 for d in days.values() if d[-1] < today - timedelta(days=365))
    assert 0.15 < lapsed / buyers < 0.5, "a minority has not bought for a year"
    repeat = sum(1 for d in days.values() if len(d) >= 2)
    assert 0.35 < repeat / buyers < 0.75, "a healthy share buys again"
    # a steady stream of new buyers: every quarter brings at least half the average
    firsts = Counter((d[0].year, (d[0].month - 1) // 3) for d in days.values())
    assert len(firsts) == 12
    assert min(firsts.values()) > 0.5 * buyers / 12
    # people drop out at some point, others keep buying: of those who started in 2023,
    # some bought nothing in 2025 and some still did
    early = [d for d in days.values() if d[0].year == 2023]
    still_buying = sum(1 for d in early if d[-1].year == 2025) / len(early)
    assert 0.15 < still_buying < 0.85
    # purchase rates differ between people: among the early buyers still buying, the
    # counts are overdispersed (a common Poisson rate would give variance = mean)
    counts = [len(d) for d in early if d[-1].year == 2025]
    assert statistics.variance(counts) > 2 * statistics.mean(counts)
    # Black Friday and Christmas: a November-December day is busier than a February day
    per_month = Counter(day.month for d in days.values() for day in d)
    december_day = (per_month[11] + per_month[12]) / (3 * 61)
    february_day = per_month[2] / (3 * 28 + 1)  # 2024 is a leap year
    assert december_day > 1.2 * february_day


def test_about_a_tenth_have_a_work_email_used_on_some_records(shop, truth):
    persons = truth["persons"]
    work = {row["work_email"]: pid for pid, row in persons.items() if row["work_email"]}
    assert 0.07 < len(work) / len(persons) < 0.13
    personal = {row["email"] for row in persons.values() if row["email"]}
    assert not work.keys() & personal
    for email, person in work.items():
        assert truth["owners"]["email", email] == {person}, email
    email_columns = {
        "crm_contacts": ("contact_id", "email"),
        "loyalty_members": ("loyalty_id", "email"),
        "support_tickets": ("ticket_id", "email"),
        "web_events": ("event_id", "email"),
        "shop_customers": ("customer_id", "email"),
        "shop_orders": ("order_id", "email"),
    }
    used_by = defaultdict(set)
    for table, (key, column) in email_columns.items():
        for row in _rows(shop, table):
            email = row[column].strip().lower()
            if email in work:
                assert truth["records"][table, row[key]] == work[email], (table, row)
                used_by[table].add(work[email])
    for table in ("crm_contacts", "loyalty_members", "support_tickets", "web_events"):
        assert used_by[table], f"no work email on {table}"
    assert not used_by["shop_customers"] and not used_by["shop_orders"], (
        "the shop keeps the personal one"
    )
    assert len(set().union(*used_by.values())) > 0.3 * len(work)


def test_some_register_a_second_account_with_a_new_email_and_the_same_mobile(shop, truth):
    accounts: dict[str, dict[str, tuple[set[str], set[str]]]] = defaultdict(dict)
    for row in _rows(shop, "shop_customers"):
        person = truth["records"]["shop_customers", row["customer_id"]]
        emails, phones = accounts[person].setdefault(row["customer_id"], (set(), set()))
        if "@" in row["email"]:
            emails.add(row["email"].strip().lower())
        if _digits(row["phone"]):
            phones.add(_digits(row["phone"])[-9:])
    new_email = 0
    for person, by_account in accounts.items():
        if len(by_account) != 2:
            continue
        (emails_1, phones_1), (emails_2, phones_2) = by_account.values()
        if not emails_1 or not emails_2 or emails_1 & emails_2:
            continue
        new_email += 1
        for email in emails_1 | emails_2:
            if email != "test@test.com" and truth["owners"].get(("email", email)):
                assert person in truth["owners"]["email", email], email
        if not truth["persons"][person]["new_phone"]:
            assert phones_1 & phones_2, (person, phones_1, phones_2)
    assert new_email >= 3


def test_some_change_their_mobile_once(shop, truth):
    persons = truth["persons"]
    with_phone = [row for row in persons.values() if row["phone"]]
    changed = {pid: row for pid, row in persons.items() if row["new_phone"]}
    assert 0.02 < len(changed) / len(with_phone) < 0.1
    for pid, row in changed.items():
        assert truth["owners"]["phone", row["new_phone"]] == {pid}
        assert row["new_phone"] != row["phone"]
    # on orders and store sales, the old number is only seen before the new one
    mobiles = {row[column][-9:] for row in persons.values() for column in ("phone", "new_phone")}
    seen: dict[str, dict[str, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    for table, key, column in (
        ("shop_orders", "order_id", "ordered_at"),
        ("pos_transactions", "transaction_id", "transacted_at"),
    ):
        for row in _rows(shop, table):
            person = truth["records"][table, row[key]]
            when = _utc(row[column])
            if person not in changed or when is None or not _digits(row["phone"]):
                continue
            old = changed[person]["phone"][-9:]
            new = changed[person]["new_phone"][-9:]
            number = _digits(row["phone"])[-9:]
            if number not in (old, new):  # not a mobile: the shop's hotline, typed by some
                assert number not in mobiles, row
                continue
            seen[person]["old" if number == old else "new"].append(when)
    both = [s for s in seen.values() if s["old"] and s["new"]]
    assert both, "nobody was seen with both numbers"
    for numbers in both:
        assert max(numbers["old"]) < min(numbers["new"])


def test_households_share_a_landline(truth):
    persons = truth["persons"]
    shared = [
        owners
        for (kind, _), owners in truth["owners"].items()
        if kind == "phone" and len(owners) > 1
    ]
    households = [o for o in shared if all(persons[p]["household_id"] for p in o)]
    assert households
    for owners in households:
        assert 2 <= len(owners) <= 4
        assert len({persons[p]["last_name"] for p in owners}) == 1


# --- realism: addresses, numbers, households, stores, and words that fit -------------------
# Formats written by hand from each country's postal system, not read off the generator.

POSTAL_CODE_FORMATS = {
    "DE": r"\d{5}",  # Deutsche Post: five digits
    "FR": r"\d{5}",  # La Poste: five digits
    "IT": r"\d{5}",  # Poste Italiane CAP: five digits, leading zeros kept (Roma 00185)
    "ES": r"(0[1-9]|[1-4]\d|5[0-2])\d{3}",  # Correos: province 01-52, then three digits
    "US": r"\d{5}(-\d{4})?",  # USPS ZIP or ZIP+4
    "AT": r"[1-9]\d{3}",  # Österreichische Post: four digits
    "CH": r"[1-9]\d{3}",  # Swiss Post: four digits
    "NL": r"[1-9]\d{3} ?(?!SA|SD|SS)[A-EGHJ-NPRSTV-Z]{2}",  # PostNL: 1234 AB
    "SE": r"[1-9]\d{2} ?\d{2}",  # PostNord: 123 45
    "PL": r"\d{2}-\d{3}",  # Poczta Polska: 12-345
    "GB": r"[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}",  # Royal Mail: SW1A 1AA
    "CA": r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d",  # K1A 0B1
}
# where in the country's code system each city lies (first characters of its codes)
CITY_POSTAL_PREFIXES = {
    "Berlin": r"1[0-4]", "Hamburg": r"2[0-2]", "München": r"8[01]", "Köln": r"5[01]",
    "London": r"(E|EC|N|NW|SE|SW|W|WC)\d", "Manchester": r"M\d", "Leeds": r"LS\d",
    "Paris": r"75", "Lyon": r"69", "Marseille": r"13",
    "New York": r"1[01]", "Chicago": r"606", "Austin": r"787",
    "Amsterdam": r"1[01]", "Utrecht": r"35", "Rotterdam": r"30",
    "Roma": r"001", "Milano": r"201", "Torino": r"101",
    "Madrid": r"28", "Barcelona": r"08", "Valencia": r"46",
    "Stockholm": r"1[01]", "Göteborg": r"4[01]", "Malmö": r"2[01]",
    "Wien": r"1[0-2]", "Graz": r"80", "Linz": r"40",
    "Zürich": r"80", "Genève": r"12", "Basel": r"40",
    "Warszawa": r"0[0-4]", "Kraków": r"3[01]", "Gdańsk": r"80",
    "Toronto": r"M", "Montréal": r"H", "Vancouver": r"V",
}  # fmt: skip
# country-code top-level domains of personal email providers (generic ones fit anyone)
COUNTRY_TLDS = {
    "de": "DE", "at": "AT", "ch": "CH", "fr": "FR", "it": "IT", "es": "ES", "nl": "NL",
    "se": "SE", "pl": "PL", "ca": "CA", "uk": "GB",
}  # fmt: skip


def test_every_postal_code_fits_its_country_and_city(shop, truth):
    checked = Counter()
    for row in _keyed_contacts(shop):
        person = truth["persons"][truth["records"]["crm_contacts", row["contact_id"]]]
        country, code = person["country"], row["postal_code"]
        assert re.fullmatch(POSTAL_CODE_FORMATS[country], code), (country, row)
        assert re.match(CITY_POSTAL_PREFIXES[row["city"]], code), (row["city"], code)
        checked[country] += 1
    assert set(checked) == set(POSTAL_CODE_FORMATS), "every country of the generator"


def test_the_format_check_refuses_the_slips_it_is_for():
    """5 digits in Graz, a German code in London, a Dutch code with SA."""
    assert not re.fullmatch(POSTAL_CODE_FORMATS["AT"], "80101")
    assert not re.fullmatch(POSTAL_CODE_FORMATS["GB"], "10115")
    assert not re.fullmatch(POSTAL_CODE_FORMATS["NL"], "1011 SA")
    assert re.fullmatch(POSTAL_CODE_FORMATS["NL"], "1011 AB")
    assert not re.match(CITY_POSTAL_PREFIXES["Graz"], "1010")


def test_names_addresses_and_numbers_fit_the_persons_country(truth):
    """A person's email provider, mobile and landline belong to the person's country
    (libphonenumber's numbering plans: a valid mobile, a valid landline)."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    mobile = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
    landline = {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
    persons = truth["persons"]
    for person in persons.values():
        domain = person["email"].rpartition(".")[2]
        if domain in COUNTRY_TLDS:
            assert COUNTRY_TLDS[domain] == person["country"], person
        for column in ("phone", "new_phone"):
            if person[column]:
                number = phonenumbers.parse(person[column])
                assert phonenumbers.is_valid_number(number), person
                assert phonenumbers.region_code_for_number(number) == person["country"], person
                assert phonenumbers.number_type(number) in mobile, person
    households = defaultdict(list)
    for pid, person in persons.items():
        if person["household_id"]:
            households[person["household_id"]].append(pid)
    landlines = 0
    for (kind, value), owners in truth["owners"].items():
        household = persons[next(iter(owners))]["household_id"]
        if kind != "phone" or not household or owners != set(households[household]):
            continue  # not a number every member of one household gives
        if any(value in (persons[p]["phone"], persons[p]["new_phone"]) for p in owners):
            continue  # a member's own mobile
        number = phonenumbers.parse(value)
        country = persons[next(iter(owners))]["country"]
        assert phonenumbers.is_valid_number(number), value
        assert phonenumbers.region_code_for_number(number) == country, value
        assert phonenumbers.number_type(number) in landline, value
        landlines += 1
    assert landlines >= 0.9 * len(households)


def test_a_household_is_one_family_at_one_address(shop, truth):
    """Members share one household id, country, family name and address, and their
    first names are ones of that country's persons (no Swedish name on a Dutch address)."""
    persons = truth["persons"]
    members = defaultdict(list)
    for person in persons.values():
        if person["household_id"]:
            members[person["household_id"]].append(person)
    assert 0.05 < sum(len(m) for m in members.values()) / len(persons) < 0.12
    first_names_of = defaultdict(Counter)
    for person in persons.values():
        if not person["household_id"]:
            first_names_of[person["country"]][person["first_name"]] += 1
    address = {}
    for row in _keyed_contacts(shop):
        person = persons[truth["records"]["crm_contacts", row["contact_id"]]]
        address[person["person_id"]] = (row["city"], row["postal_code"])  # the latest wins
    shared_address = 0
    for household in members.values():
        assert len({(p["country"], p["last_name"]) for p in household}) == 1, household
        for person in household:
            assert first_names_of[person["country"]][person["first_name"]], person
        known = {address[p["person_id"]] for p in household if p["person_id"] in address}
        if len([p for p in household if p["person_id"] in address]) >= 2:
            shared_address += 1
            assert len(known) == 1, household
    assert shared_address > 0


def test_people_buy_in_their_own_countrys_stores_and_enrol_where_they_can(shop, truth):
    """Store sales are paid in the person's own currency (a shop abroad is rare); a store's
    number typed on a loyalty card belongs to a person who bought in a store, and those who
    enrolled at a till did so at their first store purchase."""
    currency = {
        "DE": "EUR", "AT": "EUR", "FR": "EUR", "IT": "EUR", "ES": "EUR", "NL": "EUR",
        "GB": "GBP", "US": "USD", "SE": "SEK", "CH": "CHF", "PL": "PLN", "CA": "CAD",
    }  # fmt: skip
    persons = truth["persons"]
    first_store_sale: dict[str, datetime] = {}
    sales = at_home = 0
    for row in _rows(shop, "pos_transactions"):
        person = persons[truth["records"]["pos_transactions", row["transaction_id"]]]
        sales += 1
        at_home += row["currency"] == currency[person["country"]]
        when = _utc(row["transacted_at"])
        if when is not None:
            pid = person["person_id"]
            first_store_sale[pid] = min(first_store_sale.get(pid, when), when)
    assert at_home / sales > 0.95
    own_numbers = defaultdict(set)
    for pid, person in persons.items():
        own_numbers[pid] |= {person["phone"][-9:], person["new_phone"][-9:]} - {""}
    for (kind, value), owners in truth["owners"].items():
        if kind == "phone":
            for pid in owners:
                if persons[pid]["household_id"]:
                    own_numbers[pid].add(value[-9:])
    members = store_number_cards = 0
    for row in _rows(shop, "loyalty_members"):
        pid = truth["records"]["loyalty_members", row["loyalty_id"]]
        members += 1
        typed = _digits(row["phone"])[-9:]
        if typed and typed not in own_numbers[pid]:  # not the person's: the store's
            store_number_cards += 1
            assert pid in first_store_sale, row
        enrolled = _utc(row["enrolled_at"])
        if pid in first_store_sale and enrolled is not None:
            assert enrolled <= first_store_sale[pid] + timedelta(minutes=1), row
    assert store_number_cards > 0 and members > 0


def test_what_people_write_fits_what_happened(shop, truth):
    """Praise comes with a high score and complaints with a low one; a ticket about a
    delivery follows a purchase; a call leaves a number, an email or chat an address;
    a data firm's age band mostly fits the birth date."""
    praise = ("Great service", "Fast delivery", "Love the quality")
    complaints = ("Too expensive", "Delivery was late", "Sizes run small")
    comments = 0
    for row in _rows(shop, "survey_responses"):
        if row["comment"]:
            comments += 1
            assert row["comment"] in praise + complaints, row
            assert (
                int(row["nps_score"]) >= 9
                if row["comment"] in praise
                else int(row["nps_score"]) <= 6
            ), row
    assert comments > 20
    days = defaultdict(list)  # every order (a cancelled one too) and store sale
    for table, key, column in (
        ("shop_orders", "order_id", "ordered_at"),
        ("pos_transactions", "transaction_id", "transacted_at"),
    ):
        for row in _rows(shop, table):
            if (when := _utc(row[column])) is not None:
                days[truth["records"][table, row[key]]].append(when.date())
    for row in _rows(shop, "support_tickets"):
        if row["channel"] == "phone":
            assert not row["email"], row
        else:
            assert row["channel"] in ("email", "chat") and row["email"], row
        if row["category"] in ("delivery", "returns"):
            when = _utc(row["created_at"])
            bought = days.get(truth["records"]["support_tickets", row["ticket_id"]], [])
            assert when is None or any(day <= when.date() for day in bought), row
    births = {}
    for row in _keyed_contacts(shop):
        if row["birth_date"]:
            pid = truth["records"]["crm_contacts", row["contact_id"]]
            births[truth["persons"][pid]["email"]] = date.fromisoformat(row["birth_date"])
    fits = total = 0
    for email, born in births.items():
        if not email:
            continue
        digest = hashlib.sha256(email.encode()).hexdigest()
        for row in _enrichment_by_digest(shop).get(digest, []):
            acquired = _utc(row["acquired_at"])
            age = (
                acquired.year
                - born.year
                - ((acquired.month, acquired.day) < (born.month, born.day))
            )
            low, high = AGE_BANDS[row["age_band"]]
            fits += low <= age <= high
            total += 1
    assert total > 50 and fits / total > 0.8


AGE_BANDS = {
    "18-24": (18, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54),
    "55-64": (55, 64), "65+": (65, 200),
}  # fmt: skip
_ENRICHMENT: dict[Path, dict[str, list[dict[str, str]]]] = {}


def _enrichment_by_digest(shop: Path) -> dict[str, list[dict[str, str]]]:
    if shop not in _ENRICHMENT:
        rows = defaultdict(list)
        for row in _rows(shop, "enrichment_demographics"):
            rows[row["email_sha256"]].append(row)
        _ENRICHMENT[shop] = rows
    return _ENRICHMENT[shop]


def _keyed_contacts(shop: Path) -> list[dict[str, str]]:
    """CRM rows with their key (a few deliberately lack it: nobody can tell whose)."""
    return [row for row in _rows(shop, "crm_contacts") if row["contact_id"]]
