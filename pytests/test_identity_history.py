"""Customer ids that never break a downstream system: the id registry over several builds
on one database (docs/contract.md §2, issue: ids recomputed at every build, the younger
id surviving a back-dated merge, nothing telling a destination that B is now A).

Every expected answer is written from the contract: an existing customer keeps its id;
when customers merge, the id issued first survives, whatever later back-dated data
says; when a customer splits, the part holding its anchor keeps the id and the others
get new ones; customer_ids_current maps every id ever issued to the one to use now;
customer_id_changes records why; a full refresh keeps the registry; a fresh database
gives the same first-build ids; the registry holds no identifier in clear.
"""

from __future__ import annotations

import random

import duckdb
import pytest

from conftest import land_rows, query, run_dbt

ANNA = {  # first seen 2023-01
    "customer_id": "S-ANNA",
    "first_name": "Anna",
    "email": "anna@history-example.com",
    "country": "DE",
    "created_at": "2023-01-10",
}
BERT = {  # first seen 2023-06
    "loyalty_id": "L-BERT",
    "first_name": "Anna",
    "email": "anna.work@history-example.com",
    "phone": "+49 151 70000001",
    "enrolled_at": "2023-06-01",
}
CLARA = {
    "customer_id": "S-CLARA",
    "first_name": "Clara",
    "email": "clara@history-example.com",
    "country": "FR",
    "created_at": "2024-02-01",
}
# a person seen first on the loyalty card (2023-03), later with a shop account (2023-09)
DORA_CARD = {
    "loyalty_id": "L-DORA",
    "first_name": "Dora",
    "email": "dora.card@history-example.com",
    "phone": "+49 160 70000002",
    "enrolled_at": "2023-03-01",
}
DORA_SHOP = {
    "customer_id": "S-DORA",
    "first_name": "Dora",
    "email": "dora.shop@history-example.com",
    "phone": "+49 160 70000002",
    "country": "DE",
    "created_at": "2023-09-01",
}
# Emil and Finn: two known customers; a back-dated 2020 web event ties them later
EMIL = {
    "customer_id": "S-EMIL",
    "first_name": "Emil",
    "email": "emil@history-example.com",
    "country": "SE",
    "created_at": "2023-04-01",
}
FINN = {
    "loyalty_id": "L-FINN",
    "first_name": "Emil",
    "email": "emil.work@history-example.com",
    "enrolled_at": "2023-08-01",
}
BACKDATED_IDENTIFY = {
    "event_id": "W-BACKDATED",
    "anonymous_id": "cookie-emil-2020",
    "customer_id": "S-EMIL",
    "email": "emil.work@history-example.com",
    "event_type": "identify",
    "occurred_at": "2020-05-01T10:00:00Z",
}
# the record that ties Anna's two accounts: a CRM contact with both addresses' owner
TIE_ANNA = {
    "ticket_id": "T-ANNA",
    "email": "anna@history-example.com",
    "phone": "+49 151 70000001",
    "created_at": "2024-05-01T10:00:00Z",
}


def build(database, tables, *args) -> None:
    land_rows(database, tables)
    result = run_dbt(database, "build", *args)
    assert result.success, result.output


def ids(database) -> dict[tuple[str, str], str]:
    """Account id -> customer_id (account ids stay in the clear)."""
    return {
        (kind, value): customer
        for kind, value, customer in query(
            database,
            "select identifier_type, identifier_value, customer_id "
            "from intermediate.int_identifiers_stitched "
            "where identifier_type in ('shop_customer_id', 'loyalty_id')",
        )
    }


def current(database) -> dict[str, tuple[str | None, str]]:
    return {
        old: (now, status)
        for old, now, status in query(
            database,
            "select customer_id, current_customer_id, status from marts.customer_ids_current",
        )
    }


