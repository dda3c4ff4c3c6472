"""Synthetic, messy, multi-source retail data for the raw landing contract.

The output is a pure function of ``(seed, customers)``: persons are generated in
fixed-size chunks, each with its own ``random.Random`` seeded from the seed and
the chunk number, so the bytes do not depend on the number of worker processes.

The data set looks like a live shop's on the day of its last extract (``EPOCH_END``,
its "today"): people are first seen at a steady rate from ``EPOCH_START`` until
that day, every source runs up to it, nothing happens after it, and every row lands
(``_loaded_at``) after the event it carries. A buyer purchases as the BG/NBD model
describes (Fader, Hardie & Lee 2005): a personal purchase rate drawn from a gamma
distribution, and after each purchase a personal chance to drop out, drawn from a
beta distribution; purchases are busier in November and December.

The generator knows the truth. Besides the 16 raw tables it writes
``truth/persons``, ``truth/identifiers`` (which true person each normalized
identifier belongs to; shared ones, such as a household phone, belong to several)
and ``truth/records`` (which true person each source record belongs to), so the
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
HOUR = 3_600
DAY = 86_400
WEEK = 7 * DAY
EPOCH_START = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp())
# The data set's "today": the last extract ran at this moment, so every row has landed
# by then. Business events stop an hour earlier (sub-steps of an event, such as the
# page views of a session, stay within that hour), so each row lands after its event.
EPOCH_END = int(datetime(2025, 12, 31, 23, 59, tzinfo=UTC).timestamp())
LAST_EVENT = EPOCH_END - HOUR

# Purchasing (BG/NBD): purchase rate per week ~ Gamma(shape r, rate alpha), so
# r / alpha = 0.05 a week (2.6 a year) on average, widely spread; after each purchase
# the buyer drops out with probability p ~ Beta(a, b), on average a / (a + b) = 14%.
PURCHASE_RATE_R = 1.0
PURCHASE_RATE_ALPHA_WEEKS = 20.0
DROPOUT_A = 0.5
DROPOUT_B = 3.0
FIRST_PURCHASE_MEAN_DAYS = 20  # from first contact to first purchase, for those who buy
# relative purchase intensity by month: a quiet February, Black Friday and Christmas
SEASONALITY = (0.9, 0.8, 0.95, 1.0, 1.0, 0.95, 0.95, 0.9, 0.95, 1.0, 1.35, 1.3)
WORK_EMAIL_SHARE = 0.10  # persons who also use a work email on some records
PHONE_CHANGE_SHARE = 0.06  # persons with a mobile who change it once
SECOND_ACCOUNT_SHARE = 0.03  # shop customers who register a second account

TRUTH_TABLES: dict[str, tuple[str, ...]] = {
    "persons": (
        "person_id",
        "household_id",
        "first_name",
        "last_name",
        "country",
        "email",
        "phone",
        "work_email",
        "new_phone",
    ),
    "identifiers": ("identifier_type", "identifier_value", "person_id"),
    "records": ("source_table", "record_key", "person_id"),
}

# country: (weight, dialing code, trunk prefix, currency, mobile prefixes, mobile national
# significant number length, email domains). Mobile prefixes are ranges the country's
# numbering plan gives to mobile networks; NANP countries have none (a mobile number
# has the area code of the owner's city, as a landline has). GB: not the Channel Islands'
# and the Isle of Man's ranges.
COUNTRIES: dict[str, tuple] = {
    "DE": (
        25, "49", "0", "EUR",
        ("151", "152", "157", "159", "160", "162", "170", "171", "172", "173", "174", "175",
         "176", "177", "178", "179"),
        11, ("gmx.de", "web.de", "gmail.com", "t-online.de"),
    ),
    "GB": (
        14, "44", "0", "GBP", ("73", "740", "741", "742", "743", "747", "748", "749", "751", "753",
                             "754", "771", "772", "773", "780", "784", "785", "786", "787",
                             "788", "789", "795", "796"), 10,
        ("gmail.com", "outlook.com", "btinternet.com"),
    ),
    "FR": (11, "33", "0", "EUR", ("60", "61", "62", "64", "65", "66", "67", "68", "75", "76", "77",
                                 "78"), 9,
           ("orange.fr", "gmail.com", "free.fr")),
    "US": (12, "1", "1", "USD", (), 10, ("gmail.com", "yahoo.com", "outlook.com")),
    "NL": (7, "31", "0", "EUR", ("61", "62", "63", "64", "65"), 9,
           ("ziggo.nl", "gmail.com", "kpnmail.nl")),
    "IT": (6, "39", "", "EUR", ("320", "328", "333", "338", "340", "347", "349", "366", "380",
                                "388", "393"), 10, ("libero.it", "gmail.com", "tim.it")),
    "ES": (6, "34", "", "EUR", ("6", "71", "72", "73", "74"), 9,
           ("gmail.com", "telefonica.es", "hotmail.es")),
    "SE": (6, "46", "0", "SEK", ("70", "72", "73", "76", "79"), 9,
           ("gmail.com", "telia.se", "bredband.net")),
    "AT": (4, "43", "0", "EUR", ("650", "660", "664", "676", "680", "681", "688", "699"), 10,
           ("gmx.at", "gmail.com", "a1.net")),
    "CH": (3, "41", "0", "CHF", ("75", "76", "77", "78", "79"), 9,
           ("bluewin.ch", "gmail.com", "gmx.ch")),
    "PL": (3, "48", "", "PLN", ("50", "51", "53", "57", "60", "66", "69", "72", "73", "78",
                                "79", "88"), 9, ("wp.pl", "gmail.com", "onet.pl")),
    "CA": (3, "1", "1", "CAD", (), 10, ("gmail.com", "rogers.com", "shaw.ca")),
}  # fmt: skip
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


@dataclass(frozen=True)
class City:
    """Where people live: the postal codes of the city (ranges of numbers, or for GB and
    CA the outward codes / forward sortation areas) and its landline numbering (the
    national significant number's area codes, the first digits subscriber numbers start
    with, and the length of the whole national significant number)."""

    name: str
    postal: tuple
    area_codes: tuple[str, ...]
    landline_length: int
    subscriber_starts: str = "23456789"


def _each(*codes: int) -> tuple[tuple[int, int], ...]:
    return tuple((code, code) for code in codes)


# Postal codes and area codes as the countries' postal and numbering plans give them
# (Deutsche Post, Royal Mail, La Poste, USPS, PostNL, Poste Italiane, Correos, PostNord,
# Österreichische Post, Swiss Post, Poczta Polska, Canada Post).
CITIES: dict[str, tuple[City, ...]] = {
    "DE": (
        City("Berlin", ((10115, 14199),), ("30",), 10),
        City("Hamburg", ((20095, 22769),), ("40",), 10),
        City("München", ((80331, 81929),), ("89",), 10),
        City("Köln", ((50667, 51149),), ("221",), 10),
    ),
    "GB": (
        City("London", ("E1", "EC1A", "N1", "N16", "NW1", "SE1", "SW1A", "SW11", "W1D", "WC2N"),
             ("20",), 10, "378"),
        City("Manchester", ("M1", "M2", "M4", "M13", "M14", "M20", "M21"), ("161",), 10),
        City("Leeds", ("LS1", "LS2", "LS6", "LS7", "LS8", "LS11", "LS17"), ("113",), 10, "234"),
    ),
    "FR": (
        City("Paris", ((75001, 75020),), ("14", "15"), 9, "0123456789"),
        City("Lyon", ((69001, 69009),), ("472", "478"), 9),
        City("Marseille", ((13001, 13016),), ("491",), 9),
    ),
    "US": (
        City("New York", ((10001, 10040), (10128, 10128)), ("212", "646", "718", "917"), 10),
        City("Chicago", ((60601, 60661),), ("312", "773", "872"), 10),
        City("Austin", ((78701, 78759),), ("512", "737"), 10),
    ),
    "NL": (
        City("Amsterdam", ((1011, 1109),), ("20",), 9),
        City("Utrecht", ((3511, 3585),), ("30",), 9),
        City("Rotterdam", ((3011, 3089),), ("10",), 9),
    ),
    "IT": (
        City("Roma", ((118, 199),), ("06",), 10, "2345789"),  # not 06 698: the Vatican's
        City("Milano", ((20121, 20162),), ("02",), 10),
        City("Torino", ((10121, 10156),), ("011",), 10),
    ),
    "ES": (
        City("Madrid", ((28001, 28055),), ("91",), 9),
        City("Barcelona", ((8001, 8042),), ("93",), 9),
        City("Valencia", ((46001, 46026),), ("963",), 9),
    ),
    "SE": (
        City("Stockholm", ((11120, 11860),), ("8",), 9),
        City("Göteborg", ((41101, 41879),), ("31",), 9),
        City("Malmö", ((21111, 21772),), ("40",), 9),
    ),
    "AT": (
        City("Wien", _each(*range(1010, 1240, 10)), ("1",), 8),
        City("Graz", _each(8010, 8020, 8036, 8041, 8042, 8043, 8044, 8045, 8046, 8047, 8051,
                           8052, 8053, 8054, 8055, 8061, 8062, 8063), ("316",), 9),
        City("Linz", _each(4020, 4030, 4040), ("732",), 9),
    ),
    "CH": (
        City("Zürich", ((8001, 8008), (8032, 8057)), ("44",), 9),
        City("Genève", ((1201, 1209),), ("22",), 9),
        City("Basel", ((4051, 4059),), ("61",), 9),
    ),
    "PL": (
        City("Warszawa", ((1, 4999),), ("22",), 9),
        City("Kraków", ((30001, 31999),), ("12",), 9),
        City("Gdańsk", ((80001, 80999),), ("58",), 9),
    ),
    "CA": (
        City("Toronto", ("M4C", "M4K", "M5A", "M5R", "M5V", "M6G", "M6J"),
             ("416", "437", "647"), 10),
        City("Montréal", ("H2J", "H2T", "H2X", "H3A", "H3H", "H4A"), ("438", "514"), 10),
        City("Vancouver", ("V5K", "V5L", "V6A", "V6B", "V6E", "V6K"), ("236", "604", "778"), 10),
    ),
}  # fmt: skip
GB_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # never C, I, K, M, O, V
CA_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"  # never D, F, I, O, Q, U
NL_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # never F, I, O, Q, U, Y (nor SA, SD, SS)


def postal_code(country: str, city: City, rng: random.Random) -> str:
    """A postal code of the city, written as the country's post writes it."""
    pick = city.postal[int(rng.random() * len(city.postal))]
    if country == "GB":
        letters = GB_INWARD_LETTERS
        return f"{pick} {randint(rng, 1, 9)}{_letter(rng, letters)}{_letter(rng, letters)}"
    if country == "CA":
        return f"{pick} {randint(rng, 1, 9)}{_letter(rng, CA_LETTERS)}{randint(rng, 0, 9)}"
    number = randint(rng, pick[0], pick[1])
    if country == "NL":
        letters = _letter(rng, NL_LETTERS) + _letter(rng, NL_LETTERS)
        return f"{number} {'SB' if letters in ('SA', 'SD', 'SS') else letters}"
    if country == "SE":
        return f"{number // 100} {number % 100:02d}"
    if country == "PL":
        return f"{number // 1000:02d}-{number % 1000:03d}"
    if country in ("AT", "CH"):
        return str(number)
    return f"{number:05d}"


