"""The demo-data generator: deterministic, complete, messy, and knows the truth."""

from __future__ import annotations

import csv
import hashlib
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
            assert number in (old, new), row
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
