"""`cdp explain-link`: why two identifiers are one customer, on hand-made records.

One build of a few people whose identity graph is written out by hand below (the
records, each identifier's place in the node order, the links each record makes as a
star around its oldest identifier), and the answers worked out from it and from
docs/contract.md §2: the shortest chain with the record behind each link, its
tie-breaks, and what stands in the way when there is no chain. The analysis is compiled
once and answers every question with its inputs bound at run time.
"""

from __future__ import annotations

import os

import pytest

from conftest import build_scenario, query

ADA_WORK = "ada@work-example.com"
ADA_HOME = "ada@home-example.net"
ADA_MOBILE = "+447700900001"
STORE_PHONE = "+44 1632 960999"

# Ada: a CRM contact (2024-01-01) with her work address and mobile; a shop account
# (2024-03-01) with the mobile and her home address; a loyalty card (2024-05-01) with
# the home address. Node order (first seen, then type, then value): CRM contact C-ADA,
# work address, mobile (2024-01-01); home address, shop account (2024-03-01); card.
# Links, a star around each record's oldest identifier: the CRM contact links C-ADA to
# the work address and to the mobile; the shop account links the mobile to the home
# address and to S-ADA; the card links the home address to the card.
#
# Ben: two guest orders, O-2 (older) and O-1, both with his email and phone: two links
# between the same two identifiers; the smaller record key (O-1) explains the hop.
#
# Cleo: a CRM contact (2024-01-01) with her email and phone; a store sale with her card
# and her email, and the card itself with her phone (both 2024-06-01). From C-CLEO the
# search reaches the email and the phone, then the card through both: through the email
# (the smaller node: same day, and email sorts before phone), although the card's own
# record (loyalty_members) sorts before the sale (pos_transactions).
#
# Three strangers with the store's landline on their cards: it links nobody.
RAW = {
    "crm_contacts": [
        {
            "contact_id": "C-ADA",
            "first_name": "Ada",
            "email": ADA_WORK,
            "phone": ADA_MOBILE,
            "country": "GB",
            "created_at": "2024-01-01",
        },
        {
            "contact_id": "C-CLEO",
            "first_name": "Cleo",
            "email": "cleo@example.org",
            "phone": "+447700900003",
            "country": "GB",
            "created_at": "2024-01-01",
        },
    ],
    "shop_customers": [
        {
            "customer_id": "S-ADA",
            "first_name": "Ada",
            "email": ADA_HOME,
            "phone": ADA_MOBILE,
            "country": "GB",
            "created_at": "2024-03-01",
        },
    ],
    "shop_orders": [
        {
            "order_id": order_id,
            "email": "ben@example.org",
            "phone": "+447700900002",
            "status": "paid",
            "currency": "GBP",
            "shipping_country": "GB",
            "ordered_at": ordered_at,
        }
        for order_id, ordered_at in (("O-2", "2024-02-01"), ("O-1", "2024-02-02"))
    ],
    "loyalty_members": [
        {"loyalty_id": "900000000001", "email": ADA_HOME, "enrolled_at": "2024-05-01"},
        {
            "loyalty_id": "900000000003",
            "first_name": "Cleo",
            "phone": "+447700900003",
            "enrolled_at": "2024-06-01",
        },
        *(
            {
                "loyalty_id": f"90000000010{n}",
                "first_name": name,
                "email": f"{name.lower()}@stranger-example.com",
                "phone": STORE_PHONE,
                "enrolled_at": "2024-07-01",
            }
            for n, name in enumerate(("Dora", "Emil", "Finn"))
        ),
    ],
    "pos_transactions": [
        {
            "transaction_id": "T-CLEO",
            "loyalty_id": "900000000003",
            "email": "cleo@example.org",
            "currency": "GBP",
            "amount": "12.50",
            "transacted_at": "2024-06-01",
        },
    ],
    # a placeholder address on a ticket: it belongs to nobody
    "support_tickets": [
        {"ticket_id": "K-TEST", "email": "TEST@TEST.COM", "created_at": "2024-08-01"},
    ],
}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explain_link")
    built = build_scenario(folder, RAW)
    # the command compiles into dbt's target folder (env DBT_TARGET_PATH, else target/)
    previous = os.environ.get("DBT_TARGET_PATH")
    os.environ["DBT_TARGET_PATH"] = str(folder / "compiled")
    yield str(built)
    if previous is None:
        os.environ.pop("DBT_TARGET_PATH", None)
    else:
        os.environ["DBT_TARGET_PATH"] = previous


