"""The id registry's rule for what a merge is blamed on, on a registry state written by
hand: no dbt build, the registry's select is compiled against a DuckDB file holding its
inputs and an earlier build, then run with one and with four threads.

A support ticket carries Ada's email (node 1) and 39 identifiers of Bo's (nodes 2 to 40):
its 39 links all tie the two customers, with one time, table and key. The contract wants
one answer whatever order the engine reads them in: the link between the oldest
identifiers, 1-2 (node ids rank identifiers oldest first).
"""

from __future__ import annotations

import duckdb

from conftest import run_dbt

BO_NODES = range(2, 41)
REGISTRY_COLUMNS = (
    "row_kind varchar, build_number bigint, customer_id varchar, issue_number bigint, "
    "identifier_type varchar, identifier_hash varchar, event_type varchar, "
    "old_customer_id varchar, new_customer_id varchar, caused_at timestamp, "
    "caused_by_source_table varchar, caused_by_record_key varchar, "
    "linked_identifier_type varchar, linked_identifier_hash varchar"
)


def _land_state(database) -> None:
    con = duckdb.connect(str(database))
    try:
        con.execute("create schema intermediate")
        nodes = [1, *BO_NODES]
        con.execute(
            "create table intermediate.int_identity_components as select "
            "unnest(?::bigint[]) as node_id, 1::bigint as component_id",
            [nodes],
        )
        con.execute(
            "create table intermediate.int_identifiers_classified as select node_id, "
            "'email' as identifier_type, timestamp '2024-01-01' + to_days(node_id::int) "
            "as first_seen_at, true as is_stitching from intermediate.int_identity_components"
        )
        con.execute(
            "create table intermediate.int_identifiers_hashed as select node_id, "
            "'h' || node_id as identifier_hash from intermediate.int_identity_components"
        )
        # Bo's own record linked his identifiers before; the ticket's links listed last
        # node first, so that reading order alone would not give 1-2
        links = [(2, n, "crm_contacts", "C-BO", "2024-02-01") for n in BO_NODES if n > 2]
        links += [(1, n, "support_tickets", "T-1", "2024-05-01") for n in reversed(BO_NODES)]
        con.execute(
            "create table intermediate.int_identity_links (node_id bigint, linked_node_id "
            "bigint, source_table varchar, record_key varchar, linked_at timestamp)"
        )
        con.executemany("insert into intermediate.int_identity_links values (?, ?, ?, ?, ?)", links)
        con.execute(f"create table intermediate.int_identity_registry ({REGISTRY_COLUMNS})")
        rows = [
            ("build", 1, None, None, None, None, None, None, None),
            ("issued", 1, "cus_ada", 1, "email", "h1", None, None, None),
            ("issued", 1, "cus_bo", 2, "email", "h2", None, None, None),
            ("event", 1, None, None, "email", "h1", "created", None, "cus_ada"),
            ("event", 1, None, None, "email", "h2", "created", None, "cus_bo"),
            ("member", 1, "cus_ada", None, "email", "h1", None, None, None),
            *[("member", 1, "cus_bo", None, "email", f"h{n}", None, None, None) for n in BO_NODES],
        ]
        con.executemany(
            "insert into intermediate.int_identity_registry (row_kind, build_number, "
            "customer_id, issue_number, identifier_type, identifier_hash, event_type, "
            "old_customer_id, new_customer_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    finally:
        con.close()


def test_a_merge_is_blamed_on_the_link_between_the_oldest_identifiers(tmp_path):
    database = tmp_path / "cdp.duckdb"
    _land_state(database)
    result = run_dbt(database, "compile", "--select", "int_identity_registry")
    assert result.success, result.output
    compiled = tmp_path / "target/compiled/cdp/models/intermediate/identity"
    sql = (compiled / "int_identity_registry.sql").read_text()
    assert '"cdp"."intermediate"."int_identity_registry"' in sql  # the incremental branch
    con = duckdb.connect(str(database))
    try:
        con.execute("set variable cdp_secret_salt = 'pytest-secret-salt-0123456789'")
        for threads in (1, 4):
            con.execute(f"set threads = {threads}")
            rows = con.execute(
                f"select row_kind, event_type, old_customer_id, new_customer_id, "
                f"caused_by_source_table, caused_by_record_key, identifier_hash, "
                f"linked_identifier_hash from ({sql}) where row_kind <> 'member'"
            ).fetchall()
            assert sorted(rows, key=str) == [
                ("build", None, None, None, None, None, None, None),
                ("event", "merged", "cus_bo", "cus_ada", "support_tickets", "T-1", "h1", "h2"),
            ], threads
            members = con.execute(
                f"select customer_id, count(*) from ({sql}) where row_kind = 'member' group by all"
            ).fetchall()
            # Bo's 39 identifiers are Ada's now; Ada's own did not move
            assert members == [("cus_ada", 39)]
    finally:
        con.close()
