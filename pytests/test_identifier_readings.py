"""One reading of every identifier, everywhere (docs/contract.md §2 Identifier readings).

Hand-made people, as real systems hold them. The expected answers were written from the
contract before the code ran:

- Harriet Osei has a shop account with her UK mobile in international format; at the
  till she filled a loyalty card with her name and `07911 480123`, nothing else. The
  card's number is read as the one reading of those digits that is known
  (+447911480123): one customer.
- Ana Lima signed up to the shop as `Ana+news@Example.net` and answered a survey as
  `ana@example.net`: one mailbox, one person. A request by the plain form finds her.
- Bob Fischer's shop account says Bob, his loyalty card Robert (a short form from the
  first-name variants seed); Jürgen Müller's CRM contact and Juergen Mueller's card (a
  transliteration); Anna Schmidt's shop account and a card with first and last name
  swapped: each one person, linked by the mobile they share with themselves.
- Maria and Paolo Rossi share the family landline on their own loyalty cards (no email
  on either): two people, the landline links nothing (different first names).
- Daan (NL) and Chloé (FR) have `06 48261537` in their own countries' formats: a request
  by `0648261537` cannot tell which of the two is meant.
- A store typed `test@test.com` on a sale (a blocked placeholder).

Access requests go through `cdp access-request`, which writes its answer to the file
the officer names: a shared, blocked, ambiguous or unreadable identifier is answered
with the reason and no person's records.
"""

from __future__ import annotations

import json

import pytest

from conftest import PROJECT_DIR, build_scenario, query

RAW = {
    "shop_customers": [
        {
            "customer_id": "S-HO",
            "email": "harriet.osei@example.co.uk",
            "phone": "+44 7911 480123",
            "first_name": "Harriet",
            "last_name": "Osei",
            "country": "GB",
            "created_at": "2023-01-05T10:00:00Z",
        },
        {
            "customer_id": "S-AN",
            "email": " Ana+news@Example.net ",
            "first_name": "Ana",
            "last_name": "Lima",
            "country": "PT",
            "created_at": "2023-03-01T10:00:00Z",
        },
        {
            "customer_id": "S-BF",
            "email": "bob.fischer@example.de",
            "phone": "+49 151 2468 1357",
            "first_name": "Bob",
            "last_name": "Fischer",
            "country": "DE",
            "created_at": "2023-01-10T10:00:00Z",
        },
        {
            "customer_id": "S-AS",
            "email": "anna.schmidt@example.at",
            "phone": "+43 664 1234567",
            "first_name": "Anna",
            "last_name": "Schmidt",
            "country": "AT",
            "created_at": "2023-02-10T10:00:00Z",
        },
        {
            "customer_id": "S-DV",
            "email": "daan.visser@example.nl",
            "phone": "06 48261537",
            "first_name": "Daan",
            "last_name": "Visser",
            "country": "NL",
            "created_at": "2023-02-11T10:00:00Z",
        },
        {
            "customer_id": "S-CM",
            "email": "chloe.martin@example.fr",
            "phone": "06 48 26 15 37",
            "first_name": "Chloé",
            "last_name": "Martin",
            "country": "FR",
            "created_at": "2023-02-12T10:00:00Z",
        },
    ],
    "crm_contacts": [
        {
            "contact_id": "C-JM",
            "first_name": "Jürgen",
            "last_name": "Müller",
            "email": "j.mueller@example.de",
            "phone": "+49 170 1112223",
            "country": "DE",
            "created_at": "2022-05-01T10:00:00Z",
        }
    ],
    "loyalty_members": [
        {  # filled at the till: a name and a national number, nothing else
            "loyalty_id": "L-HO",
            "first_name": "Harriet",
            "last_name": "Osei",
            "phone": "07911 480123",
            "enrolled_at": "2023-02-01T10:00:00Z",
        },
        {
            "loyalty_id": "L-BF",
            "first_name": "Robert",
            "last_name": "Fischer",
            "phone": "+49 151 24681357",
            "enrolled_at": "2023-04-01T10:00:00Z",
        },
        {
            "loyalty_id": "L-JM",
            "first_name": "Juergen",
            "last_name": "Mueller",
            "phone": "+49 170 1112223",
            "enrolled_at": "2023-05-01T10:00:00Z",
        },
        {
            "loyalty_id": "L-AS",
            "first_name": "SCHMIDT",
            "last_name": "ANNA",
            "phone": "+43 664 1234567",
            "enrolled_at": "2023-05-02T10:00:00Z",
        },
        {
            "loyalty_id": "L-MR",
            "first_name": "Maria",
            "last_name": "Rossi",
            "phone": "+39 06 1234 5678",
            "enrolled_at": "2023-06-01T10:00:00Z",
        },
        {
            "loyalty_id": "L-PR",
            "first_name": "Paolo",
            "last_name": "Rossi",
            "phone": "+39 06 1234 5678",
            "enrolled_at": "2023-06-02T10:00:00Z",
        },
    ],
    "survey_responses": [
        {
            "response_id": "R-AN",
            "email": "ana@example.net",
            "survey": "nps",
            "nps_score": "9",
            "comment": "Obrigada!",
            "submitted_at": "2023-04-01T10:00:00Z",
        }
    ],
    "pos_transactions": [
        {
            "transaction_id": "T-TEST",
            "store_id": "ST-1",
            "email": "test@test.com",
            "currency": "EUR",
            "amount": "12.00",
            "transacted_at": "2023-07-01T10:00:00Z",
        }
    ],
    "consent_events": [
        {
            "event_id": "CE-AN",
            "identifier_type": "email",
            "identifier_value": "ana+news@example.net",
            "purpose": "email_marketing",
            "status": "granted",
            "occurred_at": "2023-03-02T10:00:00Z",
        }
    ],
}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return build_scenario(tmp_path_factory.mktemp("readings"), RAW)