def customer_of(database: str, identifier_type: str, value: str) -> str:
    rows = query(
        database,
        "select distinct customer_id from marts.customer_identities "
        "where identifier_type = ? and identifier_value = ?",
        [identifier_type, value],
    )
    assert len(rows) == 1, rows
    return rows[0][0]


def hops(explanation) -> list[tuple[str, str, str, str]]:
    return [
        (hop.identifier, hop.linked_identifier, hop.linked_by_table, hop.linked_by_record)
        for hop in explanation.hops
    ]


def test_the_shortest_chain_with_the_record_behind_each_link(database):
    from cdp.explain_link import explain

    explanation = explain(database, ("email", ADA_WORK), ("loyalty_id", "900000000001"))
    assert explanation.is_one_customer
    assert explanation.first.customer_id == customer_of(database, "email", ADA_WORK)
    assert hops(explanation) == [
        (f"email {ADA_WORK}", "crm_contact_id C-ADA", "crm_contacts", "C-ADA"),
        ("crm_contact_id C-ADA", f"phone {ADA_MOBILE}", "crm_contacts", "C-ADA"),
        (f"phone {ADA_MOBILE}", f"email {ADA_HOME}", "shop_customers", "S-ADA"),
        (f"email {ADA_HOME}", "loyalty_id 900000000001", "loyalty_members", "900000000001"),
    ]
    # and back: the same four records, from the card
    back = explain(database, ("loyalty_id", "900000000001"), ("email", ADA_WORK))
    assert [hop[3] for hop in hops(back)] == ["900000000001", "S-ADA", "C-ADA", "C-ADA"]


def test_identifiers_are_read_as_everywhere(database):
    from cdp.explain_link import explain

    # an email in odd casing and spaces, her mobile typed nationally (its one known
    # reading is British), a plus-tagged address: the same chain
    explanation = explain(database, ("email", f"  {ADA_WORK.upper()} "), ("phone", "07700 900001"))
    assert explanation.first.read_as == ADA_WORK
    assert explanation.second.read_as == ADA_MOBILE
    assert [hop[3] for hop in hops(explanation)] == ["C-ADA", "C-ADA"]
    tagged = explain(database, ("email", "ada+shop@home-example.net"), ("phone", ADA_MOBILE))
    assert hops(tagged) == [(f"email {ADA_HOME}", f"phone {ADA_MOBILE}", "shop_customers", "S-ADA")]


def test_ties_go_to_the_smaller_node_then_table_then_record(database):
    from cdp.explain_link import explain

    # two orders link Ben's email and phone: O-1, the smaller key, though O-2 is older
    ben = explain(database, ("email", "ben@example.org"), ("phone", "+447700900002"))
    assert hops(ben) == [
        ("email ben@example.org", "phone +447700900002", "shop_orders", "O-1"),
    ]
    # the card is reached through the email (the smaller node), not the phone, though
    # the phone's record sorts first by table
    cleo = explain(database, ("crm_contact_id", "C-CLEO"), ("loyalty_id", "900000000003"))
    assert hops(cleo) == [
        ("crm_contact_id C-CLEO", "email cleo@example.org", "crm_contacts", "C-CLEO"),
        ("email cleo@example.org", "loyalty_id 900000000003", "pos_transactions", "T-CLEO"),
    ]


