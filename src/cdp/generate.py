"""Synthetic, messy, multi-source retail data for the raw landing contract.

The output is a pure function of ``(seed, customers)``: persons are generated in
fixed-size chunks, each with its own ``random.Random`` seeded from the seed and
the chunk number, so the bytes do not depend on the number of worker processes.

The generator knows the truth. Besides the 16 raw tables it writes
``truth/identifiers`` (which true person each normalized identifier belongs to;
shared ones, such as a household phone, belong to several) and
``truth/records`` (which true person each source record belongs to), so the
stitching can be scored. No dbt model reads them.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import uuid
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cdp.contract import LOADED_AT, RAW_TABLES

CHUNK_SIZE = 2_000
EPOCH_START = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp())
EPOCH_END = int(datetime(2025, 12, 31, 23, 59, tzinfo=UTC).timestamp())
DAY = 86_400

TRUTH_TABLES: dict[str, tuple[str, ...]] = {
    "persons": (
        "person_id",
        "household_id",
        "first_name",
        "last_name",
        "country",
        "email",
        "phone",
    ),
    "identifiers": ("identifier_type", "identifier_value", "person_id"),
    "records": ("source_table", "record_key", "person_id"),
}

# country: (weight, dialing code, trunk prefix, currency, mobile prefix, nsn length, domains)
COUNTRIES: dict[str, tuple] = {
    "DE": (25, "49", "0", "EUR", "15", 11, ("gmx.de", "web.de", "gmail.com", "t-online.de")),
    "GB": (14, "44", "0", "GBP", "7", 10, ("gmail.com", "outlook.com", "btinternet.com")),
    "FR": (11, "33", "0", "EUR", "6", 9, ("orange.fr", "gmail.com", "free.fr")),
    "US": (12, "1", "1", "USD", "", 10, ("gmail.com", "yahoo.com", "outlook.com")),
    "NL": (7, "31", "0", "EUR", "6", 9, ("ziggo.nl", "gmail.com", "kpnmail.nl")),
    "IT": (6, "39", "", "EUR", "3", 10, ("libero.it", "gmail.com", "tim.it")),
    "ES": (6, "34", "", "EUR", "6", 9, ("gmail.com", "telefonica.es", "hotmail.es")),
    "SE": (6, "46", "0", "SEK", "7", 9, ("gmail.com", "telia.se", "bredband.net")),
    "AT": (4, "43", "0", "EUR", "66", 10, ("gmx.at", "gmail.com", "a1.net")),
    "CH": (3, "41", "0", "CHF", "7", 9, ("bluewin.ch", "gmail.com", "gmx.ch")),
    "PL": (3, "48", "", "PLN", "5", 9, ("wp.pl", "gmail.com", "onet.pl")),
    "CA": (3, "1", "1", "CAD", "", 10, ("gmail.com", "rogers.com", "shaw.ca")),
}
COUNTRY_CODES = list(COUNTRIES)
COUNTRY_WEIGHTS = [COUNTRIES[c][0] for c in COUNTRY_CODES]
COUNTRY_SPELLINGS = {
    "DE": ("DE", "de", "Germany", "DEU", "Deutschland"),
    "GB": ("GB", "UK", "United Kingdom", "gb", "GBR"),
    "FR": ("FR", "France", "fr", "FRA"),
    "US": ("US", "USA", "United States", "us"),
    "NL": ("NL", "Netherlands", "nl", "Holland"),
    "IT": ("IT", "Italy", "it", "Italia"),
    "ES": ("ES", "Spain", "es", "España"),
    "SE": ("SE", "Sweden", "se", "Sverige"),
    "AT": ("AT", "Austria", "at", "Österreich"),
    "CH": ("CH", "Switzerland", "ch", "Schweiz"),
    "PL": ("PL", "Poland", "pl", "Polska"),
    "CA": ("CA", "Canada", "ca", "CAN"),
}
FIRST_NAMES = {
    "DE": ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Jürgen", "Lena"),
    "GB": ("Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Noah", "Grace"),
    "FR": ("Louis", "Emma", "Gabriel", "Jade", "Léo", "Louise", "Hugo", "Chloé", "Jules", "Inès"),
    "US": ("James", "Olivia", "Liam", "Mia", "Ethan", "Harper", "Mason", "Ella", "Logan", "Avery"),
    "NL": ("Daan", "Julia", "Sem", "Tess", "Finn", "Sara", "Levi", "Nora", "Luuk", "Fleur"),
    "IT": (
        "Leonardo",
        "Sofia",
        "Francesco",
        "Giulia",
        "Tommaso",
        "Aurora",
        "Marco",
        "Chiara",
        "Luca",
        "Alice",
    ),
    "ES": (
        "Hugo",
        "Lucía",
        "Mateo",
        "Martina",
        "Pablo",
        "Paula",
        "Álvaro",
        "Carmen",
        "Diego",
        "Elena",
    ),
    "SE": ("William", "Alice", "Elias", "Maja", "Lucas", "Ella", "Hugo", "Wilma", "Oscar", "Saga"),
    "AT": (
        "Maximilian",
        "Hannah",
        "David",
        "Laura",
        "Tobias",
        "Katharina",
        "Simon",
        "Lisa",
        "Florian",
        "Julia",
    ),
    "CH": ("Noah", "Mia", "Luca", "Emma", "Leon", "Lina", "Matteo", "Elena", "Gian", "Nina"),
    "PL": (
        "Jakub",
        "Zuzanna",
        "Antoni",
        "Hanna",
        "Jan",
        "Julia",
        "Szymon",
        "Maja",
        "Filip",
        "Lena",
    ),
    "CA": (
        "Liam",
        "Charlotte",
        "Noah",
        "Olivia",
        "William",
        "Emma",
        "Benjamin",
        "Chloé",
        "Thomas",
        "Léa",
    ),
}
LAST_NAMES = {
    "DE": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"),
    "GB": ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "O'Brien"),
    "FR": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"),
    "US": ("Johnson", "Miller", "Garcia", "Davis", "Rodriguez", "Martinez", "Lee", "Walker"),
    "NL": ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer"),
    "IT": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
    "ES": ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez"),
    "SE": (
        "Andersson",
        "Johansson",
        "Karlsson",
        "Nilsson",
        "Eriksson",
        "Larsson",
        "Olsson",
        "Persson",
    ),
    "AT": ("Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Mayer"),
    "CH": ("Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Meyer"),
    "PL": (
        "Nowak",
        "Kowalski",
        "Wiśniewski",
        "Wójcik",
        "Kowalczyk",
        "Kamiński",
        "Lewandowski",
        "Zieliński",
    ),
    "CA": ("Smith", "Brown", "Tremblay", "Martin", "Roy", "Wilson", "MacDonald", "Gagnon"),
}
CITIES = {
    "DE": ("Berlin", "Hamburg", "München", "Köln"),
    "GB": ("London", "Manchester", "Leeds"),
    "FR": ("Paris", "Lyon", "Marseille"),
    "US": ("New York", "Chicago", "Austin"),
    "NL": ("Amsterdam", "Utrecht", "Rotterdam"),
    "IT": ("Roma", "Milano", "Torino"),
    "ES": ("Madrid", "Barcelona", "Valencia"),
    "SE": ("Stockholm", "Göteborg", "Malmö"),
    "AT": ("Wien", "Graz", "Linz"),
    "CH": ("Zürich", "Genève", "Basel"),
    "PL": ("Warszawa", "Kraków", "Gdańsk"),
    "CA": ("Toronto", "Montréal", "Vancouver"),
}
BRANDS = ("alder", "birch")
CATEGORIES = ("shoes", "outerwear", "knitwear", "accessories", "denim", "home")
WEB_EVENT_TYPES = ("page_view", "product_view", "add_to_cart")
EMAIL_DOMAINS_ASCII = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "é": "e",
        "è": "e",
        "á": "a",
        "à": "a",
        "í": "i",
        "ó": "o",
        "ú": "u",
        "ñ": "n",
        "ś": "s",
        "ń": "n",
        "ł": "l",
        "ż": "z",
        "ź": "z",
        "ć": "c",
        "ę": "e",
        "ą": "a",
        "ç": "c",
        "ô": "o",
        "ë": "e",
        "ï": "i",
        " ": "",
        "'": "",
    }
)
CONSENT_PURPOSES = (
    "email_marketing",
    "sms_marketing",
    "personalization",
    "analytics",
    "third_party_sharing",
)
STATUS_SPELLINGS = {
    "granted": ("granted", "GRANTED", "Granted", "opt_in", "OPT_IN"),
    "denied": ("denied", "DENIED", "withdrawn", "Withdrawn", "opt_out", "OPT_OUT"),
}
STORE_COUNT = 40
PRODUCT_COUNT = 240


@dataclass
class Person:
    index: int
    person_id: str
    country: str
    first_name: str
    last_name: str
    email: str | None
    phone_nsn: str | None
    birth_date: str | None
    city: str
    postal_code: str
    first_seen: int
    household_phone: str | None = None
    brands: tuple[str, ...] = ()
    shop_ids: list[str] = field(default_factory=list)
    loyalty_id: str | None = None
    anonymous_ids: list[str] = field(default_factory=list)


class ChunkWriter:
    """Collects one chunk's rows per table, then writes them as CSV part files."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {t: [] for t in RAW_TABLES}
        self.truth: dict[str, list[tuple]] = {t: [] for t in TRUTH_TABLES}

    def raw(self, table: str, loaded_at: str, *values) -> None:
        self.rows[table].append((*values, loaded_at))

    def owns(self, person: Person, identifier_type: str, value: str | None) -> None:
        if value:
            self.truth["identifiers"].append((identifier_type, value, person.person_id))

    def record(self, table: str, key: str, person: Person) -> None:
        self.truth["records"].append((table, key, person.person_id))

    def write(self, out_dir: Path, chunk: int) -> None:
        for table, columns in RAW_TABLES.items():
            _write_csv(
                out_dir / table / f"part-{chunk:05d}.csv", (*columns, LOADED_AT), self.rows[table]
            )
        for table, columns in TRUTH_TABLES.items():
            rows = sorted(set(self.truth[table])) if table != "persons" else self.truth[table]
            _write_csv(out_dir / "truth" / table / f"part-{chunk:05d}.csv", columns, rows)


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterable[tuple]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)  # None is written as an empty field


