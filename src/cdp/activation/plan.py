"""Who may be sent now, and what the destination must be told.

Consent is read when the sync runs, from the marts as they are at that moment, never
from the audience table's own columns: for every purpose the destination declares,
``customer_consent`` must show a grant (or, when the project's var
``audiences_include_default_consent`` is true, no signal and a jurisdiction whose
default is granted), the customer must not be erased nor restricted, and no address
sent may be on ``suppressed_identifiers`` for the purpose. Customers that consent and
privacy signals landed after the last build may concern are held (``pending``).

The delta is taken against ``activation.destination_members``, what the destination
holds: who entered is added, who changed is updated, who left or may no longer be sent
is removed, with the reason. An operation left unconfirmed by an interrupted sync is
sent again under its own op_id (so a receiver applies it once), unless the customer
may no longer be sent: then they are removed, since the destination may hold them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from cdp.activation.destinations import IDENTIFIERS, Destination
from cdp.project_macros import ProjectMacros

# customer_profiles column of each identifier a destination may send
PROFILE_COLUMNS = {
    "email": "primary_email",
    "phone": "primary_phone",
    "first_name": "first_name",
    "last_name": "last_name",
    "country": "country",
    "postal_code": "postal_code",
}
# the column headers of each hashed list format (the platforms' upload templates), and
# whether the value is a hash (Google wants country and postal code in clear)
HEADERS = {
    "google_customer_match": {
        "email": ("Email", True),
        "phone": ("Phone", True),
        "first_name": ("First Name", True),
        "last_name": ("Last Name", True),
        "country": ("Country", False),
        "postal_code": ("Zip", False),
    },
    "meta_custom_audience": {
        "email": ("email", True),
        "phone": ("phone", True),
        "first_name": ("fn", True),
        "last_name": ("ln", True),
        "country": ("country", True),
        "postal_code": ("zip", True),
    },
    "json": {name: (name, False) for name in IDENTIFIERS},
}
# why a customer is not sent (first that applies), and why one is removed
EXCLUSION_REASONS = (
    "customer_unknown",
    "erased",
    "restricted",
    "consent_denied",
    "no_grant",
    "not_contactable",
    "suppressed",
    "left_audience",
    "held_pending_signal",
    "no_identifier",
)
SEND_REASONS = ("entered", "changed", "unconfirmed_retry", "full_resync")


def keyed_hash(salt: str, text: str) -> str:
    """sha256 of the secret salt, ':' and the text (as the project's macro salted_hash)."""
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()


def headers(destination: Destination) -> list[str]:
    """The columns of the destination's rows, in the platform's order."""
    table = HEADERS[destination.format]
    return [table[i][0] for i in IDENTIFIERS if i in destination.identifiers] + list(
        destination.fields
    )


@dataclass
class Candidate:
    customer_id: str
    in_audience: bool
    has_profile: bool
    is_erased: bool
    consent: dict[str, dict[str, Any]]
    suppressed: bool
    data: dict[str, Any]
    identifier_hashes: dict[str, str]


@dataclass
class Member:
    """A row of activation.destination_members."""

    customer_id: str
    identifier_hashes: dict[str, str] | None
    fingerprint: str | None
    pending_operation: str | None
    pending_op_id: str | None
    pending_identifier_hashes: dict[str, str] | None
    pending_fingerprint: str | None

    @property
    def held_hashes(self) -> dict[str, str]:
        """What the destination holds or may hold: what a removal sends (an operation in
        flight, a removal included, recorded the hashes it sent)."""
        if self.pending_operation and self.pending_identifier_hashes:
            return self.pending_identifier_hashes
        return self.identifier_hashes or {}


@dataclass
class Operation:
    op_id: str
    customer_id: str
    operation: str  # add | update | remove
    reason: str
    batch_number: int = 0
    data: dict[str, Any] | None = None
    identifier_hashes: dict[str, str] = field(default_factory=dict)
    previous_hashes: dict[str, str] | None = None
    fingerprint: str | None = None
    sent_fields: dict[str, str] = field(default_factory=dict)
    consent: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Plan:
    operations: list[Operation]
    audience_members: int
    excluded: Counter
    unchanged: int

    def counts(self) -> Counter:
        return Counter(op.operation for op in self.operations)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def candidates_sql(destination: Destination, macros: ProjectMacros) -> str:
    """One row per customer in the audience or at the destination, with what consent,
    erasure and suppression say now and the values the destination would get."""
    values = []
    for identifier in IDENTIFIERS:
        if identifier not in destination.identifiers:
            continue
        column = f"profiles.{PROFILE_COLUMNS[identifier]}"
        if destination.format != "json":
            column = macros.render(f"{destination.format}_value", identifier, column)
        values.append(f"{column} as value_{identifier}")
    for name in destination.fields:
        values.append(f'audience."{name}" as field_{name}')
    suppressed = []
    for identifier in ("email", "phone"):
        if identifier in destination.identifiers:
            suppressed.append(f"""exists (
                select 1 from marts.suppressed_identifiers as suppressed
                where suppressed.identifier_type = '{identifier}'
                    and list_contains($purposes, suppressed.purpose)
                    and suppressed.identifier_hash
                    = sha256($salt || ':{identifier}:' || profiles.{PROFILE_COLUMNS[identifier]})
            )""")
    return f"""
        with

        audience as (
            select * from marts."{destination.audience}"
        ),

        members as (
            select customer_id from activation.destination_members
            where destination = $destination
        ),

        candidates as (
            select customer_id from audience
            union
            select customer_id from members
        ),

        consent as (
            select
                customer_id,
                list(struct_pack(
                    purpose, status, is_contactable, is_processing_restricted, is_erased,
                    jurisdiction, default_status, source, policy_version, signal_id,
                    decided_at
                ) order by purpose) as consent_rows
            from marts.customer_consent
            where list_contains($purposes, purpose)
            group by customer_id
        )

        select
            candidates.customer_id,
            audience.customer_id is not null as in_audience,
            profiles.customer_id is not null as has_profile,
            coalesce(profiles.is_erased, false) as is_erased,
            consent.consent_rows,
            {" or ".join(suppressed) or "false"} as is_suppressed
            {"".join(", " + v for v in values)}
        from candidates
        left join audience
            on candidates.customer_id = audience.customer_id
        left join marts.customer_profiles as profiles
            on candidates.customer_id = profiles.customer_id
        left join consent
            on candidates.customer_id = consent.customer_id
        order by candidates.customer_id
    """


def read_candidates(
    con: duckdb.DuckDBPyConnection,
    destination: Destination,
    macros: ProjectMacros,
    salt: str,
) -> list[Candidate]:
    duplicated = con.execute(
        f'select customer_id from marts."{destination.audience}" '
        "group by customer_id having count(*) > 1 order by customer_id limit 1"
    ).fetchone()
    if duplicated:
        raise ValueError(
            f"audience {destination.audience} has several rows for customer {duplicated[0]}: "
            "an audience has one row per customer (fix the model; its unique test fails too)"
        )
    cursor = con.execute(
        candidates_sql(destination, macros),
        {
            "destination": destination.name,
            "purposes": list(destination.consent_purposes),
            "salt": salt,
        },
    )
    names = [d[0] for d in cursor.description]
    table = HEADERS[destination.format]
    result = []
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        data: dict[str, Any] = {}
        hashes: dict[str, str] = {}
        for identifier in IDENTIFIERS:
            if identifier not in destination.identifiers:
                continue
            header, is_hash = table[identifier]
            value = record[f"value_{identifier}"]
            data[header] = value
            if is_hash and value is not None:
                hashes[header] = value
        for name in destination.fields:
            data[name] = _json_value(record[f"field_{name}"])
        result.append(
            Candidate(
                customer_id=record["customer_id"],
                in_audience=record["in_audience"],
                has_profile=record["has_profile"],
                is_erased=record["is_erased"],
                consent={c["purpose"]: c for c in record["consent_rows"] or []},
                suppressed=bool(record["is_suppressed"]),
                data=data,
                identifier_hashes=hashes,
            )
        )
    return result


def consent_reason(row: dict[str, Any] | None, include_default: bool) -> str | None:
    """Why one purpose's consent does not allow sending now, or None when it does."""
    if row is None:
        return "customer_unknown"
    if row["is_erased"]:
        return "erased"
    if row["is_processing_restricted"]:
        return "restricted"
    if row["status"] == "denied":
        return "consent_denied"
    if row["status"] != "granted":
        if not include_default or row["default_status"] != "granted":
            return "no_grant"
    if not row["is_contactable"]:
        return "not_contactable"
    return None


def exclusion_reason(
    candidate: Candidate,
    destination: Destination,
    include_default: bool,
    held: set[str],
) -> str | None:
    """Why the customer may not be at the destination now, or None."""
    if not candidate.has_profile:
        return "customer_unknown"
    if candidate.is_erased:
        return "erased"
    reasons = {
        consent_reason(candidate.consent.get(purpose), include_default)
        for purpose in destination.consent_purposes
    } - {None}
    for reason in EXCLUSION_REASONS:
        if reason in reasons:
            return reason
    if candidate.suppressed:
        return "suppressed"
    if not candidate.in_audience:
        return "left_audience"
    if candidate.customer_id in held:
        return "held_pending_signal"
    # a hashed list needs the email or phone hash (what a removal sends); json any
    # declared identifier
    needed = ("email", "phone") if destination.format != "json" else destination.identifiers
    table = HEADERS[destination.format]
    if all(candidate.data.get(table[i][0]) is None for i in needed if i in destination.identifiers):
        return "no_identifier"
    return None


def fingerprint(salt: str, data: dict[str, Any]) -> str:
    return keyed_hash(salt, json.dumps(data, sort_keys=True, default=str))


def sent_fields(salt: str, data: dict[str, Any]) -> dict[str, str]:
    """Keyed hashes of the values sent ('<field>:<value>'): proof of what was sent,
    which nobody without the secret can turn back into the values."""
    return {
        name: keyed_hash(salt, f"{name}:{value}")
        for name, value in data.items()
        if value is not None
    }


def make_plan(
    candidates: list[Candidate],
    members: dict[str, Member],
    destination: Destination,
    sync_id: int,
    salt: str,
    include_default: bool,
    held: set[str],
    full: bool,
) -> Plan:
    removals, updates, adds = [], [], []
    excluded: Counter = Counter()
    unchanged = 0
    audience_members = 0
    for candidate in candidates:
        member = members.get(candidate.customer_id)
        audience_members += candidate.in_audience
        reason = exclusion_reason(candidate, destination, include_default, held)
        proof = [
            {"purpose": purpose, **(candidate.consent.get(purpose) or {})}
            for purpose in destination.consent_purposes
        ]
        if reason is not None:
            if candidate.in_audience:
                excluded[reason] += 1
            if member is None:
                continue
            op_id = member.pending_op_id if member.pending_operation == "remove" else None
            removals.append(
                Operation(
                    op_id=op_id or "",
                    customer_id=candidate.customer_id,
                    operation="remove",
                    reason=reason,
                    identifier_hashes=member.held_hashes,
                    sent_fields=sent_fields(salt, member.held_hashes),
                    consent=proof if candidate.has_profile else [],
                )
            )
            continue
        data = candidate.data
        print_ = fingerprint(salt, data)
        operation = Operation(
            op_id="",
            customer_id=candidate.customer_id,
            operation="add",
            reason="entered",
            data=data,
            identifier_hashes=candidate.identifier_hashes,
            fingerprint=print_,
            sent_fields=sent_fields(salt, data),
            consent=proof,
        )
        if member is None:
            adds.append(operation)
        elif member.pending_operation in ("add", "update"):
            operation.reason = "unconfirmed_retry"
            if member.fingerprint is not None:
                operation.operation = "update"
                operation.previous_hashes = member.identifier_hashes
            if member.pending_fingerprint == print_:
                operation.op_id = member.pending_op_id or ""
            (updates if operation.operation == "update" else adds).append(operation)
        elif member.pending_operation == "remove":
            # the removal may or may not have been applied: add again
            operation.reason = "entered"
            adds.append(operation)
        elif member.fingerprint != print_:
            operation.operation = "update"
            operation.reason = "changed"
            operation.previous_hashes = member.identifier_hashes
            updates.append(operation)
        elif full:
            operation.reason = "full_resync"
            adds.append(operation)
        else:
            unchanged += 1
    # removals first (they matter most), then updates and adds; each by customer id
    operations = [
        operation
        for group in (removals, updates, adds)
        for operation in sorted(group, key=lambda o: o.customer_id)
    ]
    number = 0
    for position, operation in enumerate(operations):
        if not operation.op_id:
            number += 1
            operation.op_id = f"{sync_id}-{number}"
        operation.batch_number = (
            position // destination.batch_size + 1 if destination.type == "http" else 1
        )
    return Plan(
        operations=operations,
        audience_members=audience_members,
        excluded=excluded,
        unchanged=unchanged,
    )
