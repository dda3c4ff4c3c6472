"""One sync of each destination: recover an interrupted one, plan, send, log.

A sync is recorded before anything is sent (status ``running``, every operation
``pending``), and each batch's operations are marked ``in_flight`` (and the
customers ``pending`` at the destination) before it is sent and ``sent`` once the
destination accepted it, each step in its own transaction. So when the process dies
half-way, the next ``cdp sync`` knows exactly what the destination may hold: the sync
is marked ``interrupted``, operations never sent are planned again, and those that
were in flight are sent again under their op_id (or turned into removals when the
customer may no longer be sent). A removal stays owed until the destination has
accepted it.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from tqdm import tqdm

from cdp.activation import files, pending, plan, state
from cdp.activation.destinations import (
    Destination,
    DestinationError,
    load_destinations,
    project_var,
)
from cdp.activation.http import DeliveryError, post_batch
from cdp.activation.state import StateError
from cdp.duckdb_secrets import SECRET_ENV, secret_salt
from cdp.project_macros import ProjectMacros

MART_TABLES = ("customer_profiles", "customer_consent", "suppressed_identifiers")


@dataclass
class Outcome:
    destination: str
    status: str
    sync_id: int | None = None
    counts: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("succeeded", "skipped", "dry_run")

    def line(self) -> str:
        head = f"{self.destination}: " + (
            f"sync {self.sync_id} {self.status}" if self.sync_id else self.status
        )
        parts = []
        if self.status not in ("skipped", "refused"):
            verb = "to add" if self.status == "dry_run" else "added"
            counts = self.counts
            parts.append(
                f"{counts['add']} {verb}, {counts['update']} "
                f"{'to update' if self.status == 'dry_run' else 'updated'}, {counts['remove']} "
                f"{'to remove' if self.status == 'dry_run' else 'removed'}"
            )
            if self.status != "dry_run":
                parts[-1] += f", {counts['failed']} failed"
                if counts["unsent"]:
                    parts[-1] += f", {counts['unsent']} not sent yet"
            if self.excluded:
                reasons = ", ".join(f"{n} {r}" for r, n in sorted(self.excluded.items()))
                parts.append(
                    f"{sum(self.excluded.values())} audience member(s) not sent ({reasons})"
                )
        if self.message:
            parts.append(self.message)
        return head + (": " + "; ".join(parts) if parts else "")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _select(
    declared: dict[str, Destination], names: list[str], audience: str | None
) -> list[Destination]:
    if not declared:
        raise DestinationError(
            "no destination is declared: add an exposure with meta cdp_destination "
            "(docs/activation.md)"
        )
    unknown = [n for n in names if n not in declared]
    if unknown:
        raise DestinationError(
            f"no destination named {', '.join(unknown)}; declared: {', '.join(sorted(declared))}"
        )
    chosen = [declared[n] for n in names] if names else list(declared.values())
    if audience is not None:
        chosen = [d for d in chosen if d.audience == audience]
        if not chosen:
            raise DestinationError(
                f"no destination{' of those named' if names else ''} sends {audience}; "
                + ", ".join(f"{d.name} sends {d.audience}" for d in declared.values())
            )
    for destination in chosen:
        if names and destination.not_configured:
            raise DestinationError(
                f"destination {destination.name} is not configured: {destination.not_configured}"
            )
    return sorted(chosen, key=lambda d: d.name)


def _check_salt(con: duckdb.DuckDBPyConnection) -> str:
    """The secret salt, refused as the build refuses it (macro check_secret_salt)."""
    given = os.environ.get(SECRET_ENV, "")
    how = (
        f"set {SECRET_ENV} to the secret the build used (at least 16 characters); the log "
        "keeps keyed hashes of what is sent"
    )
    if not given:
        demo = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'truth'"
        ).fetchone()[0]
        if not demo:
            raise StateError(f"{SECRET_ENV} is not set: {how}")
    elif len(given) < 16:
        raise StateError(f"{SECRET_ENV} is too short ({len(given)} characters): {how}")
    return secret_salt()


def _check_built(con: duckdb.DuckDBPyConnection) -> None:
    found = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    missing = [t for t in MART_TABLES if t not in found]
    if missing:
        raise StateError(
            f"the database has no marts.{', marts.'.join(missing)}: run dbt build first"
        )


def run(
    database: Path,
    project_dir: Path,
    names: list[str] | None = None,
    audience: str | None = None,
    full: bool = False,
    dry_run: bool = False,
    progress: bool = True,
    declarations: list[Path] | None = None,
    echo: Callable[[str], None] = print,
) -> list[Outcome]:
    """Sync the chosen destinations (default: every declared one); one Outcome each."""
    declared = load_destinations(project_dir, declarations)
    chosen = _select(declared, list(names or []), audience)
    include_default = bool(project_var(project_dir, "audiences_include_default_consent", False))
    raw_schema = str(project_var(project_dir, "raw_schema", "raw"))
    if not raw_schema.isidentifier():
        raise DestinationError(f"var raw_schema {raw_schema!r} is not a schema name")
    macros = ProjectMacros(project_dir)
    con = state.connect(database)
    try:
        _check_built(con)
        salt = _check_salt(con)
        state.ensure(con)
        signals = pending.find(con, macros, raw_schema)
        if signals.rows:
            echo(signals.summary())
        outcomes = []
        for destination in chosen:
            if destination.not_configured:
                outcomes.append(
                    Outcome(
                        destination.name,
                        "skipped",
                        message=f"not configured: {destination.not_configured}",
                    )
                )
                continue
            syncer = _Sync(con, destination, macros, salt, include_default, progress)
            outcome = syncer.run(signals, full, dry_run)
            outcomes.append(outcome)
            echo(outcome.line())
        for outcome in outcomes:
            if outcome.status == "skipped":
                echo(outcome.line())
        return outcomes
    finally:
        con.close()


class _Sync:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        destination: Destination,
        macros: ProjectMacros,
        salt: str,
        include_default: bool,
        progress: bool,
    ) -> None:
        self.con = con
        self.destination = destination
        self.macros = macros
        self.salt = salt
        self.include_default = include_default
        self.progress = progress
        self._notes: list[str] = []

    # -- the steps ---------------------------------------------------------------

    def run(self, signals: pending.PendingSignals, full: bool, dry_run: bool) -> Outcome:
        d = self.destination
        notes = [] if dry_run else self.recover()
        problem = self.check_declaration()
        if problem is None and signals.too_many:
            problem = signals.summary()
        if problem is not None:
            if dry_run:
                return Outcome(d.name, "refused", message=problem)
            sync_id = self.next_sync_id()
            self.record_sync(sync_id, "refused", "full" if full else "delta", None, problem)
            return Outcome(d.name, "refused", sync_id, message=problem)
        sync_id = self.next_sync_id()
        candidates = plan.read_candidates(self.con, d, self.macros, self.salt)
        the_plan = plan.make_plan(
            candidates,
            self.members(),
            d,
            sync_id,
            self.salt,
            self.include_default,
            signals.held_for(d.consent_purposes),
            full,
        )
        if dry_run:
            return Outcome(
                d.name,
                "dry_run",
                counts=the_plan.counts(),
                excluded=the_plan.excluded,
                message="; ".join(notes),
            )
        mode = "full" if full else "delta"
        self.record_plan(sync_id, mode, the_plan)
        bar = tqdm(
            total=len(the_plan.operations),
            desc=d.name,
            unit="row",
            disable=not self.progress or not the_plan.operations,
            file=sys.stderr,
        )
        try:
            if d.type == "file":
                stopped = self.deliver_files(sync_id, the_plan, full, bar)
            else:
                stopped = self.deliver_http(sync_id, the_plan, mode, bar)
        finally:
            bar.close()
        if stopped:
            notes.append(stopped)
        return self.finish(sync_id, stopped is not None, the_plan, notes)

    def check_declaration(self) -> str | None:
        """What the database says against the declaration, or None."""
        d = self.destination
        columns = [
            row[0]
            for row in self.con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [d.audience],
            ).fetchall()
        ]
        if not columns:
            return f"there is no audience marts.{d.audience} (declared in {d.declared_in})"
        if "customer_id" not in columns:
            return f"marts.{d.audience} has no customer_id column: it is no audience"
        missing = [f for f in d.fields if f not in columns]
        if missing:
            return f"marts.{d.audience} has no column(s) {', '.join(missing)} (fields of {d.name})"
        known = {
            row[0]
            for row in self.con.execute("select purpose from reference.consent_purposes").fetchall()
        }
        unknown = [p for p in d.consent_purposes if p not in known]
        if unknown:
            return (
                f"unknown consent purpose(s) {', '.join(unknown)} (the consent_purposes seed has "
                f"{', '.join(sorted(known))})"
            )
        return None

    def next_sync_id(self) -> int:
        return self.con.execute(
            "select coalesce(max(sync_id), 0) + 1 from activation.syncs"
        ).fetchone()[0]

    def members(self) -> dict[str, plan.Member]:
        rows = self.con.execute(
            """
            select customer_id, identifier_hashes, fingerprint, pending_operation,
                pending_op_id, pending_identifier_hashes, pending_fingerprint
            from activation.destination_members
            where destination = ?
            """,
            [self.destination.name],
        ).fetchall()
        return {
            row[0]: plan.Member(
                customer_id=row[0],
                identifier_hashes=json.loads(row[1]) if row[1] else None,
                fingerprint=row[2],
                pending_operation=row[3],
                pending_op_id=row[4],
                pending_identifier_hashes=json.loads(row[5]) if row[5] else None,
                pending_fingerprint=row[6],
            )
            for row in rows
        }

    # -- recording ---------------------------------------------------------------

    def record_sync(
        self,
        sync_id: int,
        status: str,
        mode: str,
        the_plan: plan.Plan | None,
        message: str | None,
    ) -> None:
        d = self.destination
        build = self.con.execute(
            "select max(build_number) from marts.identity_builds"
            if self._has_table("marts", "identity_builds")
            else "select null"
        ).fetchone()[0]
        excluded = the_plan.excluded if the_plan else Counter()
        self.con.execute(
            """
            insert into activation.syncs values (
                ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?
            )
            """,
            [
                sync_id,
                d.name,
                d.audience,
                d.type,
                d.format,
                mode,
                status,
                build,
                the_plan.audience_members if the_plan else None,
                sum(excluded.values()),
                excluded.get("held_pending_signal", 0),
                json.dumps(dict(sorted(excluded.items()))),
                message,
                _now(),
                _now() if status != "running" else None,
            ],
        )

    def _has_table(self, schema: str, table: str) -> bool:
        return bool(
            self.con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = ? and table_name = ?",
                [schema, table],
            ).fetchone()[0]
        )

    def record_plan(self, sync_id: int, mode: str, the_plan: plan.Plan) -> None:
        operations = the_plan.operations
        ops = pa.table(
            {
                "sync_id": pa.array([sync_id] * len(operations), pa.int64()),
                "op_id": [o.op_id for o in operations],
                "destination": [self.destination.name] * len(operations),
                "customer_id": [o.customer_id for o in operations],
                "operation": [o.operation for o in operations],
                "reason": [o.reason for o in operations],
                "batch_number": pa.array([o.batch_number for o in operations], pa.int32()),
                "state": ["pending"] * len(operations),
                "attempts": pa.array([0] * len(operations), pa.int32()),
                "sent_fields": [json.dumps(o.sent_fields, sort_keys=True) for o in operations],
                "payload_fingerprint": pa.array([o.fingerprint for o in operations], pa.string()),
                "error": pa.array([None] * len(operations), pa.string()),
                "sent_at": pa.array([None] * len(operations), pa.timestamp("us")),
            }
        )
        proofs = [(o.op_id, c) for o in operations for c in o.consent]
        consent = pa.table(
            {
                "sync_id": pa.array([sync_id] * len(proofs), pa.int64()),
                "op_id": [op_id for op_id, _ in proofs],
                "purpose": [c["purpose"] for _, c in proofs],
                "status": pa.array([c.get("status") for _, c in proofs], pa.string()),
                "is_contactable": pa.array(
                    [c.get("is_contactable") for _, c in proofs], pa.bool_()
                ),
                "is_processing_restricted": pa.array(
                    [c.get("is_processing_restricted") for _, c in proofs], pa.bool_()
                ),
                "jurisdiction": pa.array([c.get("jurisdiction") for _, c in proofs], pa.string()),
                "default_status": pa.array(
                    [c.get("default_status") for _, c in proofs], pa.string()
                ),
                "source": pa.array([c.get("source") for _, c in proofs], pa.string()),
                "policy_version": pa.array(
                    [c.get("policy_version") for _, c in proofs], pa.string()
                ),
                "signal_id": pa.array([c.get("signal_id") for _, c in proofs], pa.string()),
                "decided_at": pa.array(
                    [c.get("decided_at") for _, c in proofs], pa.timestamp("us")
                ),
            }
        )
        self.con.begin()
        try:
            self.record_sync(sync_id, "running", mode, the_plan, None)
            self.con.register("planned_operations", ops)
            self.con.execute(
                "insert into activation.sync_operations select * from planned_operations"
            )
            self.con.register("planned_consent", consent)
            self.con.execute("insert into activation.sync_consent select * from planned_consent")
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        finally:
            self.con.unregister("planned_operations")
            self.con.unregister("planned_consent")

    # -- delivery state ------------------------------------------------------------

    def _batch_table(self, operations: list[plan.Operation]) -> pa.Table:
        return pa.table(
            {
                "op_id": [o.op_id for o in operations],
                "customer_id": [o.customer_id for o in operations],
                "operation": [o.operation for o in operations],
                "identifier_hashes": [
                    json.dumps(o.identifier_hashes, sort_keys=True) for o in operations
                ],
                "fingerprint": pa.array([o.fingerprint for o in operations], pa.string()),
            }
        )

    def mark_in_flight(self, sync_id: int, operations: list[plan.Operation]) -> None:
        """Before sending: the operations are in flight, and the destination may from
        now on hold what they add and may have dropped what they remove."""
        name = self.destination.name
        self.con.begin()
        try:
            self.con.register("batch", self._batch_table(operations))
            self.con.execute(
                """
                update activation.sync_operations set state = 'in_flight', attempts = attempts + 1
                where sync_id = ? and op_id in (select op_id from batch)
                """,
                [sync_id],
            )
            self.con.execute(
                """
                update activation.destination_members as members set
                    pending_operation = batch.operation,
                    pending_op_id = batch.op_id,
                    pending_sync_id = ?,
                    pending_identifier_hashes = batch.identifier_hashes,
                    pending_fingerprint = batch.fingerprint
                from batch
                where members.destination = ? and members.customer_id = batch.customer_id
                """,
                [sync_id, name],
            )
            self.con.execute(
                """
                insert into activation.destination_members
                select ?, batch.customer_id, null, null, null, null, batch.operation,
                    batch.op_id, ?, batch.identifier_hashes, batch.fingerprint
                from batch
                where not exists (
                    select 1 from activation.destination_members as members
                    where members.destination = ? and members.customer_id = batch.customer_id
                )
                """,
                [name, sync_id, name],
            )
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        finally:
            self.con.unregister("batch")

    def confirm(self, sync_id: int, accepted: list[str], rejected: dict[str, str]) -> None:
        """The destination accepted (and rejected) these operations."""
        name = self.destination.name
        now = _now()
        self.con.begin()
        try:
            self.con.register("accepted", pa.table({"op_id": pa.array(accepted, pa.string())}))
            self.con.register(
                "rejected",
                pa.table(
                    {
                        "op_id": pa.array(list(rejected), pa.string()),
                        "reason": pa.array(list(rejected.values()), pa.string()),
                    }
                ),
            )
            self.con.execute(
                """
                update activation.sync_operations set state = 'sent', sent_at = ?
                where sync_id = ? and op_id in (select op_id from accepted)
                """,
                [now, sync_id],
            )
            self.con.execute(
                """
                update activation.sync_operations as operations
                set state = 'failed', error = 'rejected by the destination: ' || rejected.reason
                from rejected
                where operations.sync_id = ? and operations.op_id = rejected.op_id
                """,
                [sync_id],
            )
            self.con.execute(
                """
                delete from activation.destination_members
                where destination = ? and pending_operation = 'remove'
                    and pending_op_id in (select op_id from accepted)
                """,
                [name],
            )
            self.con.execute(
                """
                update activation.destination_members set
                    identifier_hashes = pending_identifier_hashes,
                    fingerprint = pending_fingerprint,
                    confirmed_sync_id = ?,
                    confirmed_at = ?,
                    pending_operation = null,
                    pending_op_id = null,
                    pending_sync_id = null,
                    pending_identifier_hashes = null,
                    pending_fingerprint = null
                where destination = ? and pending_operation in ('add', 'update')
                    and pending_op_id in (select op_id from accepted)
                """,
                [sync_id, now, name],
            )
            # a rejected add or update was not applied: the destination holds what it
            # held before (nothing, for a customer it never confirmed); a rejected
            # removal stays owed (the customer stays pending removal)
            self.con.execute(
                """
                delete from activation.destination_members
                where destination = ? and confirmed_sync_id is null
                    and pending_operation in ('add', 'update')
                    and pending_op_id in (select op_id from rejected)
                """,
                [name],
            )
            self.con.execute(
                """
                update activation.destination_members set
                    pending_operation = null,
                    pending_op_id = null,
                    pending_sync_id = null,
                    pending_identifier_hashes = null,
                    pending_fingerprint = null
                where destination = ? and pending_operation in ('add', 'update')
                    and pending_op_id in (select op_id from rejected)
                """,
                [name],
            )
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        finally:
            self.con.unregister("accepted")
            self.con.unregister("rejected")

    def set_state(self, sync_id: int, from_states: tuple[str, ...], to_state: str, error=None):
        self.con.execute(
            f"""
            update activation.sync_operations set state = ?, error = coalesce(?, error)
            where sync_id = ? and state in ({", ".join("?" for _ in from_states)})
            """,
            [to_state, error, sync_id, *from_states],
        )

    # -- delivery ----------------------------------------------------------------

    def deliver_http(self, sync_id: int, the_plan: plan.Plan, mode: str, bar) -> str | None:
        """Send the batches in order; the reason the sync stopped, or None."""
        d = self.destination
        try:
            request_headers = d.headers()
        except DestinationError as error:
            self.set_state(sync_id, ("pending",), "not_sent")
            return str(error)
        batches: dict[int, list[plan.Operation]] = {}
        for operation in the_plan.operations:
            batches.setdefault(operation.batch_number, []).append(operation)
        last = max(batches, default=0)
        for number, operations in sorted(batches.items()):
            body = {
                "destination": d.name,
                "audience": d.audience,
                "sync_id": sync_id,
                "batch": number,
                "mode": mode,
                "last_batch": number == last,
                "operations": [self._wire(o) for o in operations],
            }
            self.mark_in_flight(sync_id, operations)
            try:
                result = post_batch(d, body, f"cdp-{d.name}-{sync_id}-{number}", request_headers)
            except DeliveryError as error:
                in_flight = "unknown" if error.maybe_applied else "not_sent"
                self.set_state(sync_id, ("in_flight",), in_flight, str(error))
                self.set_state(sync_id, ("pending",), "not_sent")
                return (
                    f"stopped at batch {number} of {last}: {error}; the next cdp sync sends "
                    "the rest"
                )
            accepted = [o.op_id for o in operations if o.op_id not in result.rejected]
            self.confirm(sync_id, accepted, result.rejected)
            if result.retries:
                self._notes.append(
                    f"batch {number} accepted after {len(result.retries)} failed attempt(s) "
                    f"({'; '.join(result.retries)})"
                )
            bar.update(len(operations))
        return None

    def _wire(self, operation: plan.Operation) -> dict:
        wire = {
            "op_id": operation.op_id,
            "op": operation.operation,
            "external_id": operation.customer_id,
        }
        if operation.operation == "remove":
            wire["identifiers"] = operation.identifier_hashes
        else:
            wire["data"] = operation.data
        return wire

    def deliver_files(self, sync_id: int, the_plan: plan.Plan, full: bool, bar) -> str | None:
        d = self.destination
        columns = plan.headers(d)
        hashed = [c for c in columns if c in self._hash_headers()]
        sends = [o for o in the_plan.operations if o.operation != "remove"]
        if full:
            contents = {"replace": [o.data or {} for o in sends]}
        else:
            removals = [o.identifier_hashes for o in the_plan.operations if o.operation == "remove"]
            removals += [o.previous_hashes or {} for o in sends if o.operation == "update"]
            contents = {"remove": removals, "add": [o.data or {} for o in sends]}
        paths = []
        try:
            for kind, rows in contents.items():
                if rows:
                    paths.append(
                        files.write(d, sync_id, kind, hashed if kind == "remove" else columns, rows)
                    )
        except OSError as error:
            files.discard(paths)
            self.set_state(sync_id, ("pending",), "not_sent")
            return f"cannot write {d.path}: {error}"
        self.con.execute(
            "update activation.syncs set files = ? where sync_id = ?",
            [json.dumps([str(p) for p in paths]), sync_id],
        )
        self.mark_in_flight(sync_id, the_plan.operations)
        files.publish(paths)
        self.confirm(sync_id, [o.op_id for o in the_plan.operations], {})
        bar.update(len(the_plan.operations))
        return None

    def _hash_headers(self) -> set[str]:
        table = plan.HEADERS[self.destination.format]
        return {header for header, is_hash in table.values() if is_hash}

    def finish(self, sync_id: int, stopped: bool, the_plan: plan.Plan, notes: list[str]) -> Outcome:
        notes = notes + self._notes
        states = Counter()
        for operation, op_state, n in self.con.execute(
            "select operation, state, count(*) from activation.sync_operations "
            "where sync_id = ? group by all",
            [sync_id],
        ).fetchall():
            if op_state == "sent":
                states[operation] += n
            elif op_state == "failed":
                states["failed"] += n
            else:
                states["unsent"] += n
        status = (
            "failed" if stopped else "succeeded_with_failures" if states["failed"] else "succeeded"
        )
        message = "; ".join(notes)
        self.con.execute(
            "update activation.syncs set status = ?, finished_at = ?, message = ? "
            "where sync_id = ?",
            [status, _now(), message or None, sync_id],
        )
        return Outcome(
            self.destination.name,
            status,
            sync_id,
            counts=states,
            excluded=the_plan.excluded,
            message=message,
        )

    # -- recovery ------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Close the syncs of this destination a dead process left running."""
        d = self.destination
        notes = []
        for sync_id, recorded in self.con.execute(
            "select sync_id, files from activation.syncs "
            "where destination = ? and status = 'running' order by sync_id",
            [d.name],
        ).fetchall():
            if d.type == "file":
                paths = [Path(p) for p in json.loads(recorded or "[]")]
                in_flight = [
                    row[0]
                    for row in self.con.execute(
                        "select op_id from activation.sync_operations "
                        "where sync_id = ? and state = 'in_flight'",
                        [sync_id],
                    ).fetchall()
                ]
                if in_flight and files.delivered(paths):
                    self.confirm(sync_id, in_flight, {})
                    what = "its files had been written: confirmed"
                else:
                    files.discard(paths)
                    self._revert(sync_id)
                    self.set_state(sync_id, ("in_flight",), "not_sent")
                    what = "its files had not been written: planned again"
            else:
                self.set_state(sync_id, ("in_flight",), "unknown")
                what = "operations in flight are sent again under their op_id"
            self.set_state(sync_id, ("pending",), "not_sent")
            self.con.execute(
                "update activation.syncs set status = 'interrupted', finished_at = ?, "
                "message = ? where sync_id = ?",
                [_now(), f"the process stopped during the sync; {what}", sync_id],
            )
            notes.append(f"sync {sync_id} had been interrupted ({what})")
        return notes

    def _revert(self, sync_id: int) -> None:
        """A file sync's pending members, whose files were never published."""
        name = self.destination.name
        self.con.execute(
            "delete from activation.destination_members "
            "where destination = ? and pending_sync_id = ? and confirmed_sync_id is null",
            [name, sync_id],
        )
        self.con.execute(
            """
            update activation.destination_members set
                pending_operation = null, pending_op_id = null, pending_sync_id = null,
                pending_identifier_hashes = null, pending_fingerprint = null
            where destination = ? and pending_sync_id = ?
            """,
            [name, sync_id],
        )