def test_what_stands_in_the_way(database):
    from cdp.explain_link import explain

    def answer(first, second) -> str:
        return "\n".join(explain(database, first, second).lines())

    ada = customer_of(database, "email", ADA_WORK)
    ben = customer_of(database, "email", "ben@example.org")
    assert answer(("email", ADA_WORK), ("email", "ben@example.org")) == (
        f"not one customer: email {ADA_WORK} belongs to {ada}, email ben@example.org to {ben}"
    )
    assert answer(("email", ADA_WORK), ("phone", STORE_PHONE)) == (
        "not one customer: phone +441632960999: it is shared by several people, so it links nothing"
    )
    assert answer(("email", "TEST@test.com"), ("email", ADA_WORK)) == (
        "not one customer: email test@test.com: it is a placeholder on the blocklist, "
        "which links nothing"
    )
    assert answer(("email", ADA_WORK), ("email", "nobody@example.org")) == (
        "not one customer: email nobody@example.org: no record carries it"
    )
    assert answer(("email", ADA_WORK), ("email", "not-an-email")) == (
        "not one customer: email not-an-email: it is not a valid email"
    )
    assert answer(("phone", "01632 960123"), ("email", ADA_WORK)) == (
        "not one customer: phone 01632 960123: no customer holds these national digits in "
        "any country's reading: give the number with +<country code>"
    )
    assert answer(("email", ADA_WORK), ("email", ADA_WORK)) == (
        f"one customer, {ada}: the same identifier"
    )
    # the statuses are the access request's (docs/privacy.md)
    blocked = explain(database, ("email", "test@test.com"), ("phone", STORE_PHONE))
    assert (blocked.first.status, blocked.first.reason_code) == (
        "blocked",
        "identifier_not_stitching",
    )
    assert (blocked.second.status, blocked.second.non_stitching_reason) == ("shared", "shared")


def test_the_command_prints_the_chain(database, capsys):
    from cdp.cli import main

    argv = ["explain-link", "email", ADA_WORK, "loyalty_id", "900000000001"]
    assert main([*argv, "--database", database]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"one customer, {customer_of(database, 'email', ADA_WORK)}: 4 links"
    assert out[1].split() == ["hop", "from", "to", "linked", "by"]
    assert out[-1].split() == [
        "4",
        "email",
        ADA_HOME,
        "loyalty_id",
        "900000000001",
        "loyalty_members",
        "900000000001",
    ]
    assert main(["explain-link", "fax", "1", "email", ADA_WORK, "--database", database]) == 2
    assert "unknown identifier type 'fax': one of " in capsys.readouterr().err


def test_an_injection_finds_nobody_and_the_sql_is_compiled_once(database, monkeypatch):
    import cdp.dbt_invoke
    from cdp.explain_link import ExplainLinkError, explain

    explain(database, ("email", ADA_WORK), ("email", ADA_HOME))  # compiled by now
    # no further question reaches dbt: the SQL is compiled once, the values are bound
    monkeypatch.setattr(
        cdp.dbt_invoke, "invoke", lambda *a, **k: pytest.fail("compiled a second time")
    )
    # unquoted, `= 'x' or true or ''` would match every identifier, and a chain would
    # follow between whatever the two matched
    injected = explain(database, ("loyalty_id", "x' or true or '"), ("email", ADA_WORK))
    assert (injected.first.status, injected.first.reason_code) == (
        "not_found",
        "no_matching_customer",
    )
    assert injected.hops == []
    quote = explain(database, ("email", "x' or '1'='1"), ("email", "ada@work-example.com'--"))
    assert (quote.first.status, quote.second.status) == ("unreadable", "unreadable")
    with pytest.raises(ExplainLinkError, match="unknown identifier type"):
        explain(database, ("email' or '1'='1", ADA_WORK), ("email", ADA_HOME))


def test_the_compiled_sql_holds_no_value(database):
    from cdp.access_request import compiled_sql, dbt_target_path
    from cdp.explain_link import ANALYSIS
    from conftest import PROJECT_DIR

    sql = compiled_sql(database, PROJECT_DIR, dbt_target_path(PROJECT_DIR), analysis=ANALYSIS)
    assert "getvariable('cdp_request_from_identifier_value')" in sql
    for value in (ADA_WORK, ADA_HOME, "900000000001", "x' or true"):
        assert value not in sql
