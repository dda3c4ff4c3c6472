"""The guards against over-merging on real-life identity patterns (docs/contract.md §2).

Each scenario is a small set of hand-made raw records, written the way real people and
real systems produce them, with the expected answer written beside it before the code
was run: one person's own identifiers seen with their several addresses and accounts
link; identifiers shared by different people (a store's number, a call centre, a
family computer, an agency's address, placeholders) link nothing.

All scenarios use distinct identifiers and land together in one database, built once.
"""

from __future__ import annotations

import pytest

from conftest import build_scenario, query

# --- one person: a personal and a work email and one mobile, across four systems -----
# Expected: ONE customer. The mobile is seen with two addresses (and a CRM contact, a
# shop account and a loyalty card): one person's, so it links.
JANE_MOBILE = "+49 151 23456789"
JANE = {
    "crm_contacts": [
        {  # entered by a sales rep with her work address
            "contact_id": "C-JANE",
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane.doe@acme-example.com",
            "phone": JANE_MOBILE,
            "country": "DE",
            "created_at": "2024-01-10T09:00:00Z",
        }
    ],
    "shop_customers": [
        {  # her own account, personal address, the mobile typed nationally
            "customer_id": "S-JANE",
            "first_name": "JANE",
            "last_name": "DOE",
            "email": " Jane.Doe@Mailbox-Example.COM ",
            "phone": "0151 2345 6789",
            "country": "Germany",
            "accepts_marketing": "yes",
            "created_at": "2024-02-01T10:00:00+01:00",
        }
    ],
    "loyalty_members": [
        {  # the card carries no country: the national phone is completed from the
            # work address's CRM contact (Germany)
            "loyalty_id": "L-JANE",
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane.doe@acme-example.com",
            "phone": "0151/23456789",
            "enrolled_at": "2024-03-05",
        }
    ],
    "web_events": [
        {
            "event_id": "W-JANE-1",
            "anonymous_id": "cookie-jane",
            "customer_id": "S-JANE",
            "event_type": "login",
            "occurred_at": "2024-04-01T08:00:00Z",
        },
        {
            "event_id": "W-JANE-2",
            "anonymous_id": "cookie-jane",
            "email": "jane.doe@mailbox-example.com",
            "event_type": "newsletter_signup",
            "occurred_at": "2024-04-01T08:05:00Z",
        },
    ],
    "consent_events": [
        {  # she opts out of marketing email through her work address
            "event_id": "CE-JANE",
            "identifier_type": "email",
            "identifier_value": "jane.doe@acme-example.com",
            "purpose": "email_marketing",
            "status": "opt_out",
            "occurred_at": "2024-05-01T12:00:00Z",
        }
    ],
}

# --- a second shop account with a new email and the same mobile ------------------------
# Expected: ONE customer.
OMAR = {
    "shop_customers": [
        {
            "customer_id": "S-OMAR-1",
            "first_name": "Omar",
            "last_name": "Khan",
            "email": "omar.khan@mail-example.co.uk",
            "phone": "+44 7911 123456",
            "country": "GB",
            "created_at": "2023-06-01",
        },
        {
            "customer_id": "S-OMAR-2",
            "first_name": "Omar",
            "last_name": "Khan",
            "email": "okhan.shopping@mail-example.co.uk",
            "phone": "07911 123456",
            "country": "United Kingdom",
            "created_at": "2024-06-01",
        },
    ]
}

# --- CRM duplicates: two contact ids, one email ------------------------------------------
# Expected: ONE customer.
LI = {
    "crm_contacts": [
        {
            "contact_id": "C-LI-1",
            "first_name": "Li",
            "last_name": "Wei",
            "email": "li.wei@mail-example.com",
            "country": "NL",
            "created_at": "2022-03-01",
        },
        {
            "contact_id": "C-LI-2",
            "first_name": "Li",
            "last_name": "Wei",
            "email": "LI.WEI@mail-example.com",
            "country": "NL",
            "created_at": "2023-09-15",
        },
    ]
}