def customer_of(database, identifier_type: str, value: str) -> str:
    rows = query(
        database,
        "select distinct customer_id from marts.customer_identities "
        "where identifier_type = ? and identifier_value = ?",
        [identifier_type, value],
    )
    assert len(rows) == 1, (identifier_type, value, rows)
    return rows[0][0]


def customer_of_record(database, source_table: str, record_key: str) -> str | None:
    rows = query(
        database,
        "select customer_id from intermediate.int_records_stitched "
        "where source_table = ? and record_key = ?",
        [source_table, record_key],
    )
    assert len(rows) == 1, (source_table, record_key, rows)
    return rows[0][0]


# --- phones typed in national format on a record without a country ---------------------


def test_a_national_phone_on_a_bare_loyalty_card_is_read_as_the_known_number(database):
    harriet = customer_of(database, "shop_customer_id", "S-HO")
    assert customer_of(database, "loyalty_id", "L-HO") == harriet
    assert query(
        database,
        "select identifier_value, is_stitching, record_count from marts.customer_identities "
        "where customer_id = ? and identifier_type = 'phone'",
        [harriet],
    ) == [("+447911480123", True, 2)]


def test_two_known_readings_of_a_national_number_are_never_guessed(database):
    """Daan's and Chloé's own records carry their countries: each reads as its own."""
    assert customer_of(database, "phone", "+31648261537") == customer_of(
        database, "shop_customer_id", "S-DV"
    )
    assert customer_of(database, "phone", "+33648261537") == customer_of(
        database, "shop_customer_id", "S-CM"
    )


# --- emails: one mailbox, one reading ---------------------------------------------------


def test_a_plus_tag_names_the_same_mailbox(database):
    ana = customer_of(database, "shop_customer_id", "S-AN")
    assert customer_of_record(database, "survey_responses", "R-AN") == ana
    assert query(
        database,
        "select identifier_value from marts.customer_identities "
        "where customer_id = ? and identifier_type = 'email'",
        [ana],
    ) == [("ana@example.net",)]
    # her grant, given as ana+news@, puts her in the email audience
    assert query(
        database,
        "select count(*) from marts.audience_email_marketing where customer_id = ?",
        [ana],
    ) == [(1,)]


# --- names as people write them -----------------------------------------------------------


@pytest.mark.parametrize(
    ("account", "card"),
    [
        (("shop_customer_id", "S-BF"), ("loyalty_id", "L-BF")),  # Bob / Robert
        (("crm_contact_id", "C-JM"), ("loyalty_id", "L-JM")),  # Jürgen / Juergen
        (("shop_customer_id", "S-AS"), ("loyalty_id", "L-AS")),  # first and last swapped
    ],
    ids=["short-form", "transliteration", "swapped"],
)
def test_one_person_writing_their_name_differently_stays_one(database, account, card):
    assert customer_of(database, *account) == customer_of(database, *card)