def changes(database, build_number: int) -> list[tuple]:
    return query(
        database,
        "select event_type, old_customer_id, new_customer_id, caused_by_source_table, "
        "caused_by_record_key from marts.customer_id_changes where build_number = ? "
        "and event_type <> 'created' order by all",
        [build_number],
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """One database, four builds; the ids and changes after each."""
    database = tmp_path_factory.mktemp("history") / "cdp.duckdb"
    seen = {}
    # build 1: Anna, Bert (in truth Anna's work card), Dora (one customer), Emil, Finn
    tables = {
        "shop_customers": [ANNA, DORA_SHOP, EMIL],
        "loyalty_members": [BERT, DORA_CARD, FINN],
    }
    build(database, tables)
    seen[1] = ids(database)
    # build 2: unrelated Clara arrives
    tables["shop_customers"].append(CLARA)
    build(database, tables)
    seen[2] = ids(database)
    # build 3: a ticket ties Anna and Bert; a back-dated 2020 event ties Emil and Finn
    tables["support_tickets"] = [TIE_ANNA]
    tables["web_events"] = [BACKDATED_IDENTIFY]
    build(database, tables)
    seen[3] = ids(database)
    # build 4: a rule change (mobiles stop linking) splits Dora; a full refresh
    build(
        database,
        tables,
        "--full-refresh",
        "--vars",
        "{identity_non_stitching_line_types: [service, mobile]}",
    )
    seen[4] = ids(database)
    return database, seen


def test_a_first_build_issues_one_id_per_customer(history):
    _, seen = history
    first = seen[1]
    assert first[("loyalty_id", "L-DORA")] == first[("shop_customer_id", "S-DORA")]
    assert len(set(first.values())) == 5  # Anna, Bert, Dora, Emil, Finn
    assert all(value.startswith("cus_") and len(value) == 28 for value in first.values())


def test_unrelated_data_changes_no_id(history):
    _, seen = history
    assert {k: v for k, v in seen[2].items() if k != ("shop_customer_id", "S-CLARA")} == seen[1]


def test_a_merge_keeps_the_id_issued_first(history):
    database, seen = history
    anna, bert = seen[1][("shop_customer_id", "S-ANNA")], seen[1][("loyalty_id", "L-BERT")]
    assert seen[3][("shop_customer_id", "S-ANNA")] == anna
    assert seen[3][("loyalty_id", "L-BERT")] == anna
    assert current(database)[bert] == (anna, "merged")
    assert ("merged", bert, anna, "support_tickets", "T-ANNA") in changes(database, 3)


def test_a_back_dated_record_does_not_change_the_survivor(history):
    database, seen = history
    emil, finn = seen[1][("shop_customer_id", "S-EMIL")], seen[1][("loyalty_id", "L-FINN")]
    # Emil's id was issued first (his account is older than Finn's card); the 2020 event
    # makes Finn's email the oldest sighting, but the registry order decides
    assert seen[3][("loyalty_id", "L-FINN")] == emil
    assert current(database)[finn] == (emil, "merged")


def test_a_split_keeps_the_anchors_id_and_records_it(history):
    database, seen = history
    dora = seen[1][("loyalty_id", "L-DORA")]
    # the card came first: the card's side keeps the id, the shop side gets a new one
    assert seen[4][("loyalty_id", "L-DORA")] == dora
    new_id = seen[4][("shop_customer_id", "S-DORA")]
    assert new_id != dora and new_id not in seen[1].values()
    assert ("split", dora, new_id, None, None) in changes(database, 4)
    assert current(database)[dora] == (dora, "active")
    assert current(database)[new_id] == (new_id, "active")


def test_a_full_refresh_keeps_the_registry(history):
    database, seen = history
    # build 4 ran with --full-refresh: the ids of build 3 that did not split stay
    for key in (
        ("shop_customer_id", "S-ANNA"),
        ("loyalty_id", "L-FINN"),
        ("shop_customer_id", "S-CLARA"),
    ):
        assert seen[4][key] == seen[3][key]
    assert query(database, "select max(build_number) from marts.identity_builds") == [(4,)]
    # every id ever issued is still mapped
    assert set(current(database)) >= set(seen[1].values()) | set(seen[2].values())


def test_the_build_diff_counts_what_happened(history):
    database, seen = history
    rows = query(
        database,
        "select build_number, customers, created, merged, split, retired, "
        "identifiers_moved, customers_unchanged from marts.identity_builds order by build_number",
    )
    assert rows[0] == (1, 5, 5, 0, 0, 0, 0, 0)
    # Clara arrives; the five others are untouched
    assert rows[1] == (2, 6, 1, 0, 0, 0, 0, 5)
    # Bert into Anna, Finn into Emil: 3 + 2 identifiers move; Clara and Dora untouched
    assert rows[2] == (3, 4, 0, 2, 0, 0, 5, 2)
    # mobiles stop linking: Bert's card leaves Anna, Dora's shop account leaves Dora
    # (2 + 2 identifiers move to the new ids, the 2 mobiles link nobody); Emil and
    # Clara untouched
    assert rows[3][:6] == (4, 6, 0, 0, 2, 0)
    assert rows[3][7] == 2
    # the moves, identifier by identifier
    moved = query(
        database,
        "select identifier_type, identifier_value, from_customer_id, to_customer_id "
        "from intermediate.int_identifiers_moved where build_number = 4 order by all",
    )
    dora = seen[1][("loyalty_id", "L-DORA")]
    assert ("shop_customer_id", "S-DORA", dora, seen[4][("shop_customer_id", "S-DORA")]) in moved
    assert ("phone", "+4916070000002", dora, None) in moved


def test_the_registry_holds_no_identifier_in_clear(history):
    database, _ = history
    values = ["anna@history-example.com", "+4915170000001", "S-ANNA", "L-BERT", "cookie-emil-2020"]
    for value in values:
        assert query(
            database,
            "select count(*) from intermediate.int_identity_registry where "
            "concat_ws('|', customer_id, identifier_hash, old_customer_id, new_customer_id, "
            "caused_by_record_key, linked_identifier_hash) like ?",
            [f"%{value}%"],
        ) == [(0,)]


def test_a_fresh_database_gives_the_first_build_ids_again(tmp_path):
    tables = {
        "shop_customers": [ANNA, DORA_SHOP, EMIL],
        "loyalty_members": [BERT, DORA_CARD, FINN],
    }
    first = tmp_path / "a" / "cdp.duckdb"
    second = tmp_path / "b" / "cdp.duckdb"
    first.parent.mkdir()
    second.parent.mkdir()
    build(first, tables)
    shuffled = {table: random.Random(7).sample(rows, len(rows)) for table, rows in tables.items()}
    land_rows(second, shuffled)
    result = run_dbt(second, "build", threads=1)
    assert result.success, result.output
    assert ids(first) == ids(second)


def test_health_warns_when_the_largest_customer_jumps(tmp_path):
    """15 people with a shop account each (email and mobile); then a batch of tickets
    from a misconfigured import ties each one's email to the next one's mobile: one
    45-identifier customer. The build succeeds, and the health test warns."""
    people = [
        {
            "customer_id": f"S-P{n:02d}",
            "first_name": f"Person{n:02d}",
            "email": f"p{n:02d}@jump-example.com",
            "phone": f"+49 151 8000{n:04d}",
            "country": "DE",
            "created_at": "2024-01-01",
        }
        for n in range(15)
    ]
    database = tmp_path / "cdp.duckdb"
    build(database, {"shop_customers": people})
    assert query(
        database,
        "select metric_value from marts.identity_health "
        "where metric = 'largest_customer_identifiers'",
    ) == [(3,)]
    tickets = [
        {
            "ticket_id": f"T-{n:02d}",
            "email": f"p{n:02d}@jump-example.com",
            "phone": f"+49 151 8000{n + 1:04d}",
            "created_at": "2024-06-01T10:00:00Z",
        }
        for n in range(14)
    ]
    land_rows(database, {"shop_customers": people, "support_tickets": tickets})
    result = run_dbt(database, "build")
    assert result.success, result.output
    statuses = {
        r.node.name: r.status
        for r in result.result.result.results
        if r.node.resource_type == "test"
    }
    assert statuses["assert_identity_largest_customer_did_not_jump"] == "warn"
    assert statuses["assert_identity_refused_share_did_not_jump"] == "pass"
    assert query(
        database,
        "select metric_value, previous_value from marts.identity_health "
        "where metric = 'largest_customer_identifiers'",
    ) == [(45, 3)]


def test_a_preview_shows_a_rule_change_before_anyone_commits_to_it(tmp_path):
    from cdp.identity_preview import diff, preview

    database = tmp_path / "cdp.duckdb"
    build(database, {"shop_customers": [DORA_SHOP, ANNA], "loyalty_members": [DORA_CARD]})
    before = ids(database)
    text = preview(str(database), "{identity_non_stitching_line_types: [service, mobile]}")
    # Dora's mobile would stop linking: her card and her shop account would split
    assert "identifiers that stop linking           1" in text
    assert "customers that would split              1" in text
    assert "phone  +4916070000002  service_number" in text
    # nothing committed: same ids, one registry build, no scratch schemas left
    assert ids(database) == before
    assert query(database, "select max(build_number) from marts.identity_builds") == [(1,)]
    assert query(
        database,
        "select count(*) from information_schema.schemata where schema_name like 'preview%'",
    ) == [(0,)]
    # and with --keep, the diff can be read again
    preview(str(database), "{identity_non_stitching_line_types: [service, mobile]}", keep=True)
    con = duckdb.connect(str(database))
    try:
        result = diff(con)
    finally:
        con.close()
    assert (result.stop_linking, result.splits, result.merges, result.moved) == (1, 1, 0, 3)