# --- two known customers tied together later by one record --------------------------------
# Marie is known by her shop account (email) and, separately, by a store loyalty card
# with only her mobile. A later second card carries her email and that mobile.
# Expected: ONE customer.
MARIE = {
    "shop_customers": [
        {
            "customer_id": "S-MARIE",
            "first_name": "Marie",
            "email": "marie.dupont@mail-example.fr",
            "country": "FR",
            "created_at": "2023-01-01",
        }
    ],
    "loyalty_members": [
        {
            "loyalty_id": "L-MARIE-OLD",
            "first_name": "Marie",
            "phone": "+33 6 12 34 56 78",
            "enrolled_at": "2023-02-01",
        },
        {
            "loyalty_id": "L-MARIE-NEW",
            "first_name": "Marie",
            "email": "marie.dupont@mail-example.fr",
            "phone": "+33 6 12 34 56 78",
            "enrolled_at": "2024-09-01",
        },
    ],
}

# --- a store's landline typed by cashiers on 30 loyalty cards of 30 people -------------
# Expected: 30 customers; the number is non-stitching (shared), listed under each.
STORE_PHONE = "+44 20 7946 0000"
STORE_CARDS = [
    {
        "loyalty_id": f"L-STORE-{n:02d}",
        "first_name": f"Holder{n:02d}",
        "email": f"holder{n:02d}@mail-example.com",
        "phone": STORE_PHONE,
        "enrolled_at": f"2024-01-{n:02d}",
    }
    for n in range(1, 31)
]

# --- a shop owner's mobile typed on 30 cards: a mobile, but still evidently shared ---
# Expected: 30 customers.
KIOSK_MOBILE = "+49 160 9876543"
KIOSK_CARDS = [
    {
        "loyalty_id": f"L-KIOSK-{n:02d}",
        "email": f"kiosk.customer{n:02d}@mail-example.de",
        "phone": KIOSK_MOBILE,
        "enrolled_at": f"2024-02-{(n % 28) + 1:02d}",
    }
    for n in range(1, 31)
]

# --- a call centre's number on support tickets from 40 addresses --------------------------
# A North-American number (the plan cannot tell its line type). Expected: 40 customers.
CALL_CENTRE = "+1 (212) 555-0100"
TICKETS = [
    {
        "ticket_id": f"T-CC-{n:02d}",
        "email": f"caller{n:02d}@mail-example.com",
        "phone": CALL_CENTRE,
        "channel": "phone",
        "category": "delivery",
        "created_at": f"2024-03-{(n % 28) + 1:02d}T10:00:00Z",
    }
    for n in range(1, 41)
]
# ... and a toll-free number on two tickets: an organisation's number, never a person's.
TOLL_FREE = "+44 800 123 4567"
TICKETS += [
    {
        "ticket_id": f"T-TF-{n}",
        "email": f"tollfree.caller{n}@mail-example.com",
        "phone": TOLL_FREE,
        "channel": "phone",
        "created_at": "2024-03-01T10:00:00Z",
    }
    for n in (1, 2)
]

# --- a family computer: two people's shop logins from one browser ---------------------------
# Expected: TWO customers; the cookie is non-stitching.
FAMILY = {
    "shop_customers": [
        {
            "customer_id": "S-MUM",
            "first_name": "Sabine",
            "email": "sabine.weber@mail-example.de",
            "country": "DE",
            "created_at": "2023-05-01",
        },
        {
            "customer_id": "S-SON",
            "first_name": "Tim",
            "email": "tim.weber@mail-example.de",
            "country": "DE",
            "created_at": "2024-05-01",
        },
    ],
    "web_events": [
        {
            "event_id": "W-FAM-1",
            "anonymous_id": "cookie-family-pc",
            "customer_id": "S-MUM",
            "event_type": "login",
            "occurred_at": "2024-06-01T19:00:00Z",
        },
        {
            "event_id": "W-FAM-2",
            "anonymous_id": "cookie-family-pc",
            "customer_id": "S-SON",
            "event_type": "login",
            "occurred_at": "2024-06-02T20:00:00Z",
        },
    ],
}

# --- an assistant's address on the CRM contacts of a dozen clients ------------------------
# Expected: 12 customers; the address is non-stitching.
AGENCY = [
    {
        "contact_id": f"C-AGENCY-{n:02d}",
        "first_name": f"Client{n:02d}",
        "last_name": "Example",
        "email": "Office@Agency-Example.com",
        "phone": f"+49 170 55500{n:02d}",
        "country": "DE",
        "created_at": f"2024-04-{n:02d}",
    }
    for n in range(1, 13)
]