def test_a_households_two_members_stay_apart(database):
    maria = customer_of(database, "loyalty_id", "L-MR")
    paolo = customer_of(database, "loyalty_id", "L-PR")
    assert maria != paolo
    assert sorted(
        query(
            database,
            "select customer_id, is_stitching, shared_with_type from marts.customer_identities "
            "where identifier_type = 'phone' and identifier_value = '+390612345678'",
        )
    ) == sorted([(maria, False, "first_name"), (paolo, False, "first_name")])


# --- access requests ------------------------------------------------------------------------


def access_request(database, tmp_path, identifier_type: str, value: str) -> dict:
    from cdp.cli import main

    output = tmp_path / f"answer-{identifier_type}-{abs(hash(value))}.json"
    code = main(
        [
            "access-request",
            identifier_type,
            value,
            "--output",
            str(output),
            "--database",
            str(database),
        ]
    )
    assert code == 0
    return json.loads(output.read_text(encoding="utf-8"))


def held(answer: dict) -> list[tuple[str, str]]:
    return sorted((item["source_table"], item["record_key"]) for item in answer["records"])


def test_access_request_by_a_national_phone(database, tmp_path):
    answer = access_request(database, tmp_path, "phone", "07911 480123")
    assert answer["status"] == "found"
    assert answer["identifier"]["read_as"] == "+447911480123"
    assert held(answer) == [("loyalty_members", "L-HO"), ("shop_customers", "S-HO")]


def test_access_request_by_the_plain_form_of_a_plus_address(database, tmp_path):
    answer = access_request(database, tmp_path, "email", " ANA@example.net ")
    assert answer["status"] == "found"
    assert held(answer) == [("shop_customers", "S-AN"), ("survey_responses", "R-AN")]
    assert [(s["source_table"], s["record_key"]) for s in answer["consent_signals"]] == [
        ("consent_events", "CE-AN")
    ]


def test_access_request_by_an_account_id(database, tmp_path):
    answer = access_request(database, tmp_path, "loyalty_id", " L-HO ")
    assert answer["status"] == "found"
    assert held(answer) == [("loyalty_members", "L-HO"), ("shop_customers", "S-HO")]


@pytest.mark.parametrize(
    ("identifier_type", "value", "status"),
    [
        ("phone", "+39 06 1234 5678", "shared"),  # the Rossis' landline
        ("email", "TEST@test.com", "blocked"),
        ("phone", "0648261537", "ambiguous"),  # Daan's or Chloé's
        ("phone", "call me maybe", "unreadable"),
        ("email", "ana at example", "unreadable"),
        ("email", "nobody@example.org", "not_found"),
    ],
)
def test_access_request_that_finds_no_one_person_hands_out_nothing(
    database, tmp_path, identifier_type, value, status
):
    answer = access_request(database, tmp_path, identifier_type, value)
    assert answer["status"] == status
    assert answer["reason"]
    assert answer["records"] == []
    assert answer["consent_signals"] == []
    assert answer["privacy_requests"] == []
    text = json.dumps(answer).lower()
    for someone in ("rossi", "visser", "martin", "12.00"):
        assert someone not in text


def test_access_request_writes_nothing_but_its_answer(database, tmp_path):
    """Neither the requested value nor the answer reach dbt's logs or compiled SQL."""
    access_request(database, tmp_path, "phone", "07911 480123")
    folders = [database.parent, PROJECT_DIR / "logs", PROJECT_DIR / "target"]
    leaked = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in folder.rglob("*"):
            if not path.is_file() or path.name.startswith(("cdp.duckdb", "answer-")):
                continue
            data = path.read_bytes().lower()
            for needle in (b"7911 480123", b"7911480123", b"osei"):
                if needle in data:
                    leaked.append(f"{path}: {needle!r}")
    assert leaked == []


def test_access_request_refuses_an_unknown_identifier_type(database, tmp_path, capsys):
    from cdp.cli import main

    code = main(
        [
            "access-request",
            "passport",
            "X123",
            "--output",
            str(tmp_path / "a.json"),
            "--database",
            str(database),
        ]
    )
    assert code == 2
    assert "passport" in capsys.readouterr().err
    assert not (tmp_path / "a.json").exists()
