"""What ``cdp sync`` keeps in the DuckDB file, and the sync log users query.

Schema ``activation`` is the command's own (dbt neither builds nor drops it; a
``dbt build``, even with ``--full-refresh``, leaves it as it is):

- ``syncs``: one row per sync of a destination
- ``sync_operations``: one row per operation of a sync (add, update, remove of one
  customer): its reason, batch, delivery state, and keyed hashes of what was sent
- ``sync_consent``: the consent each operation relied on, per purpose, as read when
  it was sent
- ``destination_members``: per destination, the customers it holds (or may hold, while
  an operation is unconfirmed) and the platform hashes a removal needs

Nothing here is personal data in clear: sent values are kept as keyed hashes (secret
CDP_SECRET_SALT), and ``destination_members`` keeps the platform's own hashes of a
member only while the destination holds them, which is what removing them takes.

The log is queried through views in schema ``marts`` (``activation_syncs``,
``activation_sync_rows``, ``activation_sync_consent``), created by ``cdp sync``.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

SCHEMA = "activation"

TABLES = {
    "syncs": """
        sync_id bigint not null,
        destination varchar not null,
        audience varchar not null,
        destination_type varchar not null,
        format varchar not null,
        mode varchar not null,
        status varchar not null,
        audience_build bigint,
        audience_members bigint,
        excluded bigint,
        held bigint,
        excluded_reasons varchar,
        files varchar,
        message varchar,
        started_at timestamp not null,
        finished_at timestamp
    """,
    "sync_operations": """
        sync_id bigint not null,
        op_id varchar not null,
        destination varchar not null,
        customer_id varchar not null,
        operation varchar not null,
        reason varchar not null,
        batch_number integer not null,
        state varchar not null,
        attempts integer not null,
        sent_fields varchar,
        payload_fingerprint varchar,
        error varchar,
        sent_at timestamp
    """,
    "sync_consent": """
        sync_id bigint not null,
        op_id varchar not null,
        purpose varchar not null,
        status varchar,
        is_contactable boolean,
        is_processing_restricted boolean,
        jurisdiction varchar,
        default_status varchar,
        source varchar,
        policy_version varchar,
        signal_id varchar,
        decided_at timestamp
    """,
    "destination_members": """
        destination varchar not null,
        customer_id varchar not null,
        identifier_hashes varchar,
        fingerprint varchar,
        confirmed_sync_id bigint,
        confirmed_at timestamp,
        pending_operation varchar,
        pending_op_id varchar,
        pending_sync_id bigint,
        pending_identifier_hashes varchar,
        pending_fingerprint varchar
    """,
}

VIEWS = {
    "activation_syncs": """
        select
            syncs.sync_id,
            syncs.destination,
            syncs.audience,
            syncs.destination_type,
            syncs.format,
            syncs.mode,
            syncs.status,
            syncs.audience_build,
            syncs.audience_members,
            count(operations.op_id) filter (
                where operations.operation = 'add' and operations.state = 'sent'
            ) as added,
            count(operations.op_id) filter (
                where operations.operation = 'update' and operations.state = 'sent'
            ) as updated,
            count(operations.op_id) filter (
                where operations.operation = 'remove' and operations.state = 'sent'
            ) as removed,
            count(operations.op_id) filter (where operations.state = 'failed') as failed,
            count(operations.op_id) filter (
                where operations.state in ('unknown', 'not_sent', 'pending', 'in_flight')
            ) as unsent,
            syncs.excluded,
            syncs.held,
            syncs.excluded_reasons,
            syncs.files,
            syncs.message,
            syncs.started_at,
            syncs.finished_at
        from activation.syncs as syncs
        left join activation.sync_operations as operations
            on syncs.sync_id = operations.sync_id
        group by all
    """,
    "activation_sync_rows": """
        select
            operations.sync_id,
            operations.op_id,
            operations.destination,
            syncs.audience,
            operations.customer_id,
            operations.operation,
            operations.reason,
            operations.state,
            operations.batch_number,
            operations.attempts,
            operations.sent_fields,
            operations.payload_fingerprint,
            operations.error,
            operations.sent_at
        from activation.sync_operations as operations
        inner join activation.syncs as syncs
            on operations.sync_id = syncs.sync_id
    """,
    "activation_sync_consent": """
        select
            consent.sync_id,
            consent.op_id,
            operations.destination,
            operations.customer_id,
            operations.operation,
            consent.purpose,
            consent.status,
            consent.status = 'not_set' as is_jurisdiction_default,
            consent.is_contactable,
            consent.is_processing_restricted,
            consent.jurisdiction,
            consent.default_status,
            consent.source,
            consent.policy_version,
            consent.signal_id,
            consent.decided_at
        from activation.sync_consent as consent
        inner join activation.sync_operations as operations
            on consent.sync_id = operations.sync_id and consent.op_id = operations.op_id
    """,
}


class StateError(ValueError):
    """The database cannot hold or serve the sync state: says why and what to do."""


def connect(database: Path) -> duckdb.DuckDBPyConnection:
    if not database.is_file():
        raise StateError(
            f"database {database} does not exist: build it first (cdp load or cdp generate, "
            "then dbt build), or pass --database"
        )
    try:
        return duckdb.connect(str(database))
    except duckdb.IOException as error:
        text = str(error)
        if "lock" not in text.lower():
            raise StateError(f"cannot open database {database}: {text.splitlines()[0]}") from error
        holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
        by = f" ({holder.group(1)}, PID {holder.group(2)})" if holder else ""
        raise StateError(
            f"database {database} is in use by another process{by}: wait for it (a dbt "
            "build, `cdp explore` between pages, a notebook) and sync again; nothing was sent"
        ) from error


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Create the state tables when missing (never replacing them) and the log views."""
    con.execute(f"create schema if not exists {SCHEMA}")
    for table, columns in TABLES.items():
        con.execute(f"create table if not exists {SCHEMA}.{table} ({columns})")
        expected = [line.split()[0] for line in columns.strip().splitlines()]
        found = [
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [SCHEMA, table],
            ).fetchall()
        ]
        if found != expected:
            raise StateError(
                f"table {SCHEMA}.{table} has the columns {', '.join(found)}, not the ones this "
                f"version of cdp keeps ({', '.join(expected)}): it was made by another version"
            )
    for view, body in VIEWS.items():
        con.execute(f"create or replace view marts.{view} as {body}")