def _letter(rng: random.Random, letters: str) -> str:
    return letters[int(rng.random() * len(letters))]


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
COOKIE_BANNER_PURPOSES = ("analytics", "personalization", "third_party_sharing")
STATUS_SPELLINGS = {
    "granted": ("granted", "GRANTED", "Granted", "opt_in", "OPT_IN"),
    "denied": ("denied", "DENIED", "withdrawn", "Withdrawn", "opt_out", "OPT_OUT"),
}
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_BAND_FLOORS = ((65, "65+"), (55, "55-64"), (45, "45-54"), (35, "35-44"), (25, "25-34"))
# (category, what the customer writes), after a purchase or about the account
TICKETS_AFTER_PURCHASE = (
    ("delivery", "Where is my order?"),
    ("delivery", "The parcel arrived damaged."),
    ("returns", "How do I return the jacket? It is too small."),
    ("product", "The zipper broke after one week."),
)
TICKETS_ABOUT_THE_ACCOUNT = (
    ("account", "I want to change my address."),
    ("account", "I cannot log in to my account."),
    ("product", "Will the boots come back in size 42?"),
)
# survey comments: promoters (9-10) praise, detractors (0-6) complain, most write nothing
PROMOTER_COMMENTS = ("Great service", "Fast delivery", "Love the quality")
DETRACTOR_COMMENTS = ("Too expensive", "Delivery was late", "Sizes run small")
STORE_COUNT = 40
PRODUCT_COUNT = 240
COMPANY_COUNT = 300
COMPANY_WORDS = (
    "nord", "alpen", "blau", "stern", "delta", "metro", "terra", "nova", "hansa", "lumen",
    "orbit", "vista", "atlas", "kraft", "rhein", "baltic", "summit", "cedar", "pixel", "quanta",
)  # fmt: skip
COMPANY_KINDS = (
    "logistik", "consulting", "systems", "bank", "media", "labs", "health", "energy", "group",
    "software", "partners", "retail",
)  # fmt: skip
COMPANY_TLDS = ("com", "de", "eu", "co.uk", "fr", "nl", "io", "se", "it", "ch")


