"""The explorer's page of recent syncs (``/syncs``): what ``cdp sync`` sent to each
destination, from the sync log views in schema marts; ``/syncs?sync=<id>`` lists one
sync's operations with the consent each relied on. Only customer ids and reasons are
shown: the log keeps no personal data."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from cdp.explore.queries import _rows

SYNC_LIMIT = 50
ROW_LIMIT = 500

SYNCS_SQL = """
    select sync_id, destination, audience, destination_type, format, mode, status,
        audience_build, audience_members, added, updated, removed, failed, unsent,
        excluded, held, excluded_reasons, message, started_at, finished_at
    from marts.activation_syncs
    {where}
    order by sync_id desc
    limit {limit}
"""
ROWS_SQL = f"""
    select rows.op_id, rows.customer_id, rows.operation, rows.reason, rows.state,
        rows.batch_number, rows.attempts, rows.error, rows.sent_at,
        list(struct_pack(
            purpose := consent.purpose,
            status := consent.status,
            source := consent.source,
            decided_at := consent.decided_at
        ) order by consent.purpose) filter (where consent.purpose is not null) as consent
    from marts.activation_sync_rows as rows
    left join marts.activation_sync_consent as consent
        on rows.sync_id = consent.sync_id and rows.op_id = consent.op_id
    where rows.sync_id = $sync_id
    group by all
    order by rows.batch_number, rows.operation, rows.customer_id
    limit {ROW_LIMIT}
"""


def has_log(con) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'activation_syncs'"
        ).fetchone()[0]
    )


def _with_reasons(sync: dict[str, Any]) -> dict[str, Any]:
    try:
        sync["reasons"] = json.loads(sync.get("excluded_reasons") or "{}")
    except ValueError:
        sync["reasons"] = {}
    return sync


def recent(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return [_with_reasons(s) for s in _rows(con, SYNCS_SQL.format(where="", limit=SYNC_LIMIT))]


def one(con: duckdb.DuckDBPyConnection, sync_id: int):
    found = _rows(
        con, SYNCS_SQL.format(where="where sync_id = $sync_id", limit=1), {"sync_id": sync_id}
    )
    if not found:
        return None, []
    return _with_reasons(found[0]), _rows(con, ROWS_SQL, {"sync_id": sync_id})


def page(app, request) -> str:
    """The page: recent syncs, or one sync's operations."""
    from cdp.explore.app import HttpError, bad_request

    wanted = request.get("sync").strip()
    if wanted and not wanted.isdigit():
        raise bad_request(f"sync must be a sync number, not {wanted!r}.")
    with app._connect() as con:
        if not has_log(con):
            return app._render("syncs.html", page="syncs", syncs=None, sync=None, rows=[])
        if not wanted:
            return app._render("syncs.html", page="syncs", syncs=recent(con), sync=None, rows=[])
        sync, rows = one(con, int(wanted))
    if sync is None:
        raise HttpError(404, "No such sync", f"There is no sync {wanted} in the log.")
    return app._render(
        "syncs.html", page="syncs", syncs=None, sync=sync, rows=rows, row_limit=ROW_LIMIT
    )