# --- placeholders in any casing -------------------------------------------------------------
# TEST@TEST.COM on one person's shop account and another's loyalty card, an
# "Undefined" cookie that logs into one account and identifies another person's
# email, a "NULL" customer id sent by a broken tag from two people's browsers.
# Expected: none of them links anything; six separate customers.
PLACEHOLDERS = {
    "shop_customers": [
        {
            "customer_id": "S-PH-1",
            "first_name": "Ana",
            "email": "TEST@TEST.COM",
            "country": "ES",
            "created_at": "2024-01-01",
        },
        {
            "customer_id": "S-PH-2",
            "first_name": "Bo",
            "email": "bo.lind@mail-example.se",
            "country": "SE",
            "created_at": "2024-01-01",
        },
    ],
    "loyalty_members": [
        {
            "loyalty_id": "L-PH-1",
            "first_name": "Carla",
            "email": "Test@Test.com",
            "enrolled_at": "2024-01-01",
        }
    ],
    "web_events": [
        {
            "event_id": "W-PH-1",
            "anonymous_id": "Undefined",
            "customer_id": "S-PH-2",
            "event_type": "login",
            "occurred_at": "2024-02-01T10:00:00Z",
        },
        {
            "event_id": "W-PH-2",
            "anonymous_id": "Undefined",
            "email": "dana.roth@mail-example.de",
            "event_type": "identify",
            "occurred_at": "2024-02-02T10:00:00Z",
        },
        {
            "event_id": "W-PH-3",
            "anonymous_id": "cookie-ph-eve",
            "customer_id": "NULL",
            "event_type": "page_view",
            "occurred_at": "2024-02-03T10:00:00Z",
        },
        {
            "event_id": "W-PH-4",
            "anonymous_id": "cookie-ph-finn",
            "customer_id": "null",
            "event_type": "page_view",
            "occurred_at": "2024-02-04T10:00:00Z",
        },
    ],
}

# --- a household's landline on two members' loyalty cards -------------------------------
# Documented default: a landline is a household's, so TWO customers (and the names
# differ too). Without names, the line type alone decides the same.
HOUSEHOLD = [
    {
        "loyalty_id": "L-HOME-ANNA",
        "first_name": "Anna",
        "last_name": "Schmidt",
        "email": "anna.schmidt@mail-example.de",
        "phone": "+49 30 12345678",
        "enrolled_at": "2023-04-01",
    },
    {
        "loyalty_id": "L-HOME-PAUL",
        "first_name": "Paul",
        "last_name": "Schmidt",
        "email": "paul.schmidt@mail-example.de",
        "phone": "030 12345678",  # completed from Paul's shop account (Germany)
        "enrolled_at": "2023-05-01",
    },
    {
        "loyalty_id": "L-HOME2-A",
        "email": "x.berger@mail-example.at",
        "phone": "+43 1 5123456",
        "enrolled_at": "2023-04-01",
    },
    {
        "loyalty_id": "L-HOME2-B",
        "email": "y.berger@mail-example.at",
        "phone": "+43 1 5123456",
        "enrolled_at": "2023-05-01",
    },
]
HOUSEHOLD_ACCOUNTS = [
    {
        "customer_id": "S-HOME-PAUL",
        "first_name": "Paul",
        "email": "paul.schmidt@mail-example.de",
        "country": "DE",
        "created_at": "2023-05-02",
    }
]

# --- a parent's mobile on a child's loyalty card ------------------------------------------------
# Different first names on the records that carry the mobile: shared. Expected: TWO.
PARENT = [
    {
        "loyalty_id": "L-PARENT",
        "first_name": "Karin",
        "email": "karin.berg@mail-example.se",
        "phone": "+46 70 123 45 67",
        "enrolled_at": "2022-01-01",
    },
    {
        "loyalty_id": "L-CHILD",
        "first_name": "Elsa",
        "email": "elsa.berg@mail-example.se",
        "phone": "+46 70 123 45 67",
        "enrolled_at": "2024-01-01",
    },
]