@dataclass
class Account:
    """A shop account: its id, the email it was registered with, and when."""

    customer_id: str
    email: str | None
    created: int


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
    city: City
    postal_code: str
    first_seen: int
    price_level: float = 0.5  # 0 = buys the cheapest products, 1 = the dearest
    work_email: str | None = None
    new_phone_nsn: str | None = None  # the mobile number the person changed to
    phone_changed_at: int = 0
    household_id: str | None = None
    household_phone: str | None = None  # the landline of the household the person lives in
    home_store: tuple | None = None  # the store of the first store purchase
    brands: tuple[str, ...] = ()
    accounts: list[Account] = field(default_factory=list)
    loyalty_id: str | None = None
    loyalty_enrolled: int = 0
    anonymous_ids: list[str] = field(default_factory=list)
    newsletter_email: str | None = None  # the address the person signed up with

    @property
    def shop_ids(self) -> list[str]:
        return [account.customer_id for account in self.accounts]

    def mobile_at(self, ts: int) -> str | None:
        """The person's own mobile number at that time."""
        if self.new_phone_nsn and ts >= self.phone_changed_at:
            return self.new_phone_nsn
        return self.phone_nsn


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
    """Landing time: some minutes to hours after the business event, and at the latest
    at the last extract (events of the last hour land with it)."""
    lag = int(rng.random() * lag_hours * 3600) + 60
    return _timestamp_text(min(ts + lag, EPOCH_END))


def within(rng: random.Random, low: int, high: int) -> int | None:
    """A time in [low, high], but never after the last event; None when low is after it."""
    high = min(high, LAST_EVENT)
    return None if low > high else randint(rng, low, high)


_MONTHS: dict[int, int] = {}


def _month(ts: int) -> int:
    """0-11, the month of a UTC instant."""
    day = ts // DAY
    month = _MONTHS.get(day)
    if month is None:
        month = _MONTHS[day] = (datetime(1970, 1, 1) + timedelta(days=day)).month - 1
    return month


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


# --- the world: products, stores, employers and the people in it -------------------------


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
    """(store_id, country, national number of the store's phone): at least one store in
    every country, the others where more people live; the phone is a landline of the
    store's city, the number cashiers type on loyalty cards."""
    rng = random.Random(f"{seed}-stores")
    countries = COUNTRY_CODES + rng.choices(
        COUNTRY_CODES, COUNTRY_WEIGHTS, k=STORE_COUNT - len(COUNTRY_CODES)
    )
    stores = []
    for number, country in enumerate(countries):
        city = rng.choice(CITIES[country])
        stores.append((f"ST{number:03d}", country, _landline(country, city, rng)))
    return stores


# the shop's free customer hotline in each country: (toll-free prefix, national length)
HOTLINE_PLANS = {
    "DE": ("800", 10), "GB": ("800", 10), "FR": ("800", 9), "US": ("800", 10),
    "NL": ("800", 7), "IT": ("800", 9), "ES": ("900", 9), "SE": ("20", 8), "AT": ("800", 9),
    "CH": ("800", 9), "PL": ("800", 9), "CA": ("888", 10),
}  # fmt: skip


def _hotlines(seed: int) -> dict[str, str]:
    """The shop's toll-free number per country (national significant number): some people
    type it into an order's phone field."""
    rng = random.Random(f"{seed}-hotlines")
    numbers = {}
    for country, (prefix, length) in HOTLINE_PLANS.items():
        numbers[country] = prefix + str(randint(rng, 2, 9)) + _digits(rng, length - len(prefix) - 1)
    return numbers


def _companies(seed: int) -> list[str]:
    """Employers' email domains (work emails)."""
    rng = random.Random(f"{seed}-companies")
    domains = {
        f"{rng.choice(COMPANY_WORDS)}{rng.choice(('', '-'))}{rng.choice(COMPANY_KINDS)}"
        f".{rng.choice(COMPANY_TLDS)}"
        for _ in range(COMPANY_COUNT)
    }
    return sorted(domains)


def _digits(rng: random.Random, count: int) -> str:
    return f"{int(rng.random() * 10**count):0{count}d}"


def _mobile(country: str, city: City, rng: random.Random) -> str:
    """A mobile number (national significant number) in the country's mobile ranges; in
    the NANP, one with an area code of the person's city."""
    _, _, _, _, prefixes, length, _ = COUNTRIES[country]
    if not prefixes:
        return _landline(country, city, rng)
    prefix = prefixes[int(rng.random() * len(prefixes))]
    return prefix + _digits(rng, length - len(prefix))