# --- formatting helpers: the mess of real landing data ----------------------------------


def randint(rng: random.Random, low: int, high: int) -> int:
    """Like rng.randint, several times faster (it was a hot spot)."""
    return low + int(rng.random() * (high - low + 1))


_DATES: dict[int, str] = {}


def _date_text(day: int) -> str:
    text = _DATES.get(day)
    if text is None:
        text = _DATES[day] = (datetime(1970, 1, 1) + timedelta(days=day)).strftime("%Y-%m-%d")
    return text


def _timestamp_text(ts: int, separator: str = " ") -> str:
    """Faster than strftime, which dominated the generator's profile."""
    day, seconds = divmod(ts, DAY)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_date_text(day)}{separator}{hours:02d}:{minutes:02d}:{seconds:02d}"


OFFSETS = ((60, "+01:00"), (120, "+02:00"), (-300, "-05:00"), (330, "+0530"), (-480, "-0800"))


def iso(ts: int, rng: random.Random, mess: float = 0.0) -> str:
    """A UTC instant as an ISO-8601 string, in one of the spellings EL tools deliver."""
    if mess and rng.random() < mess:
        return rng.choice(("2024-13-45T10:00:00", "not a date", "31/12/2024 10:00", "0000-00-00"))
    style = rng.random()
    if style < 0.45:
        return _timestamp_text(ts, "T") + "Z"
    if style < 0.75:
        return _timestamp_text(ts)
    minutes, suffix = OFFSETS[int(rng.random() * len(OFFSETS))]
    return _timestamp_text(ts + minutes * 60, "T") + suffix


