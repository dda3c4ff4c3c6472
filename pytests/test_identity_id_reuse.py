"""Customer ids are never issued twice, and a merge that is undone gives the id back
(docs/contract.md §2: "an id once issued is never given to anyone else"; a merged or
retired id maps to the id to use now). Found by an outside review: after a merge or a
retirement the next new customer received an id issued before, and every later build
failed its uniqueness tests.

Expected answers, by hand, from the contract:
- chain: Al's three shop accounts (2018, 2019, 2020) and Ros's CRM contact are four
  customers. Build 2: an order ties the 2019 and 2020 accounts (the 2019 id survives)
  and Ros's contact is deleted (her id retired). Build 3: an order ties the 2018 and
  2019 accounts (the 2018 id survives; the 2020 id now maps to it through the 2019 id)
  and Ros's contact is restored: she gets her id back. Build 4: Nina, a new customer,
  gets an id no one ever had; nobody else changes.
- family computer: Hank and Hope are two customers. Build 2: a cookie logs in as Hank
  and signs up Hope's address for the newsletter: one customer (Hope's id merged into
  Hank's). Build 3: the same cookie logs in as Hope: a cookie seen with two shop
  accounts is shared (README, guard decision table), so they are two customers again,
  and Hope's old id is hers again: a destination that re-keyed Hope's records to Hank's
  id learns from customer_id_changes that they go back.
"""

from __future__ import annotations

import pytest

from conftest import query
from test_identity_history import build, current


def shop(customer_id, email, first_name, created_at):
    return {
        "customer_id": customer_id,
        "email": email,
        "first_name": first_name,
        "last_name": "Xu",
        "country": "GB",
        "created_at": created_at,
        "updated_at": created_at,
    }


def crm(updated_at, is_deleted):
    return {
        "contact_id": "C-ROS",
        "email": "ros@reuse-example.com",
        "first_name": "Ros",
        "last_name": "Xu",
        "country": "GB",
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": updated_at,
        "is_deleted": is_deleted,
    }


def order(order_id, customer_id, email, ordered_at):
    return {
        "order_id": order_id,
        "customer_id": customer_id,
        "email": email,
        "status": "paid",
        "currency": "EUR",
        "ordered_at": ordered_at,
        "shipping_country": "GB",
    }


def web(event_id, customer_id, email, event_type, occurred_at):
    return {
        "event_id": event_id,
        "anonymous_id": "cookie-family-pc",
        "customer_id": customer_id,
        "email": email,
        "event_type": event_type,
        "occurred_at": occurred_at,
    }


AL_2018 = shop("S-AL18", "al18@reuse-example.com", "Al", "2018-01-01T00:00:00Z")
AL_2019 = shop("S-AL19", "al19@reuse-example.com", "Al", "2019-01-01T00:00:00Z")
AL_2020 = shop("S-AL20", "al20@reuse-example.com", "Al", "2020-01-01T00:00:00Z")
NINA = shop("S-NINA", "nina@reuse-example.com", "Nina", "2024-03-01T00:00:00Z")
HANK = shop("S-HANK", "hank@reuse-example.com", "Hank", "2020-01-01T00:00:00Z")
HOPE = shop("S-HOPE", "hope@reuse-example.com", "Hope", "2021-01-01T00:00:00Z")


def account_ids(database) -> dict[str, str]:
    return dict(
        query(
            database,
            "select identifier_value, customer_id from intermediate.int_identifiers_stitched "
            "where identifier_type in ('shop_customer_id', 'crm_contact_id')",
        )
    )