def _landline(country: str, city: City, rng: random.Random) -> str:
    """A landline of the city: its area code, then a subscriber number (in the NANP an
    exchange 200-999 that is not an N11 service code, then four digits)."""
    area = city.area_codes[int(rng.random() * len(city.area_codes))]
    if COUNTRIES[country][1] == "1":
        exchange = randint(rng, 200, 999)
        if exchange % 100 == 11:
            exchange += 1
        return f"{area}{exchange}{_digits(rng, 4)}"
    first = city.subscriber_starts[int(rng.random() * len(city.subscriber_starts))]
    return area + first + _digits(rng, city.landline_length - len(area) - 1)


def _person(
    index: int, world: World, rng: random.Random, household: Person | None = None
) -> Person:
    """A person of a random country, or a member of ``household``'s: then of its
    country, with its family name and address."""
    if household is None:
        country = rng.choices(COUNTRY_CODES, COUNTRY_WEIGHTS)[0]
        last = rng.choice(LAST_NAMES[country])
        city = rng.choice(CITIES[country])
        postcode = postal_code(country, city, rng)
    else:
        country, last = household.country, household.last_name
        city, postcode = household.city, household.postal_code
    first = rng.choice(FIRST_NAMES[country])
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
    phone = _mobile(country, city, rng) if rng.random() < 0.75 else None
    birth = None
    if rng.random() < 0.8:
        birth = (datetime(1950, 1, 1) + timedelta(days=randint(rng, 0, 20_000))).strftime(
            "%Y-%m-%d"
        )
    # a steady stream of new people over the whole period, up to the last day
    first_seen = randint(rng, EPOCH_START, LAST_EVENT)
    person = Person(
        index=index,
        person_id=f"P{index:08d}",
        country=country,
        first_name=first,
        last_name=last,
        email=email,
        phone_nsn=phone,
        birth_date=birth,
        city=city,
        postal_code=postcode,
        first_seen=first_seen,
        price_level=rng.betavariate(2, 2),
        brands=(rng.choice(BRANDS),) if rng.random() < 0.7 else BRANDS,
    )
    if rng.random() < WORK_EMAIL_SHARE:
        person.work_email = f"{ascii_first[0]}.{ascii_last}{index}@{rng.choice(world.companies)}"
    if phone and rng.random() < PHONE_CHANGE_SHARE:
        changed = within(rng, first_seen + 30 * DAY, first_seen + 900 * DAY)
        if changed is not None:
            person.new_phone_nsn = _mobile(country, city, rng)
            person.phone_changed_at = changed
    return person


# --- one chunk of persons --------------------------------------------------------------


@dataclass
class World:
    seed: int
    products: list
    stores: list
    companies: list[str]
    hotlines: dict[str, str] = field(default_factory=dict)
    products_by_price: list = field(default_factory=list)
    stores_by_country: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.products_by_price = sorted(self.products, key=lambda product: (product[4], product[0]))
        for store in self.stores:
            self.stores_by_country.setdefault(store[1], []).append(store)


def _chunk(world: World, chunk: int, first_index: int, last_index: int, out_dir: Path) -> int:
    rng = random.Random(f"{world.seed}-chunk-{chunk}")
    out = ChunkWriter()
    persons = _persons(first_index, last_index, world, rng)
    for person in persons:
        _one_person(person, world, rng, out)
    out.write(out_dir, chunk)
    return last_index - first_index


def _persons(first_index: int, last_index: int, world: World, rng: random.Random) -> list:
    """The chunk's persons; about 8% live in households of 2-4 (one address, one family
    name, a landline they all give)."""
    persons: list[Person] = []
    index = first_index
    while index < last_index:
        head = _person(index, world, rng)
        persons.append(head)
        if rng.random() < 0.03:
            size = min(randint(rng, 2, 4), last_index - index)
            members = [head] + [
                _person(i, world, rng, household=head) for i in range(index + 1, index + size)
            ]
            landline = _landline(head.country, head.city, rng)
            for member in members:
                member.household_id = f"H{index:08d}"
                member.household_phone = landline
            persons.extend(members[1:])
            index += size
        else:
            index += 1
    return persons


def _one_person(p: Person, world: World, rng: random.Random, out: ChunkWriter) -> None:
    out.truth["persons"].append(
        (
            p.person_id,
            p.household_id or "",
            p.first_name,
            p.last_name,
            p.country,
            p.email or "",
            e164(p.country, p.phone_nsn) if p.phone_nsn else "",
            p.work_email or "",
            e164(p.country, p.new_phone_nsn) if p.new_phone_nsn else "",
        )
    )
    out.owns(p, "email", p.email)
    out.owns(p, "email", p.work_email)
    out.owns(p, "phone", e164(p.country, p.phone_nsn) if p.phone_nsn else None)
    out.owns(p, "phone", e164(p.country, p.new_phone_nsn) if p.new_phone_nsn else None)
    out.owns(p, "phone", e164(p.country, p.household_phone) if p.household_phone else None)

    anonymous_only = rng.random() < 0.12
    purchases: list[tuple[int, bool]] = []
    online: list[int] = []
    in_store: list[int] = []
    if not anonymous_only:
        has_crm_contact = rng.random() < 0.45
        has_account = rng.random() < 0.55
        is_loyalty_member = rng.random() < 0.4
        purchases = _purchases(p, rng, has_account, is_loyalty_member)
        online = [ts for ts, is_online in purchases if is_online]
        in_store = [ts for ts, is_online in purchases if not is_online]
        if in_store:
            p.home_store = rng.choice(world.stores_by_country[p.country])
        if has_crm_contact:
            _crm_contact(p, rng, out)
        if has_account:
            _shop_accounts(p, rng, out, online[0] if online else None)
        if is_loyalty_member:
            _loyalty_member(p, world, rng, out, in_store[0] if in_store else None)
    orders = _orders(p, world, rng, out, online) if purchases else []
    if rng.random() < 0.75 or anonymous_only:
        _web_events(p, world, rng, out, anonymous_only, orders)
    if anonymous_only:
        return
    if in_store:
        _pos_transactions(p, world, rng, out, in_store)
    if p.email or p.newsletter_email:
        _email_activity(p, rng, out)
    if p.email and rng.random() < 0.3:
        _enrichment(p, rng, out)
    if rng.random() < 0.1:
        _support_tickets(p, rng, out, purchases)
    if p.email and rng.random() < 0.08:
        _survey(p, rng, out, purchases)
    if p.email and rng.random() < 0.15:
        _social(p, rng, out)
    _consent_events(p, rng, out)
    if rng.random() < 0.01:
        _privacy_request(p, rng, out)