# --- names written differently by the same person: an initial, a short form ---------------
# J. / Jonathan / Jon: one person. Expected: ONE customer.
JONATHAN = {
    "crm_contacts": [
        {
            "contact_id": "C-JON",
            "first_name": "J.",
            "last_name": "O'Brien",
            "email": "j.obrien@firm-example.ie",
            "phone": "+353 85 123 4567",
            "country": "IE",
            "created_at": "2023-01-01",
        }
    ],
    "shop_customers": [
        {
            "customer_id": "S-JON",
            "first_name": "Jonathan",
            "last_name": "O'Brien",
            "email": "o'brien.jon@mail-example.ie",
            "phone": "085 123 4567",
            "country": "IE",
            "created_at": "2023-02-01",
        }
    ],
    "loyalty_members": [
        {
            "loyalty_id": "L-JON",
            "first_name": "jon",
            "phone": "+353851234567",
            "enrolled_at": "2023-03-01",
        }
    ],
}

# --- a North-American mobile with a personal and a work address -------------------------------
# The plan cannot tell a US mobile from a landline: treated as personal. Expected: ONE.
KEVIN = [
    {
        "ticket_id": "T-KEVIN-1",
        "email": "kevin.lee@mail-example.com",
        "phone": "(415) 555-0134",  # national: completed from the orders' country (US)
        "created_at": "2024-02-01T10:00:00Z",
    },
    {
        "ticket_id": "T-KEVIN-2",
        "email": "kevin.lee@corp-example.com",
        "phone": "+1 415 555 0134",
        "created_at": "2024-03-01T10:00:00Z",
    },
]
KEVIN_ORDERS = [
    {
        "order_id": "O-KEVIN",
        "email": "kevin.lee@mail-example.com",
        "status": "delivered",
        "currency": "USD",
        "ordered_at": "2024-01-15T10:00:00Z",
        "shipping_country": "US",
    }
]


# --- a national phone on a card whose only email is a placeholder ------------------------
# Three other people used TEST@TEST.COM on British shop accounts. Their country says
# nothing about this card holder's: the phone is not completed (not guessed).
PLACEHOLDER_VOTES = {
    "shop_customers": [
        {
            "customer_id": f"S-VOTE-{n}",
            "email": "test@test.com",
            "country": "GB",
            "created_at": "2024-01-01",
        }
        for n in (1, 2, 3)
    ],
    "loyalty_members": [
        {
            "loyalty_id": "L-VOTE",
            "email": "Test@Test.com",
            "phone": "07700 900456",
            "enrolled_at": "2024-02-01",
        }
    ],
}


def chain_records(person: str, length: int, phone_base: int) -> dict[str, list[dict]]:
    """One person's records in a chain: record k carries value k and value k+1, values
    alternating email / phone, records alternating shop account / loyalty card. Every
    email and phone sits on exactly two records of two different systems."""
    values = []
    for k in range(length + 1):
        if k % 2 == 0:
            values.append(("email", f"{person}.{k}@chain-example.com"))
        else:
            values.append(("phone", f"+49151{phone_base + k:08d}"))
    tables: dict[str, list[dict]] = {"shop_customers": [], "loyalty_members": []}
    for k in range(length):
        row = {kind: value for kind, value in (values[k], values[k + 1])}
        if k % 2 == 0:
            tables["shop_customers"].append(
                {"customer_id": f"S-{person}-{k}", **row, "created_at": "2024-01-01"}
            )
        else:
            tables["loyalty_members"].append(
                {"loyalty_id": f"L-{person}-{k}", **row, "enrolled_at": "2024-01-01"}
            )
    return tables


