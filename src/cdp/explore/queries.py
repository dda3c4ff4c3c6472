"""Every query of ``cdp explore``, in one place so it is easy to adapt when the marts change.

Rules:
- Input never becomes SQL text: it is passed as DuckDB named parameters
  (``$name``). SQL text is built only from constants of this module and from
  the project's macros (``project.Normalizers``).
- The database is opened read-only, one short connection per page, so a
  ``dbt build`` is blocked for at most the time of one page.
- Personal data is shown only as the marts show it. Intermediate models (the
  identity graph, attribute candidates) hold clear values even for erased
  customers, so their identifier values never leave SQL: what is displayed is
  joined from ``marts.customer_identities`` (masked as there), and attribute
  candidates are read only for customers who are not erased.

Relations read: marts.customer_profiles, customer_identities,
customer_touchpoints, customer_consent, customer_consent_history,
customer_value, suppressed_identifiers, audience_*; intermediate.int_identity_links,
int_identifiers_stitched, int_identifiers_classified,
int_customer_attributes_observed, int_customer_attributes_survived,
int_customers_privacy_flagged; reference.countries.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from cdp.explore.project import Normalizers

# the identifier types read by their own rule; every other type (crm_contact_id, a new
# source's account id, ...) is an account id, read as the staging models read it
READ_TYPES = ("email", "phone")

# profile column, its attribute name in int_customer_attributes_*
GOLDEN_ATTRIBUTES = (
    ("primary_email", "email"),
    ("primary_phone", "phone"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("birth_date", "birth_date"),
    ("city", "city"),
    ("postal_code", "postal_code"),
    ("country", "country"),
)

SEARCH_LIMIT = 50
NAME_TOKENS = 4
GRAPH_EDGE_LIMIT = 20_000
TOUCHPOINT_LIMIT = 200
TIMELINE_LIMIT = 2_000


class DatabaseUnavailable(Exception):
    """The database cannot be read now: missing, locked by a build, or not built."""


# ---------------------------------------------------------------------------
# connection


def open_database(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file read-only, or raise DatabaseUnavailable saying why."""
    path = Path(path)
    if not path.is_file():
        raise DatabaseUnavailable(
            f"database {path} does not exist: build it first "
            "(cdp generate or cdp load, then dbt build), or pass --database"
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise DatabaseUnavailable(
                f"database {path} is locked by another process, most likely a running "
                "dbt build: reload this page when it has finished"
            ) from error
        raise DatabaseUnavailable(f"cannot open database {path}: {error}") from error
    except duckdb.Error as error:
        raise DatabaseUnavailable(f"cannot open database {path}: {error}") from error


def _rows(con, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    try:
        cursor = con.execute(sql, params or {})
    except duckdb.CatalogException as error:
        raise DatabaseUnavailable(
            f"the database is not built (or was built by another version of the project): "
            f"{str(error).splitlines()[0]}. Run dbt build."
        ) from error
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _one(con, sql: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
    rows = _rows(con, sql, params)
    return rows[0] if rows else None


def keyed_hash(identifier_type: str, value: str) -> str:
    """The project's keyed hash of an identifier (macro salted_hash of 'type:value',
    with the secret CDP_SECRET_SALT): how an erased person's email or phone is found,
    since the marts keep nothing else of it."""
    from cdp.duckdb_secrets import secret_salt

    return sha256_hex(f"{secret_salt()}:{identifier_type}:{value}")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# countries and normalization (the project's macros, see project.py)


def countries(con) -> list[dict[str, Any]]:
    return _rows(
        con,
        """
        select country_code, country_name, dialing_code, trunk_prefix
        from reference.countries
        order by country_name
        """,
    )


def identifier_types(con) -> tuple[str, ...]:
    """The identifier types the project knows (seed identifier_types, where a new
    source's type is declared): email and phone first, then the account ids by name."""
    rows = con.execute(
        "select identifier_type from reference.identifier_types "
        "order by identifier_type not in ('email', 'phone'), identifier_type <> 'email', "
        "identifier_type"
    ).fetchall()
    return tuple(row[0] for row in rows)


def most_common_country(con) -> str | None:
    """The country most customers have: the default for national phone numbers."""
    row = _one(
        con,
        """
        select country as country_code
        from marts.customer_profiles
        where country is not null
        group by country
        order by count(*) desc, country
        limit 1
        """,
    )
    return row["country_code"] if row else None


def normalize_email(con, normalizers: Normalizers, value: str) -> str | None:
    return _one(con, f"select {normalizers.email} as email", {"value": value})["email"]


def normalize_account_id(con, normalizers: Normalizers, value: str) -> str | None:
    return _one(con, f"select {normalizers.account_id} as account_id", {"value": value})[
        "account_id"
    ]


def normalize_phone(
    con, normalizers: Normalizers, value: str, country_code: str | None
) -> str | None:
    """E.164 by the project's normalize_phone: international numbers by their own
    code, national ones with the dialing code and trunk prefix of ``country_code``
    (reference.countries); without a country a national number is null."""
    dialing = _one(
        con,
        """
        select dialing_code, trunk_prefix
        from reference.countries
        where country_code = $country_code
        """,
        {"country_code": country_code},
    ) or {"dialing_code": None, "trunk_prefix": None}
    row = _one(
        con,
        f"select {normalizers.phone} as phone",
        {
            "value": value,
            "dialing_code": dialing["dialing_code"],
            "trunk_prefix": dialing["trunk_prefix"],
        },
    )
    return row["phone"]


def known_national_phone(con, normalizers: Normalizers, value: str) -> tuple[int, str | None]:
    """A phone typed in national format read as a record without a country is read
    (docs/contract.md §2): every country's reading of its digits looked up among the
    customers' phones. (1, the number) when exactly one reading is known; (n, None) when
    n > 1 readings are (ambiguous); (0, None) when none is or it is no national number."""
    row = _one(con, normalizers.known_national_phone, {"value": value})
    if row is None:
        return 0, None
    count = row["known_reading_count"]
    return count, row["phone"] if count == 1 else None


def read_phone(
    con, normalizers: Normalizers, value: str, country_code: str | None
) -> tuple[str | None, str, int]:
    """A typed phone read as the records' phones are (docs/contract.md §2): with a
    country chosen, as a record of that country (normalize_phone); without one, as a
    record without a country: an international number by its own code, a national one
    by its one known reading. (phone or None, how it was read, and how many countries'
    readings customers hold: more than one is ambiguous and reads as None)."""
    phone = normalize_phone(con, normalizers, value, country_code)
    if phone or country_code:
        return phone, "", 1 if phone else 0
    count, known = known_national_phone(con, normalizers, value)
    if known:
        return known, " (the one country's reading a customer holds)", 1
    return None, "", count


def normalize_identifier(
    con, normalizers: Normalizers, identifier_type: str, value: str, country_code: str | None
) -> str | None:
    if identifier_type == "email":
        return normalize_email(con, normalizers, value)
    if identifier_type == "phone":
        return read_phone(con, normalizers, value, country_code)[0]
    if identifier_type in identifier_types(con):
        return normalize_account_id(con, normalizers, value)
    raise ValueError(f"unknown identifier type {identifier_type!r}")


# ---------------------------------------------------------------------------
# search

# every word typed starts a word of the golden first or last name
# ($name_i: '% word%', matched against ' first last')
NAME_CONDITIONS = "".join(
    f"""
        and (
            $name_{i} is null
            or ' ' || lower(coalesce(first_name, '')) || ' ' || lower(coalesce(last_name, ''))
            like $name_{i} escape '!'
        )"""
    for i in range(1, NAME_TOKENS + 1)
)


def _search_sql(matched: str) -> str:
    """A search query: the CTE ``matched`` (customer_id, matched_by, matched_value,
    is_stitching, non_stitching_reason) with the matching customers' profiles."""
    return f"""
with

identities as (
    select * from marts.customer_identities
),

profiles as (
    select * from marts.customer_profiles
),

matched as ({matched}
),

final as (
    select
        matched.matched_by,
        matched.matched_value,
        matched.is_stitching,
        matched.non_stitching_reason,
        profiles.customer_id,
        profiles.first_name,
        profiles.last_name,
        profiles.primary_email,
        profiles.primary_phone,
        profiles.country,
        profiles.journey_stage,
        profiles.is_known,
        profiles.is_erased,
        profiles.last_seen_at
    from matched
    inner join profiles
        on matched.customer_id = profiles.customer_id
)

select * from final
order by
    is_stitching desc,
    last_name nulls last,
    first_name nulls last,
    customer_id,
    matched_by
limit $limit
"""


# Each search reads only what its input needs: one scan of customer_identities
# for identifier values, the hashes only when a typed email or phone found
# nothing (an erased customer's are masked), customer_profiles for ids and names.
SEARCH_BY_IDENTIFIER_SQL = _search_sql(
    """
    select
        customer_id,
        identifier_type as matched_by,
        identifier_value as matched_value,
        is_stitching,
        non_stitching_reason
    from identities
    -- the IN list is a cheap scan filter; the typed conditions follow
    where identifier_value in ($email, $phone, $account_id)
        and (
            (identifier_type = 'email' and identifier_value = $email)
            or (identifier_type = 'phone' and identifier_value = $phone)
            or (
                identifier_type not in ('email', 'phone')
                and identifier_value = $account_id
            )
        )"""
)

SEARCH_BY_HASH_SQL = _search_sql(
    """
    select
        customer_id,
        identifier_type as matched_by,
        identifier_value as matched_value,
        is_stitching,
        non_stitching_reason
    from identities
    where identifier_value is null
        and (
            (identifier_type = 'email' and identifier_hash = $email_hash)
            or (identifier_type = 'phone' and identifier_hash = $phone_hash)
        )"""
)

SEARCH_BY_CUSTOMER_ID_SQL = _search_sql(
    """
    select
        customer_id,
        'customer_id' as matched_by,
        customer_id as matched_value,
        true as is_stitching,
        cast(null as string) as non_stitching_reason
    from profiles
    where customer_id = $customer_id"""
)

SEARCH_BY_NAME_SQL = _search_sql(
    f"""
    select
        customer_id,
        'name' as matched_by,
        cast(null as string) as matched_value,
        true as is_stitching,
        cast(null as string) as non_stitching_reason
    from profiles
    where (first_name is not null or last_name is not null){NAME_CONDITIONS}"""
)

UNATTACHED_SQL = """
with

identifiers as (
    select * from intermediate.int_identifiers_classified
),

final as (
    select
        identifier_type,
        is_stitching,
        non_stitching_reason,
        record_count
    from identifiers
    where identifier_value in ($email, $phone, $account_id)
        and (
            (identifier_type = 'email' and identifier_value = $email)
            or (identifier_type = 'phone' and identifier_value = $phone)
            or (
                identifier_type not in ('email', 'phone')
                and identifier_value = $account_id
            )
        )
)

select * from final
order by identifier_type
"""

SEARCH_KINDS = ("auto", "email", "phone", "account_id", "customer_id", "name")
_PHONE_LIKE = re.compile(r"[0-9+()./ -]+")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class SearchMatch:
    customer_id: str
    name: str | None
    primary_email: str | None
    primary_phone: str | None
    country: str | None
    journey_stage: str
    is_known: bool
    is_erased: bool
    matched_by: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    text: str
    kind: str
    country_code: str | None
    interpretations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    matches: list[SearchMatch] = field(default_factory=list)
    truncated: bool = False


def _like_word_prefix(token: str) -> str:
    escaped = token.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return "% " + escaped + "%"


def search(
    con, normalizers: Normalizers, text: str, kind: str = "auto", country_code: str | None = None
) -> SearchResult:
    """Customers matching an email, phone (any format; national ones with
    ``country_code``), account id, customer id or name."""
    if kind not in SEARCH_KINDS:
        raise ValueError(f"unknown search type {kind!r}: use one of {', '.join(SEARCH_KINDS)}")
    result = SearchResult(text=text, kind=kind, country_code=country_code)
    stripped = text.strip()
    if not stripped:
        return result
    params: dict[str, Any] = {
        "email": None,
        "email_hash": None,
        "phone": None,
        "phone_hash": None,
        "account_id": None,
        "customer_id": None,
        **{f"name_{i}": None for i in range(1, NAME_TOKENS + 1)},
    }
    if kind in ("auto", "email") and (kind == "email" or "@" in stripped):
        email = normalize_email(con, normalizers, stripped)
        if email:
            params["email"], params["email_hash"] = email, keyed_hash("email", email)
            result.interpretations.append(f"email {email}")
        elif kind == "email":
            result.notes.append(f"{stripped!r} is not a valid email address.")
    phone_like = bool(_PHONE_LIKE.fullmatch(stripped)) and sum(c.isdigit() for c in stripped) >= 6
    if kind == "phone" or (kind == "auto" and phone_like):
        phone, how, readings = read_phone(con, normalizers, stripped, country_code)
        if readings > 1:
            result.notes.append(
                f"{stripped!r} read in national format is a phone of customers in "
                f"{readings} countries: choose the country to read it by."
            )
        if phone:
            params["phone"], params["phone_hash"] = phone, keyed_hash("phone", phone)
            result.interpretations.append(f"phone {phone}{how}")
        elif readings <= 1 and (kind == "phone" or not stripped.startswith(("+", "00"))):
            where = f"with country {country_code}" if country_code else "without a country"
            result.notes.append(
                f"{stripped!r} is not a valid phone number {where}"
                + (
                    ""
                    if country_code
                    else " (read in national format, no customer holds it in any country:"
                    " choose its country)"
                )
                + "."
            )
    # ids carry no spaces or @ (an email or a full name is not looked up as an id)
    id_like = not any(c.isspace() or c == "@" for c in stripped)
    if kind == "account_id" or (kind == "auto" and id_like):
        account_id = normalize_account_id(con, normalizers, stripped)
        if account_id:
            params["account_id"] = account_id
            result.interpretations.append(f"account id {account_id}")
    if kind in ("auto", "customer_id") and (kind == "customer_id" or stripped.startswith("cus_")):
        params["customer_id"] = stripped
        result.interpretations.append(f"customer id {stripped}")
    name_like = _LETTER.search(stripped) and not any(c.isdigit() or c == "@" for c in stripped)
    if kind == "name" or (kind == "auto" and name_like):
        tokens = stripped.lower().split()
        if len(tokens) > NAME_TOKENS:
            result.notes.append(f"Only the first {NAME_TOKENS} words of a name are searched.")
        for i, token in enumerate(tokens[:NAME_TOKENS], start=1):
            params[f"name_{i}"] = _like_word_prefix(token)
        result.interpretations.append("name " + " ".join(tokens[:NAME_TOKENS]))

    limit = {"limit": SEARCH_LIMIT + 1}
    parts: list[list[dict[str, Any]]] = []
    identifiers = {k: params[k] for k in ("email", "phone", "account_id")}
    if any(identifiers.values()):
        parts.append(_rows(con, SEARCH_BY_IDENTIFIER_SQL, {**identifiers, **limit}))
        hashes = {k: params[k] for k in ("email_hash", "phone_hash")}
        if any(hashes.values()) and not parts[-1]:
            parts.append(_rows(con, SEARCH_BY_HASH_SQL, {**hashes, **limit}))
    if params["customer_id"]:
        parts.append(
            _rows(con, SEARCH_BY_CUSTOMER_ID_SQL, {"customer_id": params["customer_id"], **limit})
        )
    if params["name_1"]:
        names = {f"name_{i}": params[f"name_{i}"] for i in range(1, NAME_TOKENS + 1)}
        parts.append(_rows(con, SEARCH_BY_NAME_SQL, {**names, **limit}))
    rows = [row for part in parts for row in part]
    rows.sort(
        key=lambda r: (
            not r["is_stitching"],
            r["last_name"] is None,
            r["last_name"] or "",
            r["first_name"] is None,
            r["first_name"] or "",
            r["customer_id"],
            r["matched_by"],
        )
    )
    by_customer: dict[str, SearchMatch] = {}
    for row in rows:
        match = by_customer.get(row["customer_id"])
        if match is None:
            name = " ".join(p for p in (row["first_name"], row["last_name"]) if p) or None
            match = SearchMatch(
                customer_id=row["customer_id"],
                name=name,
                primary_email=row["primary_email"],
                primary_phone=row["primary_phone"],
                country=row["country"],
                journey_stage=row["journey_stage"],
                is_known=row["is_known"],
                is_erased=row["is_erased"],
            )
            by_customer[row["customer_id"]] = match
        label = row["matched_by"]
        if row["matched_by"] in READ_TYPES and row["matched_value"] is None:
            label += " (masked: matched by its sha256)"
        if not row["is_stitching"]:
            label += f" (non-stitching: {row['non_stitching_reason']})"
        if label not in match.matched_by:
            match.matched_by.append(label)
    result.matches = list(by_customer.values())[:SEARCH_LIMIT]
    result.truncated = len(by_customer) > SEARCH_LIMIT or any(
        len(part) > SEARCH_LIMIT for part in parts
    )

    if not result.matches and any(params[k] for k in ("email", "phone", "account_id")):
        for row in _rows(
            con,
            UNATTACHED_SQL,
            {k: params[k] for k in ("email", "phone", "account_id")},
        ):
            reason = row["non_stitching_reason"] or "stitching"
            result.notes.append(
                f"The {row['identifier_type']} is known (on {row['record_count']} records) but "
                f"belongs to no customer: it is non-stitching ({reason}) and no record carrying "
                "it has a stitching identifier."
            )
    return result


# ---------------------------------------------------------------------------
# one customer


def profile(con, customer_id: str) -> dict[str, Any] | None:
    return _one(
        con,
        "select * from marts.customer_profiles where customer_id = $customer_id",
        {"customer_id": customer_id},
    )


ATTRIBUTE_CANDIDATES_SQL = """
with

observations as (
    select * from intermediate.int_customer_attributes_observed
),

survived as (
    select * from intermediate.int_customer_attributes_survived
),

final as (
    select
        observations.attribute_name,
        observations.attribute_value,
        observations.source_system,
        observations.source_table,
        observations.record_key,
        observations.trust_rank,
        observations.observed_at,
        survived.record_key is not null as is_winner
    from observations
    left join survived
        on observations.customer_id = survived.customer_id
            and observations.attribute_name = survived.attribute_name
            and observations.source_table = survived.source_table
            and observations.record_key = survived.record_key
            and observations.attribute_value = survived.attribute_value
    where observations.customer_id = $customer_id
        and observations.attribute_name in (
            'email', 'phone', 'first_name', 'last_name', 'birth_date', 'city', 'postal_code',
            'country'
        )
)

select * from final
order by attribute_name, source_table, record_key, attribute_value
"""


@dataclass
class GoldenAttribute:
    column: str
    value: Any
    source: str | None
    collected_at: Any
    decided_by: str
    candidates: list[dict[str, Any]] = field(default_factory=list)


def _sort_key(order: list[str], candidate: dict[str, Any]):
    key: list[Any] = []
    for criterion in order:
        if criterion == "trust_rank":
            rank = candidate["trust_rank"]
            key.append((rank is None, rank if rank is not None else 0))
        elif criterion == "recency":
            at = candidate["observed_at"]
            key.append((at is None, -at.timestamp() if at is not None else 0))
    key.append((candidate["source_table"], candidate["record_key"], candidate["attribute_value"]))
    return key


def decided_by(order: list[str], candidates: list[dict[str, Any]]) -> str:
    """Why the winning candidate won, by the survivorship order: the first
    criterion on which it beats the best candidate with another value."""
    winners = [c for c in candidates if c["is_winner"]]
    if not winners:
        return "no candidate"
    winner = winners[0]
    others = [c for c in candidates if c["attribute_value"] != winner["attribute_value"]]
    if not others:
        records = len(candidates)
        return "only value" if records == 1 else f"all {records} records agree"
    runner_up = min(others, key=lambda c: _sort_key(order, c))
    for criterion in order:
        if criterion == "trust_rank" and winner["trust_rank"] != runner_up["trust_rank"]:
            return (
                f"trust rank: {winner['source_system']} ({winner['trust_rank']}) over "
                f"{runner_up['source_system']} ({runner_up['trust_rank']})"
            )
        if criterion == "recency" and winner["observed_at"] != runner_up["observed_at"]:
            return (
                f"recency: {winner['observed_at']:%Y-%m-%d} over "
                f"{runner_up['observed_at']:%Y-%m-%d}"
                if winner["observed_at"] and runner_up["observed_at"]
                else "recency"
            )
    return "tie-break (source table, record key, value)"


def golden_record(con, customer: dict[str, Any], order: list[str]) -> list[GoldenAttribute]:
    """Each golden attribute with its value, source, time and why it won. Candidates
    (clear values from intermediate models) are read only when not erased."""
    candidates: dict[str, list[dict[str, Any]]] = {}
    if not customer["is_erased"]:
        for row in _rows(con, ATTRIBUTE_CANDIDATES_SQL, {"customer_id": customer["customer_id"]}):
            candidates.setdefault(row["attribute_name"], []).append(row)
    attributes = []
    for column, attribute in GOLDEN_ATTRIBUTES:
        found = candidates.get(attribute, [])
        if customer["is_erased"]:
            reason = "erased"
        else:
            reason = decided_by(order, found) if found else "no candidate"
        attributes.append(
            GoldenAttribute(
                column=column,
                value=customer.get(column),
                source=customer.get(f"{column}_source"),
                collected_at=customer.get(f"{column}_collected_at"),
                decided_by=reason,
                candidates=found,
            )
        )
    return attributes


def identities(con, customer_id: str) -> list[dict[str, Any]]:
    return _rows(
        con,
        """
        select
            identifier_type,
            identifier_value,
            identifier_sha256,
            identifier_hash,
            is_stitching,
            non_stitching_reason,
            record_count,
            first_seen_at,
            last_seen_at
        from marts.customer_identities
        where customer_id = $customer_id
        order by is_stitching desc, identifier_type, first_seen_at, identifier_hash
        """,
        {"customer_id": customer_id},
    )


GRAPH_NODES_SQL = """
with

stitched as (
    select * from intermediate.int_identifiers_stitched
),

classified as (
    select * from intermediate.int_identifiers_classified
),

identities as (
    select * from marts.customer_identities
),

final as (
    select
        stitched.node_id,
        stitched.identifier_type,
        -- the value as the mart shows it (null when masked there)
        identities.identifier_value as shown_value,
        classified.record_count,
        classified.first_seen_at,
        stitched.node_id = stitched.anchor_node_id as is_anchor
    from stitched
    inner join classified
        on stitched.node_id = classified.node_id
    left join identities
        on stitched.customer_id = identities.customer_id
            and stitched.identifier_type = identities.identifier_type
            and stitched.identifier_value = identities.identifier_value
    where stitched.customer_id = $customer_id
)

select * from final
order by node_id
"""

GRAPH_LINKS_SQL = """
with

links as (
    select * from intermediate.int_identity_links
),

stitched as (
    select * from intermediate.int_identifiers_stitched
),

final as (
    select
        links.node_id,
        links.linked_node_id,
        links.source_table,
        links.record_key,
        links.linked_at
    from links
    inner join stitched
        on links.node_id = stitched.node_id
    where stitched.customer_id = $customer_id
)

select * from final
order by node_id, linked_node_id, source_table, record_key
limit $limit
"""


@dataclass
class GraphNode:
    node_id: int
    identifier_type: str
    label: str
    is_masked: bool
    record_count: int
    is_anchor: bool


@dataclass
class GraphLink:
    node_id: int
    linked_node_id: int
    records: list[dict[str, Any]]


@dataclass
class IdentityGraph:
    nodes: list[GraphNode]
    links: list[GraphLink]
    apart: list[dict[str, Any]]  # non-stitching identifiers with their reason
    truncated: bool = False


def _node_label(identifier_type: str, shown_value: str | None) -> tuple[str, bool]:
    if shown_value is None:
        return f"{identifier_type} (masked)", True
    return shown_value, False


def identity_graph(con, customer_id: str) -> IdentityGraph:
    """Identifiers as nodes, records as links (one link per identifier pair, with
    every record behind it); non-stitching identifiers apart with their reason."""
    nodes = graph_nodes(con, customer_id)
    rows = _rows(con, GRAPH_LINKS_SQL, {"customer_id": customer_id, "limit": GRAPH_EDGE_LIMIT + 1})
    truncated = len(rows) > GRAPH_EDGE_LIMIT
    pairs: dict[tuple[int, int], GraphLink] = {}
    for row in rows[:GRAPH_EDGE_LIMIT]:
        pair = _pair(row)
        link = pairs.setdefault(pair, GraphLink(pair[0], pair[1], []))
        link.records.append(
            {
                "source_table": row["source_table"],
                "record_key": row["record_key"],
                "linked_at": row["linked_at"],
            }
        )
    apart = [
        {
            "identifier_type": row["identifier_type"],
            "label": _node_label(row["identifier_type"], row["identifier_value"])[0],
            "is_masked": row["identifier_value"] is None,
            "reason": row["non_stitching_reason"],
            "record_count": row["record_count"],
        }
        for row in identities(con, customer_id)
        if not row["is_stitching"]
    ]
    return IdentityGraph(nodes=nodes, links=list(pairs.values()), apart=apart, truncated=truncated)


def _pair(link: dict[str, Any]) -> tuple[int, int]:
    return (
        min(link["node_id"], link["linked_node_id"]),
        max(link["node_id"], link["linked_node_id"]),
    )


def graph_nodes(con, customer_id: str) -> list[GraphNode]:
    """The customer's stitching identifiers, labelled as the mart shows them."""
    nodes = []
    for row in _rows(con, GRAPH_NODES_SQL, {"customer_id": customer_id}):
        label, masked = _node_label(row["identifier_type"], row["shown_value"])
        nodes.append(
            GraphNode(
                node_id=row["node_id"],
                identifier_type=row["identifier_type"],
                label=label,
                is_masked=masked,
                record_count=row["record_count"],
                is_anchor=row["is_anchor"],
            )
        )
    return nodes


def touchpoints(con, customer_id: str, limit: int = TIMELINE_LIMIT) -> list[dict[str, Any]]:
    """The customer's latest touchpoints, newest first."""
    return _rows(
        con,
        """
        select
            touchpoint_id,
            source_table,
            record_key,
            channel,
            touchpoint_type,
            brand,
            is_purchase,
            occurred_at
        from marts.customer_touchpoints
        where customer_id = $customer_id
        order by occurred_at desc, touchpoint_id
        limit $limit
        """,
        {"customer_id": customer_id, "limit": limit},
    )


def touchpoint_counts(con, customer_id: str) -> list[dict[str, Any]]:
    return _rows(
        con,
        """
        select
            channel,
            count(*) as touchpoints,
            count(*) filter (where is_purchase) as purchases,
            min(occurred_at) as first_at,
            max(occurred_at) as last_at
        from marts.customer_touchpoints
        where customer_id = $customer_id
        group by channel
        order by channel
        """,
        {"customer_id": customer_id},
    )


def consent(con, customer_id: str) -> list[dict[str, Any]]:
    return _rows(
        con,
        """
        select
            purpose,
            status,
            is_contactable,
            source,
            policy_version,
            signal_type,
            signal_id,
            jurisdiction,
            default_status,
            is_erased,
            is_processing_restricted,
            decided_at
        from marts.customer_consent
        where customer_id = $customer_id
        order by purpose
        """,
        {"customer_id": customer_id},
    )


def consent_history(con, customer_id: str) -> list[dict[str, Any]]:
    return _rows(
        con,
        """
        select
            purpose,
            signal_sequence,
            signal_id,
            status,
            previous_status,
            is_status_change,
            signal_type,
            source,
            policy_version,
            identifier_type,
            identifier_value,
            identifier_sha256,
            identifier_hash,
            occurred_at
        from marts.customer_consent_history
        where customer_id = $customer_id
        order by purpose, signal_sequence
        """,
        {"customer_id": customer_id},
    )


def value(con, customer_id: str) -> dict[str, Any] | None:
    return _one(
        con,
        "select * from marts.customer_value where customer_id = $customer_id",
        {"customer_id": customer_id},
    )


def privacy(con, customer_id: str) -> dict[str, Any] | None:
    return _one(
        con,
        """
        select
            is_erased,
            is_processing_restricted,
            has_do_not_sell,
            erasure_requested_at,
            restriction_requested_at,
            do_not_sell_requested_at
        from intermediate.int_customers_privacy_flagged
        where customer_id = $customer_id
        """,
        {"customer_id": customer_id},
    )


# ---------------------------------------------------------------------------
# why are these two one customer?

ENDPOINT_SQL = """
with

classified as (
    select * from intermediate.int_identifiers_classified
),

stitched as (
    select * from intermediate.int_identifiers_stitched
),

hashed as (
    select * from intermediate.int_identifiers_hashed
),

-- by value, or by keyed hash once an erasure has masked the value everywhere
final as (
    select
        classified.node_id,
        classified.is_stitching,
        classified.non_stitching_reason,
        classified.record_count,
        stitched.customer_id
    from classified
    inner join hashed
        on classified.node_id = hashed.node_id
    left join stitched
        on classified.node_id = stitched.node_id
    where classified.identifier_type = $identifier_type
        and (
            classified.identifier_value = $identifier_value
            or hashed.identifier_hash = $identifier_hash
        )
)

select * from final
"""


@dataclass
class Endpoint:
    identifier_type: str
    typed_value: str
    value: str | None  # normalized
    node_id: int | None = None
    customer_id: str | None = None
    is_stitching: bool = False
    non_stitching_reason: str | None = None
    problem: str | None = None


@dataclass
class Hop:
    hop: int
    from_type: str
    from_label: str
    to_type: str
    to_label: str
    records: list[dict[str, Any]]  # the record chosen first, then the others linking the pair


@dataclass
class Explanation:
    start: Endpoint
    goal: Endpoint
    verdict: str
    hops: list[Hop] = field(default_factory=list)


def endpoint(
    con,
    normalizers: Normalizers,
    identifier_type: str,
    typed_value: str,
    country_code: str | None,
) -> Endpoint:
    known = identifier_types(con)
    if identifier_type not in known:
        raise ValueError(
            f"unknown identifier type {identifier_type!r}: use one of {', '.join(known)}"
        )
    value_ = normalize_identifier(con, normalizers, identifier_type, typed_value, country_code)
    point = Endpoint(identifier_type=identifier_type, typed_value=typed_value, value=value_)
    if value_ is None:
        point.problem = f"{typed_value!r} is not a valid {identifier_type}" + (
            " (without a country, a national number is read only when customers of one"
            " country hold it: choose its country)"
            if identifier_type == "phone" and not country_code
            else ""
        )
        return point
    row = _one(
        con,
        ENDPOINT_SQL,
        {
            "identifier_type": identifier_type,
            "identifier_value": value_,
            "identifier_hash": keyed_hash(identifier_type, value_),
        },
    )
    if row is None:
        point.problem = f"no record carries the {identifier_type} {value_}"
        return point
    point.node_id = row["node_id"]
    point.customer_id = row["customer_id"]
    point.is_stitching = row["is_stitching"]
    point.non_stitching_reason = row["non_stitching_reason"]
    if not row["is_stitching"]:
        point.problem = (
            f"the {identifier_type} is non-stitching ({row['non_stitching_reason']}): "
            "it links nobody"
        )
    return point


def shortest_chain(
    links: list[dict[str, Any]], start: int, goal: int
) -> list[tuple[int, int, dict[str, Any]]] | None:
    """Breadth-first search over undirected record links, as
    analyses/explain_customer_link.sql: each node is reached once, at its smallest
    hop count, through the link with the smallest (from node, source table, record
    key). Returns (from node, to node, link) per hop, or None when unconnected."""
    neighbours: dict[int, list[tuple[int, str, str, dict[str, Any]]]] = {}
    for link in links:
        a, b = link["node_id"], link["linked_node_id"]
        neighbours.setdefault(a, []).append((b, link["source_table"], link["record_key"], link))
        neighbours.setdefault(b, []).append((a, link["source_table"], link["record_key"], link))
    reached: dict[int, tuple[int, dict[str, Any]] | None] = {start: None}
    frontier = [start]
    while frontier and goal not in reached:
        best: dict[int, tuple[tuple[int, str, str], int, dict[str, Any]]] = {}
        for node in frontier:
            for other, table, key, link in neighbours.get(node, ()):
                if other in reached:
                    continue
                rank = (node, table, key)
                if other not in best or rank < best[other][0]:
                    best[other] = (rank, node, link)
        for other, (_, node, link) in best.items():
            reached[other] = (node, link)
        frontier = sorted(best)
    if goal not in reached:
        return None
    chain = []
    node = goal
    while reached[node] is not None:
        previous, link = reached[node]
        chain.append((previous, node, link))
        node = previous
    return list(reversed(chain))


def _customer_links(con, customer_id: str) -> list[dict[str, Any]]:
    return _rows(con, GRAPH_LINKS_SQL, {"customer_id": customer_id, "limit": 10_000_000})


def explain_link(
    con,
    normalizers: Normalizers,
    start: tuple[str, str],
    goal: tuple[str, str],
    country_code: str | None,
) -> Explanation:
    """Why are these two identifiers one customer: the shortest chain of links
    between them with the records behind each hop."""
    first = endpoint(con, normalizers, start[0], start[1], country_code)
    second = endpoint(con, normalizers, goal[0], goal[1], country_code)
    explanation = Explanation(start=first, goal=second, verdict="")
    problems = [p.problem for p in (first, second) if p.problem]
    if problems:
        explanation.verdict = "Not one customer: " + "; ".join(problems) + "."
        return explanation
    if first.customer_id != second.customer_id:
        explanation.verdict = (
            f"Not one customer: they belong to {first.customer_id} and {second.customer_id}."
        )
        return explanation
    customer_id = first.customer_id
    explanation.verdict = f"One customer: {customer_id}."
    if first.node_id == second.node_id:
        explanation.verdict += " Both are the same identifier."
        return explanation
    links = _customer_links(con, customer_id)
    chain = shortest_chain(links, first.node_id, second.node_id)
    if chain is None:  # cannot happen when the build's tests pass
        explanation.verdict = f"Both belong to {customer_id}, but no chain of links joins them."
        return explanation
    labels = {
        node.node_id: (node.identifier_type, node.label) for node in graph_nodes(con, customer_id)
    }
    records_by_pair: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for link in links:
        records_by_pair.setdefault(_pair(link), []).append(link)
    for number, (from_node, to_node, chosen) in enumerate(chain, start=1):
        pair = (min(from_node, to_node), max(from_node, to_node))
        others = [r for r in records_by_pair[pair] if r is not chosen]
        explanation.hops.append(
            Hop(
                hop=number,
                from_type=labels[from_node][0],
                from_label=labels[from_node][1],
                to_type=labels[to_node][0],
                to_label=labels[to_node][1],
                records=[
                    {
                        "source_table": r["source_table"],
                        "record_key": r["record_key"],
                        "linked_at": r["linked_at"],
                    }
                    for r in [chosen, *others]
                ],
            )
        )
    return explanation


# ---------------------------------------------------------------------------
# identity health and audiences

COMPONENT_SIZES_SQL = """
with

identities as (
    select * from marts.customer_identities
),

sizes as (
    select
        customer_id,
        count(*) filter (where is_stitching) as identifiers
    from identities
    group by customer_id
),

final as (
    select
        identifiers,
        count(*) as customers
    from sizes
    group by identifiers
)

select * from final
order by identifiers
"""

LARGEST_COMPONENTS_SQL = """
with

identities as (
    select * from marts.customer_identities
),

final as (
    select
        customer_id,
        count(*) filter (where is_stitching) as identifiers,
        count(*) filter (where not is_stitching) as non_stitching_identifiers
    from identities
    group by customer_id
)

select * from final
order by identifiers desc, customer_id
limit 10
"""

REFUSED_SQL = """
with

identifiers as (
    select * from intermediate.int_identifiers_classified
),

identities as (
    select * from marts.customer_identities
),

refused as (
    select
        non_stitching_reason,
        identifier_type,
        shared_with_type,
        count(*) as identifiers,
        sum(record_count) as records
    from identifiers
    where not is_stitching
    group by non_stitching_reason, identifier_type, shared_with_type
),

of_customers as (
    select
        non_stitching_reason,
        identifier_type,
        shared_with_type,
        count(*) as customer_rows,
        count(distinct customer_id) as customers,
        sum(record_count) as customer_records
    from identities
    where not is_stitching
    group by non_stitching_reason, identifier_type, shared_with_type
),

final as (
    select
        refused.non_stitching_reason,
        refused.identifier_type,
        refused.shared_with_type,
        refused.identifiers,
        refused.records,
        coalesce(of_customers.customer_rows, 0) as customer_rows,
        coalesce(of_customers.customers, 0) as customers,
        coalesce(of_customers.customer_records, 0) as customer_records
    from refused
    left join of_customers
        on refused.non_stitching_reason = of_customers.non_stitching_reason
            and refused.identifier_type = of_customers.identifier_type
            and refused.shared_with_type is not distinct from of_customers.shared_with_type
)

select * from final
order by non_stitching_reason, identifier_type, shared_with_type nulls first
"""

CUSTOMER_SUMMARY_SQL = """
select
    count(*) as customers,
    count(*) filter (where is_known) as known_customers,
    count(*) filter (where not is_known) as anonymous_visitors,
    count(*) filter (where is_erased) as erased_customers
from marts.customer_profiles
"""

AUDIENCE_TABLES_SQL = """
select table_name
from information_schema.tables
where table_schema = 'marts' and table_name like 'audience!_%' escape '!'
order by table_name
"""

# The consent-governed audiences of models/marts/audiences/: purpose, the identifier
# type and profile columns of the address, and which customers are the candidates
# before consent (a constant condition, never input).
AUDIENCE_RULES = {
    "audience_email_marketing": ("email_marketing", "email", "primary_email", "email_sha256", ""),
    "audience_sms_marketing": ("sms_marketing", "phone", "primary_phone", "phone_sha256", ""),
    "audience_lapsed_high_value_email": (
        "email_marketing",
        "email",
        "primary_email",
        "email_sha256",
        "and customer_value.value_tier in ('platinum', 'gold') "
        "and profiles.journey_stage = 'lapsed'",
    ),
}
CONSENT_OUTCOMES = (
    "member",
    "erased",
    "restricted",
    "denied",
    "no_grant",
    "suppressed",
    "not_contactable",
    "no_address",
    "other",
)
EXCLUDED_BY_CONSENT = (
    "erased",
    "restricted",
    "denied",
    "no_grant",
    "suppressed",
    "not_contactable",
)


def _audience_outcomes_sql(audience: str) -> str:
    _, _, address, address_hash, candidates = AUDIENCE_RULES[audience]
    return f"""
with

profiles as (
    select * from marts.customer_profiles
),

customer_value as (
    select * from marts.customer_value
),

consent as (
    select * from marts.customer_consent
    where purpose = $purpose
),

suppressed as (
    select distinct identifier_sha256 from marts.suppressed_identifiers
    where purpose = $purpose and identifier_type = $identifier_type
),

members as (
    select distinct customer_id from marts.{audience}
),

classified as (
    select
        case
            when members.customer_id is not null then 'member'
            when profiles.is_erased then 'erased'
            when consent.is_processing_restricted then 'restricted'
            when profiles.{address} is null then 'no_address'
            when consent.status = 'denied' then 'denied'
            when consent.status is distinct from 'granted' then 'no_grant'
            when suppressed.identifier_sha256 is not null then 'suppressed'
            when not consent.is_contactable then 'not_contactable'
            else 'other'
        end as outcome
    from profiles
    left join customer_value
        on profiles.customer_id = customer_value.customer_id
    left join consent
        on profiles.customer_id = consent.customer_id
    left join suppressed
        on profiles.{address_hash} = suppressed.identifier_sha256
    left join members
        on profiles.customer_id = members.customer_id
    where profiles.is_known {candidates}
),

final as (
    select
        outcome,
        count(*) as customers
    from classified
    group by outcome
)

select * from final
"""


@dataclass
class Audience:
    name: str
    members: int
    purpose: str | None = None
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def excluded_by_consent(self) -> int:
        return sum(self.outcomes.get(o, 0) for o in EXCLUDED_BY_CONSENT)


LATEST_ERASURES_SQL = """
select
    customer_id,
    erasure_requested_at
from marts.customer_profiles
where is_erased
order by erasure_requested_at desc nulls last, customer_id
limit 10
"""


@dataclass
class Health:
    summary: dict[str, Any]
    component_sizes: list[dict[str, Any]]
    largest_components: list[dict[str, Any]]
    refused: list[dict[str, Any]]
    audiences: list[Audience]
    identity_changes: dict[str, Any] | None
    latest_erasures: list[dict[str, Any]] = field(default_factory=list)


def audiences(con) -> list[Audience]:
    """Every marts.audience_* table with its size; for the consent-governed ones,
    the known customers who are candidates by their own rule (all of them, or the
    lapsed high-value ones) split by why they are in or out."""
    result = []
    for row in _rows(con, AUDIENCE_TABLES_SQL):
        name = row["table_name"]
        members = _one(con, f'select count(*) as members from marts."{name}"')["members"]
        audience = Audience(name=name, members=members)
        if name in AUDIENCE_RULES:
            purpose, identifier_type = AUDIENCE_RULES[name][:2]
            audience.purpose = purpose
            audience.outcomes = {
                r["outcome"]: r["customers"]
                for r in _rows(
                    con,
                    _audience_outcomes_sql(name),
                    {"purpose": purpose, "identifier_type": identifier_type},
                )
            }
        result.append(audience)
    return result


def identity_changes(con, builds: int = 10, events: int = 20) -> dict[str, Any] | None:
    """Merges and splits of the last builds, from the id registry's marts: the latest
    builds' counts (marts.identity_builds) and the latest merges, splits and
    retirements (marts.customer_id_changes). None for a database built without them."""
    present = _one(
        con,
        """
        select count(*) as tables
        from information_schema.tables
        where table_schema = 'marts'
            and table_name in ('customer_id_changes', 'identity_builds')
        """,
    )
    if present["tables"] < 2:
        return None
    return {
        "builds": _rows(
            con,
            """
            select build_number, customers, created, merged, split, retired,
                identifiers_moved, identifiers_unlinked, customers_unchanged
            from marts.identity_builds
            order by build_number desc
            limit $builds
            """,
            {"builds": builds},
        ),
        "events": _rows(
            con,
            """
            select build_number, event_type, old_customer_id, new_customer_id,
                caused_by_source_table, caused_by_record_key, caused_at
            from marts.customer_id_changes
            where event_type <> 'created'
            order by build_number desc, event_type, old_customer_id, new_customer_id
            limit $events
            """,
            {"events": events},
        ),
    }


def health(con) -> Health:
    largest = _rows(con, LARGEST_COMPONENTS_SQL)
    cards = customer_cards(con, [row["customer_id"] for row in largest])
    for row in largest:
        row["card"] = cards.get(row["customer_id"])
    return Health(
        summary=_one(con, CUSTOMER_SUMMARY_SQL),
        component_sizes=_rows(con, COMPONENT_SIZES_SQL),
        largest_components=largest,
        refused=_rows(con, REFUSED_SQL),
        audiences=audiences(con),
        identity_changes=identity_changes(con),
        latest_erasures=_rows(con, LATEST_ERASURES_SQL),
    )


# ---------------------------------------------------------------------------
# latency measurement (cdp.explore.latency)

SAMPLE_SQL = """
with

identities as (
    select * from marts.customer_identities
),

profiles as (
    select * from marts.customer_profiles
),

identifiers as (
    select
        identifier_type as kind,
        identifier_value as value
    from identities
    where is_stitching and identifier_value is not null
    qualify row_number() over (
        partition by identifier_type order by identifier_hash
    ) <= $per_kind
),

names as (
    select
        'name' as kind,
        first_name || ' ' || last_name as value
    from profiles
    where first_name is not null and last_name is not null
    qualify row_number() over (order by email_sha256 nulls last, customer_id) <= $per_kind
),

ids as (
    select
        'customer_id' as kind,
        customer_id as value
    from profiles
    qualify row_number() over (order by customer_id) <= $per_kind
),

final as (
    select * from identifiers
    union all
    select * from names
    union all
    select * from ids
)

select * from final
order by kind, value
"""


def sample_search_terms(con, per_kind: int) -> list[dict[str, Any]]:
    """A fixed sample (by hash, not at random) of values to search for, per kind."""
    return _rows(con, SAMPLE_SQL, {"per_kind": per_kind})


# ---------------------------------------------------------------------------
# the landing page: example customers, segments to browse, a health summary

# the systems a customer's records come from, by the account identifiers they carry (a
# type not named here, e.g. a new source's account id, is shown by its name)
SYSTEM_OF_TYPE = {
    "crm_contact_id": "CRM",
    "shop_customer_id": "online shop",
    "loyalty_id": "loyalty programme",
    "anonymous_id": "web and app",
}

EXAMPLE_MERGED_SQL = """
with

identities as (
    select * from marts.customer_identities
),

profiles as (
    select * from marts.customer_profiles
),

systems as (
    select
        customer_id,
        count(distinct identifier_type) filter (
            where identifier_type not in ('email', 'phone')
        ) as systems,
        count(*) filter (where is_stitching) as identifiers
    from identities
    group by customer_id
),

final as (
    select
        profiles.customer_id,
        systems.systems,
        systems.identifiers
    from profiles
    inner join systems
        on profiles.customer_id = systems.customer_id
    where profiles.is_known
        and not profiles.is_erased
        and profiles.first_name is not null
        and profiles.last_name is not null
)

select * from final
order by systems desc, identifiers desc, customer_id
limit 1
"""

EXAMPLE_ERASED_SQL = """
select customer_id
from marts.customer_profiles
where is_erased
order by erasure_requested_at desc nulls last, customer_id
limit 1
"""

EXAMPLE_SHARED_PHONE_SQL = """
with

identities as (
    select * from marts.customer_identities
),

profiles as (
    select * from marts.customer_profiles
),

final as (
    select
        identities.customer_id,
        identities.identifier_value,
        identities.shared_with_type,
        identities.shared_with_count
    from identities
    inner join profiles
        on identities.customer_id = profiles.customer_id
    where identities.identifier_type = 'phone'
        and identities.non_stitching_reason = 'shared'
        and not profiles.is_erased
        and profiles.first_name is not null
)

select * from final
order by shared_with_count desc nulls last, identifier_value, customer_id
limit 1
"""

CUSTOMER_CARDS_SQL = """
with

profiles as (
    select * from marts.customer_profiles
),

identities as (
    select * from marts.customer_identities
),

customer_value as (
    select * from marts.customer_value
),

kinds as (
    select
        customer_id,
        list(distinct identifier_type order by identifier_type) as identifier_types,
        count(*) filter (where is_stitching) as identifiers
    from identities
    where customer_id in (select unnest($customer_ids))
    group by customer_id
),

final as (
    select
        profiles.customer_id,
        profiles.first_name,
        profiles.last_name,
        profiles.country,
        profiles.journey_stage,
        profiles.record_count,
        profiles.is_known,
        profiles.is_erased,
        customer_value.value_tier,
        coalesce(kinds.identifier_types, []) as identifier_types,
        coalesce(kinds.identifiers, 0) as identifiers
    from profiles
    left join customer_value
        on profiles.customer_id = customer_value.customer_id
    left join kinds
        on profiles.customer_id = kinds.customer_id
    where profiles.customer_id in (select unnest($customer_ids))
)

select * from final
"""


def customer_cards(con, customer_ids: list[str]) -> dict[str, dict[str, Any]]:
    """What a person recognizes a customer by: name, country, stage, value tier, records
    and the systems they come from; keyed by customer id (erased: no name)."""
    if not customer_ids:
        return {}
    cards = {}
    for row in _rows(con, CUSTOMER_CARDS_SQL, {"customer_ids": list(customer_ids)}):
        row["name"] = " ".join(n for n in (row["first_name"], row["last_name"]) if n) or None
        accounts = [t for t in row["identifier_types"] if t not in READ_TYPES]
        order = list(SYSTEM_OF_TYPE)
        accounts.sort(key=lambda t: (order.index(t) if t in order else len(order), t))
        row["systems"] = [SYSTEM_OF_TYPE.get(t, t) for t in accounts]
        cards[row["customer_id"]] = row
    return cards


@dataclass
class Example:
    kind: str  # merged, erased, shared_phone
    customer_id: str
    card: dict[str, Any]
    detail: dict[str, Any] = field(default_factory=dict)


def examples(con) -> list[Example]:
    """Customers worth a first look, found in this build: the one merged from the most
    systems, the latest erased one, one whose phone was refused because several people
    give it. A kind the build has no customer for is left out."""
    found: list[tuple[str, dict[str, Any]]] = []
    merged = _one(con, EXAMPLE_MERGED_SQL)
    if merged and merged["systems"] >= 2:
        found.append(("merged", merged))
    erased = _one(con, EXAMPLE_ERASED_SQL)
    if erased:
        found.append(("erased", erased))
    shared = _one(con, EXAMPLE_SHARED_PHONE_SQL)
    if shared:
        found.append(("shared_phone", shared))
    cards = customer_cards(con, [row["customer_id"] for _, row in found])
    return [
        Example(kind, row["customer_id"], cards[row["customer_id"]], row)
        for kind, row in found
        if row["customer_id"] in cards
    ]


JOURNEY_STAGES = ("anonymous_visitor", "known_lead", "first_time_buyer", "repeat_buyer", "lapsed")
VALUE_TIERS = ("platinum", "gold", "silver", "bronze", "prospect")
BROWSE_KINDS = ("journey_stage", "value_tier", "audience")
BROWSE_LIMIT = 50

SEGMENT_COUNTS_SQL = {
    "journey_stage": """
        select journey_stage as segment, count(*) as customers
        from marts.customer_profiles
        group by journey_stage
    """,
    "value_tier": """
        select value_tier as segment, count(*) as customers
        from marts.customer_value
        group by value_tier
    """,
}


def _in_order(rows: list[dict[str, Any]], order: tuple[str, ...]) -> list[dict[str, Any]]:
    known = {r["segment"]: r for r in rows}
    ordered = [known.pop(name) for name in order if name in known]
    return ordered + sorted(known.values(), key=lambda r: str(r["segment"]))


def audience_sizes(con) -> list[dict[str, Any]]:
    """Every marts.audience_* table and its members."""
    result = []
    for row in _rows(con, AUDIENCE_TABLES_SQL):
        name = row["table_name"]
        members = _one(con, f'select count(*) as members from marts."{name}"')["members"]
        result.append({"segment": name, "customers": members})
    return result


def segments(con) -> dict[str, list[dict[str, Any]]]:
    """Customers per journey stage, per value tier and per audience, to browse."""
    return {
        "journey_stage": _in_order(_rows(con, SEGMENT_COUNTS_SQL["journey_stage"]), JOURNEY_STAGES),
        "value_tier": _in_order(_rows(con, SEGMENT_COUNTS_SQL["value_tier"]), VALUE_TIERS),
        "audience": audience_sizes(con),
    }


BROWSE_SQL = {
    "journey_stage": """
        select customer_id
        from marts.customer_profiles
        where journey_stage = $value
        order by customer_id
        limit $limit
    """,
    "value_tier": """
        select customer_id
        from marts.customer_value
        where value_tier = $value
        order by customer_id
        limit $limit
    """,
}


@dataclass
class Browse:
    kind: str
    value: str
    total: int
    customers: list[dict[str, Any]]


def browse(con, kind: str, value: str, limit: int = BROWSE_LIMIT) -> Browse:
    """The first customers (by id) of a journey stage, value tier or audience. The value
    must be one the build has: an audience is only ever one of the marts' audience tables
    (its name is then quoted into the SQL), never other input."""
    if kind not in BROWSE_KINDS:
        raise ValueError(f"unknown segment kind {kind!r}: use one of {', '.join(BROWSE_KINDS)}")
    counts = segments(con)[kind]
    total = next((r["customers"] for r in counts if r["segment"] == value), None)
    if total is None:
        known = ", ".join(str(r["segment"]) for r in counts) or "none in this build"
        raise ValueError(f"unknown {kind.replace('_', ' ')} {value!r}: use one of {known}")
    if kind == "audience":
        sql = f'select distinct customer_id from marts."{value}" order by customer_id limit $limit'
        rows = _rows(con, sql, {"limit": limit})
    else:
        rows = _rows(con, BROWSE_SQL[kind], {"value": value, "limit": limit})
    ids = [r["customer_id"] for r in rows]
    cards = customer_cards(con, ids)
    return Browse(kind, value, total, [cards[i] for i in ids if i in cards])


HEALTH_SUMMARY_SQL = """
with

identifiers as (
    select * from intermediate.int_identifiers_classified
),

sizes as (
    select count(*) filter (where is_stitching) as identifiers
    from marts.customer_identities
    group by customer_id
),

final as (
    select
        (select count(*) from identifiers) as identifiers,
        (select count(*) from identifiers where not is_stitching) as refused_identifiers,
        (select max(identifiers) from sizes) as largest_customer_identifiers
)

select * from final
"""


def health_summary(con) -> dict[str, Any]:
    """The landing page's health figures: customers, known, anonymous and erased ones,
    identifiers and how many were refused, the largest customer's size."""
    return {**_one(con, CUSTOMER_SUMMARY_SQL), **_one(con, HEALTH_SUMMARY_SQL)}