def _purchases(
    p: Person, rng: random.Random, has_account: bool, is_loyalty_member: bool
) -> list[tuple[int, bool]]:
    """The person's purchase occasions (time, online or not), a BG/NBD process: the first
    some days after the first contact, then a Poisson process at the person's own rate
    (thinned by the season) until the person drops out or the data set ends."""
    if has_account and is_loyalty_member:
        chance, online_share = 0.85, 0.2 + 0.6 * rng.random()
    elif has_account:
        chance, online_share = 0.8, 0.9
    elif is_loyalty_member:
        chance, online_share = 0.9, 0.1
    else:
        chance, online_share = 0.3, 0.5  # guest checkouts and store sales without a card
    if rng.random() >= chance:
        return []
    ts = p.first_seen + int(rng.expovariate(1 / (FIRST_PURCHASE_MEAN_DAYS * DAY)))
    rate = max(rng.gammavariate(PURCHASE_RATE_R, 1 / PURCHASE_RATE_ALPHA_WEEKS) / WEEK, 1e-12)
    dropout = rng.betavariate(DROPOUT_A, DROPOUT_B)
    peak = max(SEASONALITY)
    purchases = []
    while ts <= LAST_EVENT:
        purchases.append((ts, rng.random() < online_share))
        if rng.random() < dropout:
            break
        while True:
            ts += int(rng.expovariate(rate * peak)) + 1
            if ts > LAST_EVENT or rng.random() * peak < SEASONALITY[_month(ts)]:
                break
    return purchases


def _contact_phone(p: Person, rng: random.Random, ts: int) -> str | None:
    """The person's own mobile, or in a household sometimes the shared landline."""
    mobile = p.mobile_at(ts)
    if p.household_phone and (mobile is None or rng.random() < 0.5):
        return p.household_phone
    return mobile