# --- typing habits: the same number written several ways, pasted text ----------------
# Expected: Paula (GB) is ONE customer: her CRM contact has her mobile typed nationally,
# her card '+44 07911…' (a trunk zero kept after the country code, which
# libphonenumber reads as +447911…). Jens (DE) likewise with '+49 0151…'. Pat is ONE
# customer: his card's address ends in a no-break space pasted from a web page.
# Two strangers who typed '+44 0000 000000' into a required field are TWO customers:
# a national number of zeros only is a placeholder, blocked.
TYPING = {
    "crm_contacts": [
        {
            "contact_id": "C-PAULA",
            "first_name": "Paula",
            "email": "paula@home-example.co.uk",
            "phone": "07911 555666",
            "country": "GB",
            "created_at": "2024-01-01",
        }
    ],
    "shop_customers": [
        {
            "customer_id": "S-JENS",
            "first_name": "Jens",
            "email": "jens@home-example.de",
            "phone": "0151 76543210",
            "country": "DE",
            "created_at": "2024-01-01",
        },
        {
            "customer_id": "S-PAT",
            "first_name": "Pat",
            "email": "pat.nb@home-example.com",
            "country": "IE",
            "created_at": "2024-01-01",
        },
    ],
    "loyalty_members": [
        {
            "loyalty_id": "L-PAULA",
            "first_name": "Paula",
            "email": "paula@work-example.co.uk",
            "phone": "+44 07911 555666",
            "enrolled_at": "2024-02-01",
        },
        {
            "loyalty_id": "L-JENS",
            "first_name": "Jens",
            "email": "jens@work-example.de",
            "phone": "+49 0151 76543210",
            "enrolled_at": "2024-02-01",
        },
        {
            "loyalty_id": "L-PAT",
            "first_name": "Pat",
            "email": "pat.nb@home-example.com\u00a0",
            "enrolled_at": "2024-02-01",
        },
    ],
    "shop_orders": [
        {
            "order_id": f"O-ZEROS-{n}",
            "email": f"stranger{n}@zeros-example.com",
            "phone": "+44 0000 000000",
            "status": "paid",
            "currency": "GBP",
            "ordered_at": "2024-03-01",
            "shipping_country": "GB",
        }
        for n in (1, 2)
    ],
}

# 30 people, each a chain of 2 to 59 records, plus one chain of 2,000 records.
CHAINS = {f"chain{n:02d}": 2 + (n * 7) % 58 for n in range(30)} | {"longchain": 2000}


def all_tables() -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}

    def add(part: dict[str, list[dict]]) -> None:
        for table, rows in part.items():
            tables.setdefault(table, []).extend(rows)

    for part in (
        JANE,
        OMAR,
        LI,
        MARIE,
        FAMILY,
        PLACEHOLDERS,
        JONATHAN,
        PLACEHOLDER_VOTES,
        TYPING,
    ):
        add(part)
    add({"loyalty_members": STORE_CARDS + KIOSK_CARDS + HOUSEHOLD + PARENT})
    add({"support_tickets": TICKETS + KEVIN, "shop_orders": KEVIN_ORDERS})
    add({"crm_contacts": AGENCY, "shop_customers": HOUSEHOLD_ACCOUNTS})
    for number, (person, length) in enumerate(CHAINS.items()):
        add(chain_records(person, length, phone_base=number * 10_000))
    return tables


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return build_scenario(tmp_path_factory.mktemp("guard_scenarios"), all_tables())


def customers_of_records(database, records: list[tuple[str, str]]) -> set[str | None]:
    """The customer of each (source_table, record_key); None for a record of nobody."""
    found = dict(
        ((table, key), customer)
        for table, key, customer in query(
            database,
            "select source_table, record_key, customer_id from intermediate.int_records_stitched",
        )
    )
    missing = [record for record in records if record not in found]
    assert not missing, f"records not stitched at all: {missing}"
    return {found[record] for record in records}


def classification(database, identifier_type: str, value: str) -> tuple:
    rows = query(
        database,
        "select is_stitching, non_stitching_reason, shared_with_type, line_type "
        "from intermediate.int_identifiers_classified "
        "where identifier_type = ? and identifier_value = ?",
        [identifier_type, value],
    )
    assert len(rows) == 1, (identifier_type, value, rows)
    return rows[0]