def loaded(ts: int, rng: random.Random, lag_hours: float = 6.0) -> str:
    """Landing time: some minutes to hours after the business event, never before it
    (events after EPOCH_END land after them too: a row cannot carry what had not happened)."""
    lag = int(rng.random() * lag_hours * 3600) + 60
    return _timestamp_text(ts + lag)


def messy_email(email: str | None, rng: random.Random, invalid_rate: float = 0.01) -> str | None:
    if email is None:
        return None
    roll = rng.random()
    if roll < invalid_rate:
        local, _, domain = email.partition("@")
        return rng.choice(
            (
                f"{local}@",
                f"{local}@@{domain}",
                f"{local}.{domain}",
                f"{local}@{domain.split('.')[0]}",
            )
        )
    if roll < 0.2:
        return f"  {email.upper()} "
    if roll < 0.35:
        local, _, domain = email.partition("@")
        return f"{local.title()}@{domain.capitalize()}"
    return email


def e164(country: str, nsn: str) -> str:
    return f"+{COUNTRIES[country][1]}{nsn}"


def messy_phone(country: str, nsn: str | None, rng: random.Random, national_ok: bool) -> str | None:
    """A phone in one of the international or (when the record has a country) national styles."""
    if nsn is None:
        return None
    code, trunk = COUNTRIES[country][1], COUNTRIES[country][2]
    spaced = f"{nsn[:3]} {nsn[3:6]} {nsn[6:]}" if len(nsn) > 7 else nsn
    roll = rng.random()
    if roll < 0.3:
        return f"+{code}{nsn}"
    if roll < 0.5:
        return f"+{code} {spaced}"
    if roll < 0.6:
        return f"00{code} {nsn[:3]} {nsn[3:]}"
    if not national_ok and roll < 0.9:
        return f"+{code} {nsn}"
    if code == "1":
        return rng.choice(
            (
                f"({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}",
                f"{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}",
                f"1-{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}",
            )
        )
    return f"{trunk}{nsn[:3]} {nsn[3:]}" if rng.random() < 0.7 else f"{trunk}{nsn}"