def _crm_contact(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    contact_id = f"CRM-{p.index:08d}"
    out.owns(p, "crm_contact_id", contact_id)
    out.record("crm_contacts", contact_id, p)
    created = within(rng, p.first_seen, p.first_seen + 30 * DAY)
    times = [created]  # the versions' update times, up to the last event
    for _ in range(rng.choices((0, 1, 2), (60, 30, 10))[0]):
        updated = times[-1] + randint(rng, DAY, 120 * DAY)
        if updated > LAST_EVENT:
            break
        times.append(updated)
    deleted = rng.random() < 0.02
    # a sales rep or a B2B event enters the work address of those who have one
    email = p.work_email if p.work_email and rng.random() < 0.7 else p.email
    # older versions may hold the address the person lived at before moving
    address = (p.city, p.postal_code)
    before = address
    if len(times) > 1 and rng.random() < 0.3:
        city = rng.choice(CITIES[p.country])
        before = (city, postal_code(p.country, city, rng))
    for version, updated in enumerate(times):
        is_last = version == len(times) - 1
        city, postcode = address if is_last else before
        row = (
            contact_id if rng.random() > 0.0005 else "",
            rng.choice(p.brands),
            messy_name(p.first_name, rng),
            messy_name(p.last_name, rng),
            messy_email(email, rng),
            messy_phone(p.country, _contact_phone(p, rng, updated), rng, True),
            p.birth_date,
            city.name,
            postcode,
            rng.choice(COUNTRY_SPELLINGS[p.country]),
            iso(created, rng, 0.001),
            iso(updated, rng),
            messy_bool(deleted and is_last, rng) if rng.random() < 0.7 else None,
        )
        out.raw("crm_contacts", loaded(updated, rng), *row)
        if rng.random() < 0.05:  # the EL tool delivers the same version again
            out.raw("crm_contacts", loaded(updated + DAY, rng), *row)


def _shop_accounts(
    p: Person, rng: random.Random, out: ChunkWriter, first_order: int | None
) -> None:
    """One account (some register a second one later), registered at the first online
    order or some days after the first visit (orders before it are guest checkouts)."""
    if first_order is not None and rng.random() < 0.7:
        created = max(p.first_seen, first_order - randint(rng, 60, 1800))
    else:
        created = within(rng, p.first_seen, p.first_seen + 30 * DAY)
    p.accounts.append(Account(str(10_000_000 + p.index * 2), p.email, created))
    if rng.random() < SECOND_ACCOUNT_SHARE:
        second = within(rng, created + 30 * DAY, created + 540 * DAY)
        if second is not None:
            email = p.email
            if p.phone_nsn and rng.random() < 0.5:  # a new address, the same mobile
                ascii_first = p.first_name.lower().translate(EMAIL_DOMAINS_ASCII)
                ascii_last = p.last_name.lower().translate(EMAIL_DOMAINS_ASCII)
                domain = rng.choice(COUNTRIES[p.country][6])
                email = f"{ascii_last}.{ascii_first}{p.index}@{domain}"
                out.owns(p, "email", email)
            p.accounts.append(Account(str(10_000_000 + p.index * 2 + 1), email, second))
    for account in p.accounts:
        out.owns(p, "shop_customer_id", account.customer_id)
        out.record("shop_customers", account.customer_id, p)
        updated = account.created
        email = account.email
        if rng.random() < 0.01:  # people who will not give their address
            email = "test@test.com"
            out.owns(p, "email", email)
        for _ in range(rng.choices((1, 2), (75, 25))[0]):
            accepts = rng.random() < 0.55
            out.raw(
                "shop_customers",
                loaded(updated, rng),
                account.customer_id,
                rng.choice(p.brands),
                messy_email(email, rng),
                messy_phone(p.country, p.mobile_at(updated), rng, True),
                messy_name(p.first_name, rng),
                messy_name(p.last_name, rng),
                rng.choice(COUNTRY_SPELLINGS[p.country]),
                messy_bool(accepts, rng) if rng.random() < 0.9 else None,
                iso(account.created, rng, 0.001),
                iso(updated, rng),
            )
            updated += randint(rng, DAY, 90 * DAY)
            if updated > LAST_EVENT:
                break


def _loyalty_member(
    p: Person, world: World, rng: random.Random, out: ChunkWriter, first_store_sale: int | None
) -> None:
    """Enrolled at the till at the first store purchase, in the person's home store;
    those who never buy in a store sign up online some days after the first visit."""
    loyalty_id = f"9{p.index:011d}"
    p.loyalty_id = loyalty_id
    out.owns(p, "loyalty_id", loyalty_id)
    out.record("loyalty_members", loyalty_id, p)
    at_the_till = first_store_sale is not None
    if at_the_till:
        enrolled = first_store_sale
    else:
        enrolled = within(rng, p.first_seen, p.first_seen + 90 * DAY)
    p.loyalty_enrolled = enrolled
    updated = within(rng, enrolled, enrolled + 200 * DAY)
    if at_the_till and rng.random() < 0.04:  # the cashier types the store's own number
        _, store_country, store_phone = p.home_store
        phone_country, phone = store_country, store_phone
        out.owns(p, "phone", e164(store_country, store_phone))
    else:
        phone_country, phone = p.country, _contact_phone(p, rng, updated)
    tier = rng.choices(("bronze", "silver", "gold"), (70, 22, 8))[0]
    email = p.email
    if p.work_email and rng.random() < 0.5:
        email = p.work_email
    out.raw(
        "loyalty_members",
        loaded(updated, rng),
        loyalty_id,
        rng.choice(p.brands),
        messy_email(email, rng) if rng.random() < 0.8 else None,
        messy_phone(phone_country, phone, rng, False),
        messy_name(p.first_name, rng),
        messy_name(p.last_name, rng),
        tier,
        iso(enrolled, rng, 0.001),
        iso(updated, rng),
    )


def _web_events(
    p: Person,
    world: World,
    rng: random.Random,
    out: ChunkWriter,
    anonymous_only: bool,
    orders: list[tuple[int, str | None]],
) -> None:
    """Browsing on 1-3 devices: some visits from the first contact on, and a visit before
    most online orders (logged in with the order's account, or identified at checkout)."""
    devices = []
    for _ in range(rng.choices((1, 2, 3), (60, 30, 10))[0]):
        anonymous_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        p.anonymous_ids.append(anonymous_id)
        out.owns(p, "anonymous_id", anonymous_id)
        devices.append((anonymous_id, rng.choice(("web", "web", "ios", "android"))))
    for anonymous_id, platform in devices:
        ts = p.first_seen - randint(rng, 0, 20 * DAY)
        for session in range(randint(rng, 1, 3)):
            ts += randint(rng, DAY // 2, 40 * DAY)
            if ts > LAST_EVENT:
                break
            _browse(p, world, rng, out, anonymous_id, platform, ts)
            if anonymous_only:
                continue
            accounts = [a.customer_id for a in p.accounts if a.created <= ts]
            if accounts and rng.random() < 0.5:
                customer_id = rng.choice(accounts)
                _web_event(
                    p, rng, out, anonymous_id, customer_id, None, "login", platform, None, ts + 30
                )
            elif (p.email or p.work_email) and session == 0 and rng.random() < 0.35:
                kind = "newsletter_signup" if rng.random() < 0.4 else "identify"
                email = p.email
                if p.work_email and (email is None or rng.random() < 0.5):
                    email = p.work_email
                if kind == "newsletter_signup":
                    p.newsletter_email = email
                email = messy_email(email, rng)
                _web_event(p, rng, out, anonymous_id, None, email, kind, platform, None, ts + 45)
    if anonymous_only or not devices:
        return
    for ordered_at, customer_id in orders:
        if rng.random() >= 0.7:
            continue
        anonymous_id, platform = rng.choice(devices)
        ts = ordered_at - randint(rng, 300, 2400)
        if customer_id:
            _web_event(p, rng, out, anonymous_id, customer_id, None, "login", platform, None, ts)
        _browse(p, world, rng, out, anonymous_id, platform, ts)
        if not customer_id and p.email and rng.random() < 0.5:  # checkout as a guest
            email = messy_email(p.email, rng)
            _web_event(p, rng, out, anonymous_id, None, email, "identify", platform, None, ts + 60)


def _browse(
    p: Person,
    world: World,
    rng: random.Random,
    out: ChunkWriter,
    anonymous_id: str,
    platform: str,
    ts: int,
) -> None:
    """1-4 anonymous page and product views within minutes."""
    for _ in range(randint(rng, 1, 4)):
        ts += randint(rng, 10, 600)
        event_type = rng.choice(WEB_EVENT_TYPES)
        sku = _pick_product(p, world, rng)[0] if event_type != "page_view" else None
        _web_event(p, rng, out, anonymous_id, None, None, event_type, platform, sku, ts)


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


def _pick_product(p: Person, world: World, rng: random.Random) -> tuple:
    """A product near the person's own price level: spend differs between people."""
    position = min(max(p.price_level + rng.gauss(0, 0.15), 0.0), 0.999)
    return world.products_by_price[int(position * len(world.products_by_price))]


def _orders(
    p: Person, world: World, rng: random.Random, out: ChunkWriter, times: list[int]
) -> list[tuple[int, str | None]]:
    """The online purchases as shop orders, with their life-cycle status changes up to
    the last event; returns (ordered_at, customer_id or None for a guest) per order."""
    currency = COUNTRIES[p.country][3]
    orders = []
    for number, ts in enumerate(times):
        order_id = f"O{p.index:08d}{number:02d}"
        out.record("shop_orders", order_id, p)
        accounts = [account for account in p.accounts if account.created <= ts]
        account = rng.choice(accounts) if accounts else None
        customer_id = account.customer_id if account else None
        email = account.email if account else p.email
        orders.append((ts, customer_id))
        if not customer_id and rng.random() < 0.04:
            email = "test@test.com"
            out.owns(p, "email", email)
        statuses = ["placed", "paid", "shipped", "delivered"]
        if rng.random() < 0.07:
            statuses = statuses[: randint(rng, 1, 2)] + ["cancelled"]
        ordered_at = iso(ts, rng, 0.0005)
        phone = messy_phone(p.country, p.mobile_at(ts), rng, True) if rng.random() < 0.6 else None
        if rng.random() < 0.003:  # the shop's own free hotline, typed in the phone field
            phone = messy_phone(p.country, world.hotlines[p.country], rng, True)
            out.owns(p, "phone", e164(p.country, world.hotlines[p.country]))
        email_text = messy_email(email, rng)
        country = rng.choice(COUNTRY_SPELLINGS[p.country])
        brand = rng.choice(p.brands)
        change = ts
        delivered_at = None
        for status in statuses:
            if change > LAST_EVENT:  # not yet: a recent order is still on its way
                break
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
            if status == "delivered":
                delivered_at = change
            change += randint(rng, 3600, 3 * DAY)
        lines = rng.choices((1, 2, 3, 4), (50, 30, 15, 5))[0]
        for line in range(1, lines + 1):
            sku, _, _, _, price, _, _ = _pick_product(p, world, rng)
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
            if delivered_at is not None and rng.random() < 0.12:
                returned = within(rng, delivered_at + 2 * DAY, delivered_at + 30 * DAY)
                if returned is not None:
                    refund = local_price
                    _return(
                        p,
                        rng,
                        out,
                        order_id,
                        None,
                        sku,
                        max(quantity, 1),
                        refund,
                        currency,
                        returned,
                    )
    return orders


def _to_local(eur: float, currency: str) -> float:
    rate = {"EUR": 1.0, "GBP": 0.86, "USD": 1.1, "SEK": 11.3, "CHF": 1.0, "PLN": 4.4, "CAD": 1.5}[
        currency
    ]
    return round(eur * rate, 2)


def _pos_transactions(
    p: Person, world: World, rng: random.Random, out: ChunkWriter, times: list[int]
) -> None:
    """The store purchases: the first in the home store, most of the others there or in
    another store of the country, a few while travelling; the card is shown on most once
    the person is a member."""
    basket = 20 + 180 * p.price_level  # the person's usual store basket in EUR
    local = world.stores_by_country[p.country]
    for number, ts in enumerate(times):
        roll = rng.random()
        if number == 0 or roll < 0.7:
            store = p.home_store
        elif roll < 0.97:
            store = rng.choice(local)
        else:
            store = rng.choice(world.stores)
        store_id, store_country, _ = store
        transaction_id = f"T{p.index:08d}{number:02d}"
        out.record("pos_transactions", transaction_id, p)
        currency = COUNTRIES[store_country][3]
        is_member = p.loyalty_id is not None and ts >= p.loyalty_enrolled
        loyalty_id = p.loyalty_id if is_member and rng.random() < 0.85 else None
        email = phone = None
        roll = rng.random()
        if roll < 0.01:
            email = "test@test.com"
            out.owns(p, "email", email)
        elif roll < 0.2:
            email = messy_email(p.email, rng)
        elif roll < 0.3:
            phone = messy_phone(p.country, p.mobile_at(ts), rng, False)
        amount = round(max(rng.gammavariate(4, basket / 4), 5.0), 2)
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
            returned = within(rng, ts + DAY, ts + 20 * DAY)
            if returned is not None:
                refund = round(amount * 0.4, 2)
                _return(p, rng, out, None, transaction_id, None, 1, refund, currency, returned)


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
    """Campaigns every one to nine months until the data set ends, a bounce or an
    unsubscribe; sent to the address the person signed up with, else the personal one."""
    address = p.newsletter_email or p.email
    ts = p.first_seen + randint(rng, 0, 30 * DAY)
    campaign = 0
    while True:
        ts += randint(rng, 30 * DAY, 270 * DAY)
        if ts > LAST_EVENT:
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
        when = ts
        for offset, kind in enumerate(kinds):
            when += offset * randint(rng, 60, 2 * DAY)
            if when > LAST_EVENT:
                break
            activity_id = f"A{p.index:08d}-{campaign:03d}-{offset}"
            out.record("email_activity", activity_id, p)
            out.raw(
                "email_activity",
                loaded(when, rng),
                activity_id,
                messy_email(address, rng, 0),
                campaign_id,
                kind,
                iso(when, rng, 0.0005),
            )
        if kinds[-1] in ("bounce", "unsubscribe", "complaint"):
            return
        campaign += 1


def _enrichment(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    """Bought in monthly batches: the person is in the first batch (on the 1st) at least a
    week after being first seen."""
    seen = datetime.fromtimestamp(p.first_seen + 7 * DAY, UTC)
    batch = datetime(seen.year + seen.month // 12, seen.month % 12 + 1, 1, tzinfo=UTC)
    acquired = int(batch.timestamp())
    if acquired > LAST_EVENT:
        return
    digest = hashlib.sha256(p.email.encode()).hexdigest()
    band = rng.choice(AGE_BANDS)  # a guess for those whose birth date is unknown here
    if p.birth_date and rng.random() < 0.9:  # the data firm mostly knows the age
        age = batch.year - int(p.birth_date[:4]) - (batch.strftime("%m-%d") < p.birth_date[5:])
        band = next((b for low, b in AGE_BAND_FLOORS if age >= low), AGE_BANDS[0])
    out.raw(
        "enrichment_demographics",
        loaded(acquired, rng, 24),
        digest,
        rng.choice(("datafirm_a", "datafirm_b")),
        band,
        rng.choice(("low", "middle", "high")),
        "|".join(sorted(rng.sample(("fashion", "outdoor", "travel", "tech", "home"), 2))),
        iso(acquired, rng),
    )


def _support_tickets(
    p: Person, rng: random.Random, out: ChunkWriter, purchases: list[tuple[int, bool]]
) -> None:
    """1-2 tickets, most a few days after a purchase (about it), the others about the
    account; some from the work address. A call leaves the caller's number; an email or
    a chat the address, and some ask to be called back, giving their name."""
    for number in range(randint(rng, 1, 2)):
        if purchases and rng.random() < 0.7:
            bought = rng.choice(purchases)[0]
            ts = within(rng, bought + DAY, bought + 14 * DAY)
            category, body = rng.choice(TICKETS_AFTER_PURCHASE)
        else:
            ts = within(rng, p.first_seen + DAY, p.first_seen + 300 * DAY)
            category, body = rng.choice(TICKETS_ABOUT_THE_ACCOUNT)
        if ts is None:
            continue
        ticket_id = f"TCK-{p.index:08d}-{number}"
        out.record("support_tickets", ticket_id, p)
        email = p.work_email if p.work_email and rng.random() < 0.5 else p.email
        phone_only = email is None or rng.random() < 0.2
        csat = str(randint(rng, 1, 5)) if rng.random() < 0.6 else None
        if phone_only:
            channel = "phone"
        else:
            channel = "email" if rng.random() < 0.6 else "chat"
            if rng.random() < 0.25:
                body += f" Please call me back, my name is {p.first_name} {p.last_name}."
        out.raw(
            "support_tickets",
            loaded(ts, rng),
            ticket_id,
            None if phone_only else messy_email(email, rng),
            messy_phone(p.country, p.mobile_at(ts), rng, False) if phone_only else None,
            channel,
            category,
            csat,
            body,
            iso(ts, rng, 0.0005),
        )


def _survey(
    p: Person, rng: random.Random, out: ChunkWriter, purchases: list[tuple[int, bool]]
) -> None:
    """A post-purchase survey some days after a purchase, or a relationship survey."""
    if purchases and rng.random() < 0.6:
        survey = "post_purchase"
        bought = rng.choice(purchases)[0]
        ts = within(rng, bought + 3 * DAY, bought + 20 * DAY)
    else:
        survey = "relationship"
        ts = within(rng, p.first_seen + 10 * DAY, p.first_seen + 400 * DAY)
    if ts is None:
        return
    response_id = f"SRV-{p.index:08d}"
    out.record("survey_responses", response_id, p)
    score = rng.choices(range(11), (2, 1, 1, 2, 3, 5, 7, 10, 18, 25, 26))[0]
    out.raw(
        "survey_responses",
        loaded(ts, rng),
        response_id,
        messy_email(p.email, rng, 0),
        survey,
        str(score),
        _survey_comment(score, rng),
        iso(ts, rng, 0.0005),
    )


def _survey_comment(score: int, rng: random.Random) -> str | None:
    """Half the promoters and detractors write a few words; passives (7-8) rarely do."""
    if score >= 9 and rng.random() < 0.5:
        return rng.choice(PROMOTER_COMMENTS)
    if score <= 6 and rng.random() < 0.5:
        return rng.choice(DETRACTOR_COMMENTS)
    return None


def _social(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    profile_id = f"SOC-{p.index:08d}"
    out.record("social_profiles", profile_id, p)
    ts = within(rng, p.first_seen, p.first_seen + 300 * DAY)
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
    """Consent given or refused where the person meets the shop: a cookie banner (for a
    device: analytics, personalization, sharing), the checkout of an account, a store's
    tablet (for those who buy in a store), or the preference centre."""
    for number in range(rng.choices((0, 1, 2, 3), (40, 30, 20, 10))[0]):
        ts = within(rng, p.first_seen, p.first_seen + 400 * DAY)
        mobile = p.mobile_at(ts)
        options = [("email", p.email), ("phone", e164(p.country, mobile) if mobile else None)]
        options += [("anonymous_id", a) for a in p.anonymous_ids[:1]]
        options += [("shop_customer_id", s) for s in p.shop_ids[:1]]
        options = [(t, v) for t, v in options if v]
        if not options:
            return
        identifier_type, value = rng.choice(options)
        if identifier_type == "email":
            value = messy_email(value, rng, 0)
        elif identifier_type == "phone":
            value = messy_phone(p.country, mobile, rng, False)
        event_id = f"CE-{p.index:08d}-{number}"
        out.record("consent_events", event_id, p)
        status = rng.choice(STATUS_SPELLINGS["granted" if rng.random() < 0.65 else "denied"])
        purposes = CONSENT_PURPOSES
        if identifier_type == "anonymous_id":
            source, purposes = "cookie_banner", COOKIE_BANNER_PURPOSES
        elif identifier_type == "shop_customer_id":
            source = rng.choice(("checkout", "preference_center"))
        else:
            places = ["preference_center"]
            places += ["store_tablet"] if p.home_store else []
            places += ["checkout"] if p.accounts else []
            source = rng.choice(places)
        out.raw(
            "consent_events",
            loaded(ts, rng),
            event_id,
            identifier_type,
            value,
            rng.choice(purposes),
            status,
            source,
            rng.choice(("v1", "v2", "v3")),
            iso(ts, rng, 0.0005),
        )


def _privacy_request(p: Person, rng: random.Random, out: ChunkWriter) -> None:
    if not p.email and not p.phone_nsn:
        return
    ts = within(rng, p.first_seen + 30 * DAY, p.first_seen + 500 * DAY)
    if ts is None:
        return
    request_id = f"PR-{p.index:08d}"
    out.record("privacy_requests", request_id, p)
    if p.email:
        identifier_type, value = "email", messy_email(p.email, rng, 0)
    else:
        identifier_type, value = "phone", e164(p.country, p.mobile_at(ts))
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
    world = World(
        seed=seed,
        products=_products(seed),
        stores=_stores(seed),
        companies=_companies(seed),
        hotlines=_hotlines(seed),
    )
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