def test_personal_and_work_email_with_one_mobile_is_one_customer(database):
    records = [
        ("crm_contacts", "C-JANE"),
        ("shop_customers", "S-JANE"),
        ("loyalty_members", "L-JANE"),
        ("web_events", "W-JANE-1"),
        ("web_events", "W-JANE-2"),
    ]
    assert len(customers_of_records(database, records)) == 1
    assert classification(database, "phone", "+4915123456789")[:2] == (True, None)
    (customer,) = customers_of_records(database, records)
    identifiers = set(
        query(
            database,
            "select identifier_type, identifier_value from marts.customer_identities "
            "where customer_id = ? and is_stitching",
            [customer],
        )
    )
    assert identifiers == {
        ("crm_contact_id", "C-JANE"),
        ("shop_customer_id", "S-JANE"),
        ("loyalty_id", "L-JANE"),
        ("email", "jane.doe@acme-example.com"),
        ("email", "jane.doe@mailbox-example.com"),
        ("phone", "+4915123456789"),
        ("anonymous_id", "cookie-jane"),
    }
    # her opt-out through the work address reaches the one customer
    assert query(
        database,
        "select status, is_contactable from marts.customer_consent "
        "where customer_id = ? and purpose = 'email_marketing'",
        [customer],
    ) == [("denied", False)]


def test_second_shop_account_with_a_new_email_and_the_same_mobile(database):
    assert (
        len(
            customers_of_records(
                database, [("shop_customers", "S-OMAR-1"), ("shop_customers", "S-OMAR-2")]
            )
        )
        == 1
    )


def test_crm_duplicates_with_one_email(database):
    records = [("crm_contacts", "C-LI-1"), ("crm_contacts", "C-LI-2")]
    assert len(customers_of_records(database, records)) == 1


def test_a_later_record_ties_two_known_customers_together(database):
    records = [
        ("shop_customers", "S-MARIE"),
        ("loyalty_members", "L-MARIE-OLD"),
        ("loyalty_members", "L-MARIE-NEW"),
    ]
    assert len(customers_of_records(database, records)) == 1


@pytest.mark.parametrize("person", sorted(CHAINS))
def test_a_chain_of_records_is_one_customer(database, person):
    tables = chain_records(person, CHAINS[person], phone_base=0)
    records = [("shop_customers", r["customer_id"]) for r in tables["shop_customers"]] + [
        ("loyalty_members", r["loyalty_id"]) for r in tables["loyalty_members"]
    ]
    customers = customers_of_records(database, records)
    assert len(customers) == 1 and None not in customers
    # and no other person's records joined it
    (customer,) = customers
    holders = query(
        database,
        "select distinct split_part(record_key, '-', 2) from intermediate.int_records_stitched "
        "where customer_id = ?",
        [customer],
    )
    assert holders == [(person,)]


@pytest.mark.parametrize(
    ("cards", "phone"),
    [(STORE_CARDS, "+442079460000"), (KIOSK_CARDS, "+491609876543")],
    ids=["store_landline", "shop_owner_mobile"],
)
def test_a_number_typed_on_30_peoples_cards_links_none_of_them(database, cards, phone):
    records = [("loyalty_members", card["loyalty_id"]) for card in cards]
    assert len(customers_of_records(database, records)) == 30
    is_stitching, reason, shared_with, _ = classification(database, "phone", phone)
    assert (is_stitching, reason) == (False, "shared")
    assert shared_with in ("email", "loyalty_id")
    # visible, with its reason, under each of the 30 customers
    assert query(
        database,
        "select count(distinct customer_id), bool_and(not is_stitching) "
        "from marts.customer_identities where identifier_type = 'phone' "
        "and identifier_value = ?",
        [phone],
    ) == [(30, True)]


def test_a_call_centre_number_on_tickets_from_40_addresses(database):
    records = [("support_tickets", f"T-CC-{n:02d}") for n in range(1, 41)]
    assert len(customers_of_records(database, records)) == 40
    assert classification(database, "phone", "+12125550100")[:3] == (False, "shared", "email")


def test_a_toll_free_number_is_never_a_persons(database):
    records = [("support_tickets", "T-TF-1"), ("support_tickets", "T-TF-2")]
    assert len(customers_of_records(database, records)) == 2
    assert classification(database, "phone", "+448001234567") == (
        False,
        "service_number",
        None,
        "service",
    )


def test_a_family_computer_with_two_peoples_logins(database):
    records = [("shop_customers", "S-MUM"), ("shop_customers", "S-SON")]
    assert len(customers_of_records(database, records)) == 2
    assert classification(database, "anonymous_id", "cookie-family-pc")[:3] == (
        False,
        "shared",
        "shop_customer_id",
    )