def messy_name(name: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return name.upper()
    if roll < 0.1:
        return f" {name} "
    if roll < 0.13:
        return name.lower()
    return name


def messy_bool(value: bool, rng: random.Random) -> str:
    options = (
        ("yes", "true", "1", "TRUE", "Yes", "y")
        if value
        else ("no", "false", "0", "FALSE", "No", "n")
    )
    return rng.choice(options)


def money(amount: float) -> str:
    return f"{amount:.2f}"


# --- the world: products, stores and the people in it ------------------------------------


def _products(seed: int) -> list[tuple[str, str, str, str, float, str]]:
    rng = random.Random(f"{seed}-products")
    products = []
    for number in range(PRODUCT_COUNT):
        brand = BRANDS[number % 2]
        category = CATEGORIES[number % len(CATEGORIES)]
        price = round(rng.uniform(15, 220), 2)
        cost = round(price * rng.uniform(0.3, 0.6), 2)
        currency = "EUR" if rng.random() < 0.9 else "USD"
        products.append(
            (
                f"SKU-{number:05d}",
                brand,
                f"{category.title()} {number}",
                category,
                price,
                currency if currency == "EUR" else "USD",
                cost,
            )
        )
    return products


def _stores(seed: int) -> list[tuple[str, str, str]]:
    """(store_id, country, E.164 store phone): the number cashiers type on loyalty cards."""
    rng = random.Random(f"{seed}-stores")
    stores = []
    for number in range(STORE_COUNT):
        country = rng.choices(COUNTRY_CODES, COUNTRY_WEIGHTS)[0]
        nsn = _nsn(country, rng, landline=True)
        stores.append((f"ST{number:03d}", country, nsn))
    return stores


def _nsn(country: str, rng: random.Random, landline: bool = False) -> str:
    _, _, _, _, prefix, length, _ = COUNTRIES[country]
    if COUNTRIES[country][1] == "1":
        area = str(randint(rng, 201, 989))
        return area + str(randint(rng, 2, 9)) + "".join(str(randint(rng, 0, 9)) for _ in range(6))
    if landline:
        prefix = str(randint(rng, 2, 5))
    rest = length - len(prefix) - (1 if landline else 0)
    return prefix + "".join(str(randint(rng, 0, 9)) for _ in range(max(rest, 6)))


def _person(index: int, rng: random.Random) -> Person:
    country = rng.choices(COUNTRY_CODES, COUNTRY_WEIGHTS)[0]
    first = rng.choice(FIRST_NAMES[country])
    last = rng.choice(LAST_NAMES[country])
    ascii_first = first.lower().translate(EMAIL_DOMAINS_ASCII)
    ascii_last = last.lower().translate(EMAIL_DOMAINS_ASCII)
    domain = rng.choice(COUNTRIES[country][6])
    style = rng.random()
    if style < 0.5:
        local = f"{ascii_first}.{ascii_last}{index}"
    elif style < 0.8:
        local = f"{ascii_first[0]}{ascii_last}{index}"
    else:
        local = f"{ascii_first}_{index}"
    email = f"{local}@{domain}" if rng.random() < 0.93 else None
    phone = _nsn(country, rng) if rng.random() < 0.75 else None
    birth = None
    if rng.random() < 0.8:
        birth = (datetime(1950, 1, 1) + timedelta(days=randint(rng, 0, 20_000))).strftime(
            "%Y-%m-%d"
        )
    first_seen = randint(rng, EPOCH_START, EPOCH_END - 60 * DAY)
    return Person(
        index=index,
        person_id=f"P{index:08d}",
        country=country,
        first_name=first,
        last_name=last,
        email=email,
        phone_nsn=phone,
        birth_date=birth,
        city=rng.choice(CITIES[country]),
        postal_code=str(randint(rng, 10000, 99999)),
        first_seen=first_seen,
        brands=(rng.choice(BRANDS),) if rng.random() < 0.7 else BRANDS,
    )


# --- one chunk of persons --------------------------------------------------------------


@dataclass
class World:
    seed: int
    products: list
    stores: list


def _chunk(world: World, chunk: int, first_index: int, last_index: int, out_dir: Path) -> int:
    rng = random.Random(f"{world.seed}-chunk-{chunk}")
    out = ChunkWriter()
    persons = [_person(i, rng) for i in range(first_index, last_index)]
    _households(persons, rng)
    for person in persons:
        _one_person(person, world, rng, out)
    out.write(out_dir, chunk)
    return last_index - first_index


def _households(persons: list[Person], rng: random.Random) -> None:
    """About 8% of persons live in households of 2-4 that give the same landline."""
    position = 0
    while position < len(persons):
        if rng.random() < 0.03:
            size = randint(rng, 2, 4)
            members = persons[position : position + size]
            landline = _nsn(members[0].country, rng, landline=True)
            for member in members:
                member.country = members[0].country
                member.last_name = members[0].last_name
                member.household_phone = landline
            position += size
        else:
            position += 1


def _one_person(p: Person, world: World, rng: random.Random, out: ChunkWriter) -> None:
    out.truth["persons"].append(
        (
            p.person_id,
            f"H{p.index:08d}" if p.household_phone else "",
            p.first_name,
            p.last_name,
            p.country,
            p.email or "",
            e164(p.country, p.phone_nsn) if p.phone_nsn else "",
        )
    )
    out.owns(p, "email", p.email)
    out.owns(p, "phone", e164(p.country, p.phone_nsn) if p.phone_nsn else None)
    out.owns(p, "phone", e164(p.country, p.household_phone) if p.household_phone else None)

    anonymous_only = rng.random() < 0.12
    if not anonymous_only:
        if rng.random() < 0.45:
            _crm_contact(p, rng, out)
        if rng.random() < 0.55:
            _shop_accounts(p, rng, out)
        if rng.random() < 0.4:
            _loyalty_member(p, world, rng, out)
    if rng.random() < 0.75 or anonymous_only:
        _web_events(p, world, rng, out, anonymous_only)
    if anonymous_only:
        return
    _orders(p, world, rng, out)
    _pos_transactions(p, world, rng, out)
    if p.email:
        _email_activity(p, rng, out)
        if rng.random() < 0.3:
            _enrichment(p, rng, out)
    if rng.random() < 0.1:
        _support_tickets(p, rng, out)
    if p.email and rng.random() < 0.08:
        _survey(p, rng, out)
    if p.email and rng.random() < 0.15:
        _social(p, rng, out)
    _consent_events(p, rng, out)
    if rng.random() < 0.01:
        _privacy_request(p, rng, out)


def _contact_phone(p: Person, rng: random.Random) -> str | None:
    """The person's own mobile, or in a household sometimes the shared landline."""
    if p.household_phone and (p.phone_nsn is None or rng.random() < 0.5):
        return p.household_phone
    return p.phone_nsn


def _crm_contact(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    contact_id = f"CRM-{p.index:08d}"
    out.owns(p, "crm_contact_id", contact_id)
    out.record("crm_contacts", contact_id, p)
    created = p.first_seen + randint(rng, 0, 30 * DAY)
    versions = rng.choices((1, 2, 3), (60, 30, 10))[0]
    updated = created
    deleted = rng.random() < 0.02
    phone = _contact_phone(p, rng)
    for version in range(versions):
        is_last = version == versions - 1
        city = p.city if is_last else rng.choice(CITIES[p.country])
        row = (
            contact_id if rng.random() > 0.0005 else "",
            rng.choice(p.brands),
            messy_name(p.first_name, rng),
            messy_name(p.last_name, rng),
            messy_email(p.email, rng),
            messy_phone(p.country, phone, rng, True),
            p.birth_date,
            city,
            p.postal_code,
            rng.choice(COUNTRY_SPELLINGS[p.country]),
            iso(created, rng, 0.001),
            iso(updated, rng),
            messy_bool(deleted and is_last, rng) if rng.random() < 0.7 else None,
        )
        landed = loaded(updated, rng)
        out.raw("crm_contacts", landed, *row)
        if rng.random() < 0.05:  # the EL tool delivers the same version again
            out.raw("crm_contacts", loaded(updated + DAY, rng), *row)
        updated += randint(rng, DAY, 120 * DAY)


def _shop_accounts(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    accounts = 2 if rng.random() < 0.02 else 1  # some people register twice
    for number in range(accounts):
        customer_id = str(10_000_000 + p.index * 2 + number)
        p.shop_ids.append(customer_id)
        out.owns(p, "shop_customer_id", customer_id)
        out.record("shop_customers", customer_id, p)
        created = p.first_seen + randint(rng, 0, 60 * DAY)
        updated = created
        email = p.email
        if rng.random() < 0.01:  # people who will not give their address
            email = "test@test.com"
            out.owns(p, "email", email)
        for _ in range(rng.choices((1, 2), (75, 25))[0]):
            accepts = rng.random() < 0.55
            out.raw(
                "shop_customers",
                loaded(updated, rng),
                customer_id,
                rng.choice(p.brands),
                messy_email(email, rng),
                messy_phone(p.country, p.phone_nsn, rng, True),
                messy_name(p.first_name, rng),
                messy_name(p.last_name, rng),
                rng.choice(COUNTRY_SPELLINGS[p.country]),
                messy_bool(accepts, rng) if rng.random() < 0.9 else None,
                iso(created, rng, 0.001),
                iso(updated, rng),
            )
            updated += randint(rng, DAY, 90 * DAY)


def _loyalty_member(p: Person, world: World, rng: random.Random, out: ChunkWriter) -> None:
    loyalty_id = f"9{p.index:011d}"
    p.loyalty_id = loyalty_id
    out.owns(p, "loyalty_id", loyalty_id)
    out.record("loyalty_members", loyalty_id, p)
    enrolled = p.first_seen + randint(rng, 0, 90 * DAY)
    store_id, store_country, store_phone = rng.choice(world.stores)
    if rng.random() < 0.04:  # the cashier types the store's own number
        phone_country, phone = store_country, store_phone
        out.owns(p, "phone", e164(store_country, store_phone))
    else:
        phone_country, phone = p.country, _contact_phone(p, rng)
    tier = rng.choices(("bronze", "silver", "gold"), (70, 22, 8))[0]
    updated = enrolled + randint(rng, 0, 200 * DAY)
    out.raw(
        "loyalty_members",
        loaded(updated, rng),
        loyalty_id,
        rng.choice(p.brands),
        messy_email(p.email, rng) if rng.random() < 0.8 else None,
        messy_phone(phone_country, phone, rng, False),
        messy_name(p.first_name, rng),
        messy_name(p.last_name, rng),
        tier,
        iso(enrolled, rng, 0.001),
        iso(updated, rng),
    )


def _web_events(
    p: Person, world: World, rng: random.Random, out: ChunkWriter, anonymous_only: bool
) -> None:
    devices = rng.choices((1, 2, 3), (60, 30, 10))[0]
    for _ in range(devices):
        anonymous_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        p.anonymous_ids.append(anonymous_id)
        out.owns(p, "anonymous_id", anonymous_id)
        platform = rng.choice(("web", "web", "ios", "android"))
        sessions = randint(rng, 1, 4)
        ts = p.first_seen - randint(rng, 0, 20 * DAY)
        for session in range(sessions):
            ts += randint(rng, DAY // 2, 40 * DAY)
            for _ in range(randint(rng, 1, 4)):
                ts += randint(rng, 10, 600)
                event_type = rng.choice(WEB_EVENT_TYPES)
                sku = rng.choice(world.products)[0] if event_type != "page_view" else None
                _web_event(p, rng, out, anonymous_id, None, None, event_type, platform, sku, ts)
            if anonymous_only:
                continue
            if p.shop_ids and rng.random() < 0.5:
                _web_event(
                    p,
                    rng,
                    out,
                    anonymous_id,
                    rng.choice(p.shop_ids),
                    None,
                    "login",
                    platform,
                    None,
                    ts + 30,
                )
            elif p.email and session == 0 and rng.random() < 0.35:
                kind = "newsletter_signup" if rng.random() < 0.4 else "identify"
                _web_event(
                    p,
                    rng,
                    out,
                    anonymous_id,
                    None,
                    messy_email(p.email, rng),
                    kind,
                    platform,
                    None,
                    ts + 45,
                )


def _web_event(
    p: Person,
    rng: random.Random,
    out: ChunkWriter,
    anonymous_id: str,
    customer_id: str | None,
    email: str | None,
    event_type: str,
    platform: str,
    sku: str | None,
    ts: int,
) -> None:
    event_id = f"E{p.index:08d}-{len(out.rows['web_events']):06d}"
    out.record("web_events", event_id, p)
    row = (
        event_id,
        anonymous_id,
        customer_id,
        email,
        event_type,
        platform,
        f"https://www.example-shop.com/{(sku or 'home').lower()}",
        sku,
        iso(ts, rng, 0.0005),
        iso(ts + randint(rng, 0, 5), rng),
    )
    out.raw("web_events", loaded(ts, rng, 1), *row)
    if rng.random() < 0.03:  # SDK retry re-delivers the event
        out.raw("web_events", loaded(ts + 3600, rng, 1), *row)


def _orders(p: Person, world: World, rng: random.Random, out: ChunkWriter) -> None:
    if p.shop_ids:
        count = rng.choices((0, 1, 2, 3, 5, 8), (20, 30, 20, 15, 10, 5))[0]
    elif rng.random() < 0.2:
        count = randint(rng, 1, 2)  # guest checkouts
    else:
        return
    currency = COUNTRIES[p.country][3]
    ts = p.first_seen
    for number in range(count):
        ts += randint(rng, 2 * DAY, 120 * DAY)
        if ts > EPOCH_END:
            break
        order_id = f"O{p.index:08d}{number:02d}"
        out.record("shop_orders", order_id, p)
        customer_id = rng.choice(p.shop_ids) if p.shop_ids else None
        email = p.email
        if not customer_id and rng.random() < 0.04:
            email = "test@test.com"
            out.owns(p, "email", email)
        statuses = ["placed", "paid", "shipped", "delivered"]
        if rng.random() < 0.07:
            statuses = statuses[: randint(rng, 1, 2)] + ["cancelled"]
        elif ts > EPOCH_END - 10 * DAY:
            statuses = statuses[:2]
        ordered_at = iso(ts, rng, 0.0005)
        phone = messy_phone(p.country, p.phone_nsn, rng, True) if rng.random() < 0.6 else None
        email_text = messy_email(email, rng)
        country = rng.choice(COUNTRY_SPELLINGS[p.country])
        brand = rng.choice(p.brands)
        change = ts
        for status in statuses:
            spelled = status if rng.random() > 0.05 else status.upper()
            if rng.random() < 0.0005:
                spelled = "on_hold"
            out.raw(
                "shop_orders",
                loaded(change, rng, 2),
                order_id,
                brand,
                customer_id,
                email_text,
                phone,
                spelled,
                currency,
                ordered_at,
                country,
            )
            change += randint(rng, 3600, 3 * DAY)
        lines = rng.choices((1, 2, 3, 4), (50, 30, 15, 5))[0]
        for line in range(1, lines + 1):
            sku, _, _, _, price, _, _ = rng.choice(world.products)
            quantity = rng.choices((1, 2, 3), (80, 15, 5))[0]
            if rng.random() < 0.0005:
                quantity = -quantity
            discount = round(price * quantity * 0.1, 2) if rng.random() < 0.2 else 0.0
            local_price = _to_local(price, currency)
            out.raw(
                "shop_order_lines",
                loaded(ts, rng, 2),
                order_id,
                str(line),
                sku,
                str(quantity),
                money(local_price),
                money(_to_local(discount, currency)),
            )
            if "delivered" in statuses and rng.random() < 0.12:
                _return(
                    p,
                    rng,
                    out,
                    order_id,
                    None,
                    sku,
                    max(quantity, 1),
                    local_price,
                    currency,
                    change + randint(rng, 2 * DAY, 30 * DAY),
                )


def _to_local(eur: float, currency: str) -> float:
    rate = {"EUR": 1.0, "GBP": 0.86, "USD": 1.1, "SEK": 11.3, "CHF": 1.0, "PLN": 4.4, "CAD": 1.5}[
        currency
    ]
    return round(eur * rate, 2)


def _pos_transactions(p: Person, world: World, rng: random.Random, out: ChunkWriter) -> None:
    count = (
        randint(rng, 0, 5) if p.loyalty_id else (randint(rng, 1, 3) if rng.random() < 0.3 else 0)
    )
    ts = p.first_seen
    for number in range(count):
        ts += randint(rng, DAY, 100 * DAY)
        if ts > EPOCH_END:
            break
        store_id, store_country, _ = rng.choice(world.stores)
        transaction_id = f"T{p.index:08d}{number:02d}"
        out.record("pos_transactions", transaction_id, p)
        currency = COUNTRIES[store_country][3]
        loyalty_id = p.loyalty_id if p.loyalty_id and rng.random() < 0.85 else None
        email = phone = None
        roll = rng.random()
        if roll < 0.01:
            email = "test@test.com"
            out.owns(p, "email", email)
        elif roll < 0.2:
            email = messy_email(p.email, rng)
        elif roll < 0.3:
            phone = messy_phone(p.country, p.phone_nsn, rng, False)
        amount = round(rng.uniform(8, 300), 2)
        if rng.random() < 0.001:
            amount = -amount
        amount = _to_local(amount, currency)
        out.raw(
            "pos_transactions",
            loaded(ts, rng, 24),
            transaction_id,
            store_id,
            rng.choice(p.brands),
            loyalty_id,
            email,
            phone,
            currency,
            money(amount),
            iso(ts, rng, 0.0005),
        )
        if rng.random() < 0.05 and amount > 0:
            _return(
                p,
                rng,
                out,
                None,
                transaction_id,
                None,
                1,
                round(amount * 0.4, 2),
                currency,
                ts + randint(rng, DAY, 20 * DAY),
            )


def _return(
    p: Person,
    rng: random.Random,
    out: ChunkWriter,
    order_id: str | None,
    transaction_id: str | None,
    sku: str | None,
    quantity: int,
    refund: float,
    currency: str,
    ts: int,
) -> None:
    return_id = f"R{p.index:08d}-{len(out.rows['returns']):04d}"
    out.record("returns", return_id, p)
    out.raw(
        "returns",
        loaded(ts, rng, 24),
        return_id,
        order_id,
        transaction_id,
        sku,
        str(quantity),
        money(refund * quantity if order_id else refund),
        currency,
        iso(ts, rng, 0.0005),
        rng.choice(("size", "damaged", "changed_mind", None)),
    )


def _email_activity(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    ts = p.first_seen
    for campaign in range(randint(rng, 0, 6)):
        ts += randint(rng, 3 * DAY, 45 * DAY)
        if ts > EPOCH_END:
            return
        campaign_id = f"CMP-{(ts // (7 * DAY)) % 500:04d}"
        kinds = ["sent"]
        roll = rng.random()
        if roll < 0.02:
            kinds.append("bounce")
        else:
            if roll < 0.45:
                kinds.append("open")
                if rng.random() < 0.3:
                    kinds.append("click")
            if rng.random() < 0.02:
                kinds.append("unsubscribe")
            elif rng.random() < 0.002:
                kinds.append("complaint")
        for offset, kind in enumerate(kinds):
            activity_id = f"A{p.index:08d}-{campaign:03d}-{offset}"
            out.record("email_activity", activity_id, p)
            when = ts + offset * randint(rng, 60, 2 * DAY)
            out.raw(
                "email_activity",
                loaded(when, rng),
                activity_id,
                messy_email(p.email, rng, 0),
                campaign_id,
                kind,
                iso(when, rng, 0.0005),
            )


def _enrichment(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    digest = hashlib.sha256(p.email.encode()).hexdigest()
    out.raw(
        "enrichment_demographics",
        loaded(EPOCH_END - 90 * DAY, rng),
        digest,
        rng.choice(("datafirm_a", "datafirm_b")),
        rng.choice(("18-24", "25-34", "35-44", "45-54", "55-64", "65+")),
        rng.choice(("low", "middle", "high")),
        "|".join(sorted(rng.sample(("fashion", "outdoor", "travel", "tech", "home"), 2))),
        iso(EPOCH_END - 90 * DAY, rng),
    )


def _support_tickets(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    for number in range(randint(rng, 1, 2)):
        ts = p.first_seen + randint(rng, DAY, 300 * DAY)
        ticket_id = f"TCK-{p.index:08d}-{number}"
        out.record("support_tickets", ticket_id, p)
        phone_only = p.email is None or rng.random() < 0.2
        csat = str(randint(rng, 1, 5)) if rng.random() < 0.6 else None
        body = rng.choice(
            (
                "Where is my order?",
                "I want to change my address.",
                f"Please call me back, my name is {p.first_name} {p.last_name}.",
                "The zipper broke after one week.",
            )
        )
        out.raw(
            "support_tickets",
            loaded(ts, rng),
            ticket_id,
            None if phone_only else messy_email(p.email, rng),
            messy_phone(p.country, p.phone_nsn, rng, False) if phone_only else None,
            rng.choice(("email", "phone", "chat")),
            rng.choice(("delivery", "returns", "product", "account")),
            csat,
            body,
            iso(ts, rng, 0.0005),
        )


def _survey(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    ts = p.first_seen + randint(rng, 10 * DAY, 400 * DAY)
    response_id = f"SRV-{p.index:08d}"
    out.record("survey_responses", response_id, p)
    score = rng.choices(range(11), (2, 1, 1, 2, 3, 5, 7, 10, 18, 25, 26))[0]
    out.raw(
        "survey_responses",
        loaded(ts, rng),
        response_id,
        messy_email(p.email, rng, 0),
        rng.choice(("post_purchase", "relationship")),
        str(score),
        rng.choice(("Great service", "Too expensive", None, "Fast delivery")),
        iso(ts, rng, 0.0005),
    )


def _social(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    profile_id = f"SOC-{p.index:08d}"
    out.record("social_profiles", profile_id, p)
    ts = p.first_seen + randint(rng, 0, 300 * DAY)
    handle = f"@{p.first_name.lower().translate(EMAIL_DOMAINS_ASCII)}{p.index % 1000}"
    out.raw(
        "social_profiles",
        loaded(ts, rng),
        profile_id,
        rng.choice(("instagram", "tiktok", "x")),
        handle,
        messy_email(p.email, rng, 0),
        str(int(rng.paretovariate(1.2) * 50)),
        iso(ts, rng, 0.0005),
    )


def _consent_events(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    for number in range(rng.choices((0, 1, 2, 3), (40, 30, 20, 10))[0]):
        ts = p.first_seen + randint(rng, 0, 400 * DAY)
        options = [
            ("email", p.email),
            ("phone", e164(p.country, p.phone_nsn) if p.phone_nsn else None),
        ]
        options += [("anonymous_id", a) for a in p.anonymous_ids[:1]]
        options += [("shop_customer_id", s) for s in p.shop_ids[:1]]
        options = [(t, v) for t, v in options if v]
        if not options:
            return
        identifier_type, value = rng.choice(options)
        if identifier_type == "email":
            value = messy_email(value, rng, 0)
        elif identifier_type == "phone":
            value = messy_phone(p.country, p.phone_nsn, rng, False)
        event_id = f"CE-{p.index:08d}-{number}"
        out.record("consent_events", event_id, p)
        status = rng.choice(STATUS_SPELLINGS["granted" if rng.random() < 0.65 else "denied"])
        out.raw(
            "consent_events",
            loaded(ts, rng),
            event_id,
            identifier_type,
            value,
            rng.choice(CONSENT_PURPOSES),
            status,
            rng.choice(("cookie_banner", "preference_center", "checkout", "store_tablet")),
            rng.choice(("v1", "v2", "v3")),
            iso(ts, rng, 0.0005),
        )


def _privacy_request(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    if not p.email and not p.phone_nsn:
        return
    ts = p.first_seen + randint(rng, 30 * DAY, 500 * DAY)
    request_id = f"PR-{p.index:08d}"
    out.record("privacy_requests", request_id, p)
    if p.email:
        identifier_type, value = "email", messy_email(p.email, rng, 0)
    else:
        identifier_type, value = "phone", e164(p.country, p.phone_nsn)
    request_type = rng.choices(
        ("erasure", "access", "restrict_processing", "do_not_sell"), (40, 30, 10, 20)
    )[0]
    out.raw(
        "privacy_requests",
        loaded(ts, rng),
        request_id,
        identifier_type,
        value,
        request_type,
        iso(ts, rng),
    )


def _world_tables(world: World, out_dir: Path) -> None:
    """Tables that do not belong to a person: the product catalogue."""
    rng = random.Random(f"{world.seed}-catalog")
    rows = []
    for sku, brand, name, category, _price, currency, cost in world.products:
        landed = loaded(EPOCH_START, rng)
        cost_text = money(cost if currency == "EUR" else _to_local(cost, "USD"))
        rows.append((sku, brand, name, category, cost_text, currency, landed))
        if rng.random() < 0.05:
            rows.append(
                (
                    sku,
                    brand,
                    name,
                    category,
                    cost_text,
                    currency,
                    loaded(EPOCH_START + 30 * DAY, rng),
                )
            )
    _write_csv(out_dir / "products" / "part-world.csv", (*RAW_TABLES["products"], LOADED_AT), rows)


def _run_chunk(args: tuple) -> int:
    return _chunk(*args)


def generate(
    customers: int, seed: int, out_dir: Path, workers: int | None = None, progress: bool = True
) -> Path:
    """Write the raw tables (one folder of CSV parts per table) and the truth into out_dir."""
    if customers < 1:
        raise ValueError("--customers must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = World(seed=seed, products=_products(seed), stores=_stores(seed))
    _world_tables(world, out_dir)
    chunks = [
        (world, number, start, min(start + CHUNK_SIZE, customers), out_dir)
        for number, start in enumerate(range(0, customers, CHUNK_SIZE))
    ]
    workers = workers or min(os.cpu_count() or 1, len(chunks))
    bar = _progress_bar(customers, progress)
    if workers <= 1:
        for args in chunks:
            bar.update(_run_chunk(args))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for done in pool.map(_run_chunk, chunks):
                bar.update(done)
    bar.close()
    return out_dir


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="customers", desc="generate", disable=not enabled)