def events(database, build_number) -> set[tuple]:
    return set(
        query(
            database,
            "select event_type, old_customer_id, new_customer_id from marts.customer_id_changes "
            "where build_number = ?",
            [build_number],
        )
    )


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    database = tmp_path_factory.mktemp("reuse") / "cdp.duckdb"
    shops = [AL_2018, AL_2019, AL_2020]
    contacts = [crm("2020-01-01T00:00:00Z", "false")]
    orders = []
    seen = {}
    build(database, {"shop_customers": shops, "crm_contacts": contacts})
    seen[1] = (account_ids(database), current(database), events(database, 1))
    contacts.append(crm("2024-01-01T00:00:00Z", "true"))
    orders.append(order("O-TIE-19-20", "S-AL20", "al19@reuse-example.com", "2024-01-01"))
    build(database, {"shop_customers": shops, "crm_contacts": contacts, "shop_orders": orders})
    seen[2] = (account_ids(database), current(database), events(database, 2))
    contacts.append(crm("2024-02-01T00:00:00Z", "false"))
    orders.append(order("O-TIE-18-19", "S-AL19", "al18@reuse-example.com", "2024-02-01"))
    build(database, {"shop_customers": shops, "crm_contacts": contacts, "shop_orders": orders})
    seen[3] = (account_ids(database), current(database), events(database, 3))
    shops.append(NINA)
    build(database, {"shop_customers": shops, "crm_contacts": contacts, "shop_orders": orders})
    seen[4] = (account_ids(database), current(database), events(database, 4))
    return seen


def test_a_merge_and_a_retirement_are_logged(chain):
    first, _, _ = chain[1]
    _, ids_now, changes = chain[2]
    assert ("merged", first["S-AL20"], first["S-AL19"]) in changes
    assert ("retired", first["C-ROS"], None) in changes
    assert ids_now[first["C-ROS"]] == (None, "retired")


def test_a_restored_contact_gets_its_retired_id_back(chain):
    first, _, _ = chain[1]
    accounts, ids_now, changes = chain[3]
    assert accounts["C-ROS"] == first["C-ROS"]
    assert ids_now[first["C-ROS"]] == (first["C-ROS"], "active")
    assert ("restored", None, first["C-ROS"]) in changes


def test_merge_chains_lead_to_the_id_issued_first(chain):
    first, _, _ = chain[1]
    accounts, ids_now, _ = chain[3]
    al = first["S-AL18"]
    assert {accounts[a] for a in ("S-AL18", "S-AL19", "S-AL20")} == {al}
    assert ids_now[first["S-AL19"]] == (al, "merged")
    assert ids_now[first["S-AL20"]] == (al, "merged")


def test_a_new_customer_gets_an_id_nobody_ever_had(chain):
    ever_issued = set(chain[3][1])
    accounts, ids_now, changes = chain[4]
    assert accounts["S-NINA"] not in ever_issued
    assert changes == {("created", None, accounts["S-NINA"])}
    assert {k: v for k, v in accounts.items() if k != "S-NINA"} == chain[3][0]
    assert len(ids_now) == len(ever_issued) + 1


@pytest.fixture(scope="module")
def family(tmp_path_factory):
    database = tmp_path_factory.mktemp("family") / "cdp.duckdb"
    shops = [HANK, HOPE]
    events_landed = []
    seen = {}
    build(database, {"shop_customers": shops})
    seen[1] = (account_ids(database), current(database), events(database, 1))
    events_landed += [
        web("W-HANK-LOGIN", "S-HANK", None, "login", "2024-01-01T10:00:00Z"),
        web("W-HOPE-SIGNUP", None, "hope@reuse-example.com", "newsletter_signup", "2024-01-02"),
    ]
    build(database, {"shop_customers": shops, "web_events": events_landed})
    seen[2] = (account_ids(database), current(database), events(database, 2))
    events_landed.append(web("W-HOPE-LOGIN", "S-HOPE", None, "login", "2024-02-01T10:00:00Z"))
    build(database, {"shop_customers": shops, "web_events": events_landed})
    seen[3] = (account_ids(database), current(database), events(database, 3))
    return seen


def test_a_shared_cookie_merges_until_it_shows_two_accounts(family):
    first, _, _ = family[1]
    accounts, ids_now, changes = family[2]
    hank, hope = first["S-HANK"], first["S-HOPE"]
    assert hank != hope
    assert accounts["S-HOPE"] == hank
    assert ("merged", hope, hank) in {c[:3] for c in changes}
    assert ids_now[hope] == (hank, "merged")


def test_an_undone_merge_gives_the_old_id_back(family):
    first, _, _ = family[1]
    accounts, ids_now, changes = family[3]
    hank, hope = first["S-HANK"], first["S-HOPE"]
    assert accounts == {"S-HANK": hank, "S-HOPE": hope}
    assert ids_now[hope] == (hope, "active")
    assert ids_now[hank] == (hank, "active")
    assert ("restored", hank, hope) in changes
    assert len(ids_now) == 2