def test_an_assistants_address_on_a_dozen_clients_contacts(database):
    records = [("crm_contacts", f"C-AGENCY-{n:02d}") for n in range(1, 13)]
    assert len(customers_of_records(database, records)) == 12
    assert classification(database, "email", "office@agency-example.com")[:3] == (
        False,
        "shared",
        "crm_contact_id",
    )


def test_placeholders_in_any_casing_link_nothing(database):
    records = [
        ("shop_customers", "S-PH-1"),
        ("loyalty_members", "L-PH-1"),
        ("shop_customers", "S-PH-2"),
        ("web_events", "W-PH-2"),
        ("web_events", "W-PH-3"),
        ("web_events", "W-PH-4"),
    ]
    assert len(customers_of_records(database, records)) == 6
    for identifier_type, value in [
        ("email", "test@test.com"),
        ("anonymous_id", "Undefined"),
        ("shop_customer_id", "NULL"),
        ("shop_customer_id", "null"),
    ]:
        assert classification(database, identifier_type, value)[:2] == (False, "blocked")


def test_a_household_landline_on_two_members_cards_is_the_households(database):
    assert (
        len(
            customers_of_records(
                database, [("loyalty_members", "L-HOME-ANNA"), ("loyalty_members", "L-HOME-PAUL")]
            )
        )
        == 2
    )
    is_stitching, reason, _, line_type = classification(database, "phone", "+493012345678")
    assert (is_stitching, reason, line_type) == (False, "shared", "fixed_line")
    # without names, the line type alone decides the same
    assert (
        len(
            customers_of_records(
                database, [("loyalty_members", "L-HOME2-A"), ("loyalty_members", "L-HOME2-B")]
            )
        )
        == 2
    )
    assert classification(database, "phone", "+4315123456") == (
        False,
        "shared",
        "email",
        "fixed_line",
    )


def test_a_parents_mobile_on_a_childs_card(database):
    records = [("loyalty_members", "L-PARENT"), ("loyalty_members", "L-CHILD")]
    assert len(customers_of_records(database, records)) == 2
    assert classification(database, "phone", "+46701234567")[:3] == (False, "shared", "first_name")


def test_an_initial_and_a_short_form_are_the_same_person(database):
    records = [("crm_contacts", "C-JON"), ("shop_customers", "S-JON"), ("loyalty_members", "L-JON")]
    assert len(customers_of_records(database, records)) == 1


def test_a_north_american_number_with_two_addresses(database):
    records = [("support_tickets", "T-KEVIN-1"), ("support_tickets", "T-KEVIN-2")]
    assert len(customers_of_records(database, records)) == 1
    assert classification(database, "phone", "+14155550134") == (True, None, None, "unknown")


def test_a_placeholder_email_votes_no_country_for_a_national_phone(database):
    assert query(
        database,
        "select count(*) from intermediate.int_national_phones_read "
        "where record_key = 'L-VOTE' and phone is not null",
    ) == [(0,)]
    # while a real person's national phone is completed (Paul's card, above)
    assert query(
        database,
        "select phone from intermediate.int_national_phones_read where record_key = 'L-HOME-PAUL'",
    ) == [("+493012345678",)]


@pytest.mark.parametrize(
    ("records", "phone"),
    [
        ([("crm_contacts", "C-PAULA"), ("loyalty_members", "L-PAULA")], "+447911555666"),
        ([("shop_customers", "S-JENS"), ("loyalty_members", "L-JENS")], "+4915176543210"),
    ],
)
def test_a_trunk_zero_after_the_country_code_is_the_same_number(database, records, phone):
    assert len(customers_of_records(database, records)) == 1
    assert classification(database, "phone", phone)[:2] == (True, None)


def test_a_pasted_no_break_space_does_not_split_a_person(database):
    records = [("shop_customers", "S-PAT"), ("loyalty_members", "L-PAT")]
    assert len(customers_of_records(database, records)) == 1


def test_a_phone_of_zeros_typed_into_a_required_field_links_nothing(database):
    records = [("shop_orders", "O-ZEROS-1"), ("shop_orders", "O-ZEROS-2")]
    assert len(customers_of_records(database, records)) == 2
    assert classification(database, "phone", "+44000000000")[:2] == (False, "blocked")
