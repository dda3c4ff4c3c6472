"""Consent and privacy signals that landed in raw after the last ``dbt build``.

The marts a sync reads are as fresh as the last build. An opt-out, unsubscribe or
privacy request delivered since then is not in them yet; the sync must not send the
person it concerns on the strength of a stale grant. A raw row is new when its staging
table (``base_*``, which keeps every raw row it read, kept, duplicate or quarantined)
has no row with its key and landing time. Of the new rows, those that may withdraw
something are read here:

- ``consent_events`` whose status is not a grant (``granted``, ``opt_in``): for their
  purpose (every purpose when it is not one of the seed's)
- ``privacy_requests`` of any type but ``access``: every purpose (``do_not_sell``:
  third_party_sharing)
- ``email_activity`` ``unsubscribe`` and ``complaint``: email_marketing
- ``shop_customers`` whose ``accepts_marketing`` reads as false: email_marketing

Their identifiers are read by the project's own macros (``normalize_identifier``; a
phone typed without a country in every country's reading, as staging resolves them)
and looked up in ``marts.customer_identities``. The customers found are held by the
destinations needing a purpose their signal may withdraw: not added nor updated, and
removed where such a destination holds them, until a build has read the signal. A
signal that matches no customer is listed, not dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from cdp.activation.state import StateError
from cdp.project_macros import ProjectMacros

# more new denial rows than this: the marts are too far behind to send anything
PENDING_LIMIT = 10_000
EXAMPLES = 5


@dataclass
class PendingSignals:
    rows: int = 0
    by_table: dict[str, int] = field(default_factory=dict)
    # customer_id -> the raw rows that hold them ("consent_events E9")
    held: dict[str, list[str]] = field(default_factory=dict)
    # raw rows whose identifier matches no customer ("privacy_requests R7")
    unmatched: list[str] = field(default_factory=list)
    # customer_id -> the purposes their signals may withdraw (None: every purpose)
    purposes: dict[str, set[str | None]] = field(default_factory=dict)

    def held_for(self, purposes: tuple[str, ...]) -> set[str]:
        """The customers held for a destination needing these purposes: a denial of
        another purpose (an SMS opt-out, for an email list) holds nobody there."""
        return {
            customer_id
            for customer_id, withdrawn in self.purposes.items()
            if None in withdrawn or withdrawn & set(purposes)
        }

    @property
    def too_many(self) -> bool:
        return self.rows > PENDING_LIMIT

    def summary(self) -> str:
        if not self.rows:
            return "no consent or privacy signal landed in raw after the last dbt build"
        tables = ", ".join(f"{t}: {n}" for t, n in sorted(self.by_table.items()))
        text = (
            f"{self.rows} consent or privacy signal(s) landed in raw after the last dbt build "
            f"({tables})"
        )
        if self.too_many:
            return text + f": more than {PENDING_LIMIT:,}, so nothing is sent; run dbt build"
        text += (
            f"; {len(self.held)} customer(s) held until dbt build reads them (by the "
            "destinations needing a purpose concerned)"
        )
        if self.unmatched:
            shown = ", ".join(self.unmatched[:EXAMPLES])
            more = (
                f" and {len(self.unmatched) - EXAMPLES} more"
                if len(self.unmatched) > EXAMPLES
                else ""
            )
            text += f"; {len(self.unmatched)} match no customer ({shown}{more})"
        return text


def _new(base: str, key: str) -> str:
    """The condition that a raw row (alias raw) has not been read by any build."""
    return f"""not exists (
            select 1 from staging.{base} as base
            where base._raw_key is not distinct from raw.{key}
                and base._loaded_at is not distinct from raw._loaded_at
        )"""


def _signals_sql(macros: ProjectMacros, raw_schema: str) -> str:
    enum = lambda column: macros.render("normalize_enum", column)  # noqa: E731
    false_flag = macros.render("parse_boolean", "raw.accepts_marketing")
    return f"""
        select 'consent_events' as source_table, raw.event_id as raw_key,
            {enum("raw.identifier_type")} as identifier_type,
            raw.identifier_value,
            case
                when {enum("raw.purpose")} in (select purpose from reference.consent_purposes)
                    then {enum("raw.purpose")}
            end as purpose
        from {raw_schema}.consent_events as raw
        where {_new("base_consent__events", "event_id")}
            and coalesce({enum("raw.status")}, '') not in ('granted', 'opt_in')
        union all
        select 'privacy_requests', raw.request_id,
            {enum("raw.identifier_type")}, raw.identifier_value,
            case when {enum("raw.request_type")} = 'do_not_sell' then 'third_party_sharing' end
        from {raw_schema}.privacy_requests as raw
        where {_new("base_privacy__requests", "request_id")}
            and coalesce({enum("raw.request_type")}, '') <> 'access'
        union all
        select 'email_activity', raw.activity_id, 'email', raw.email, 'email_marketing'
        from {raw_schema}.email_activity as raw
        where {_new("base_email__activities", "activity_id")}
            and {enum("raw.activity_type")} in ('unsubscribe', 'complaint')
        union all
        select 'shop_customers', raw.customer_id, identifier.identifier_type,
            identifier.identifier_value, 'email_marketing'
        from {raw_schema}.shop_customers as raw
        cross join lateral (
            values ('shop_customer_id', raw.customer_id), ('email', raw.email)
        ) as identifier (identifier_type, identifier_value)
        where {_new("base_shop__customers", "customer_id")}
            and {false_flag} = false
    """


def _matches_sql(macros: ProjectMacros) -> str:
    any_type = macros.render(
        "normalize_identifier", "pending.identifier_type", "pending.identifier_value"
    )
    national_phone = macros.render(
        "normalize_phone",
        "pending.identifier_value",
        "countries.dialing_code",
        "countries.trunk_prefix",
    )
    return f"""
        with

        readings as (
            select pending.*, {any_type} as reading
            from pending
            union all
            select pending.*, {national_phone} as reading
            from pending
            cross join reference.countries as countries
            where pending.identifier_type = 'phone'
        )

        select distinct
            readings.source_table,
            readings.raw_key,
            readings.identifier_type,
            readings.purpose,
            identities.customer_id
        from readings
        left join marts.customer_identities as identities
            on readings.identifier_type = identities.identifier_type
                and readings.reading = identities.identifier_value
        order by all
    """


def find(con: duckdb.DuckDBPyConnection, macros: ProjectMacros, raw_schema: str) -> PendingSignals:
    """The denial-like raw rows no build has read, and the customers they concern."""
    signals_sql = _signals_sql(macros, raw_schema)
    try:
        # a shop account row is one signal through two identifiers (its id and email)
        counts = con.execute(
            f"""
            select source_table, count(*) filter (
                where not (source_table = 'shop_customers' and identifier_type = 'email')
            )
            from ({signals_sql}) group by all
            """
        ).fetchall()
        result = PendingSignals(
            rows=sum(n for _, n in counts), by_table={t: n for t, n in counts if n}
        )
        if not result.rows:
            return result
        if result.too_many:
            return result
        con.execute(f"create or replace temp table pending as {signals_sql}")
        matches = con.execute(_matches_sql(macros)).fetchall()
    except duckdb.CatalogException as error:
        raise StateError(
            "cannot compare raw with the last build (is the database built? run dbt build): "
            f"{str(error).splitlines()[0]}"
        ) from error
    finally:
        con.execute("drop table if exists pending")
    # one raw row may name a customer through several identifiers (a shop account:
    # its id and its email), and one identifier may read as several phones
    customers_of: dict[str, set[str]] = defaultdict(set)
    purposes: dict[str, set[str | None]] = defaultdict(set)
    for source_table, raw_key, _identifier_type, purpose, customer_id in matches:
        signal = f"{source_table} {raw_key if raw_key is not None else '(no id)'}"
        customers_of[signal]  # noqa: B018 (every signal is listed, matched or not)
        if customer_id is not None:
            customers_of[signal].add(customer_id)
            purposes[customer_id].add(purpose)
    result.purposes = dict(purposes)
    held: dict[str, list[str]] = defaultdict(list)
    for signal, customers in sorted(customers_of.items()):
        for customer_id in customers:
            held[customer_id].append(signal)
    result.held = dict(sorted(held.items()))
    result.unmatched = sorted(s for s, customers in customers_of.items() if not customers)
    return result
