"""``cdp identity-preview``: what a change of identity rules would do, before anyone
commits to it (what dbt_idr calls a dry run).

It builds the identity graph — staging, the guards, the components — with the changed
vars (``--vars``) and the project's seeds as they are now (edit
``seeds/identifier_limits.csv`` to try other limits) into scratch schemas
(``preview_staging``, ``preview_intermediate``, ...), compares it with the current build
in the same database, prints the diff, and drops the scratch schemas. The current build
and the id registry are not touched.

The diff is by identifier (matched by keyed hash, so erased values take part without
being shown): identifiers that would stop or start linking, customers that would merge
(one new component holding identifiers of several of today's customers), customers
that would split, and identifiers that would move.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]
PREFIX = "preview_"

PREVIEW_SQL = """
with

current_identifiers as (
    select
        hashed.identifier_type,
        hashed.identifier_hash,
        hashed.identifier_value,
        classified.is_stitching,
        classified.first_seen_at,
        stitched.customer_id
    from intermediate.int_identifiers_hashed as hashed
    inner join intermediate.int_identifiers_classified as classified
        on hashed.node_id = classified.node_id
    left join intermediate.int_identifiers_stitched as stitched
        on hashed.node_id = stitched.node_id
),

preview_identifiers as (
    select
        hashed.identifier_type,
        hashed.identifier_hash,
        classified.is_stitching,
        classified.non_stitching_reason,
        classified.shared_with_type,
        components.component_id
    from preview_intermediate.int_identifiers_hashed as hashed
    inner join preview_intermediate.int_identifiers_classified as classified
        on hashed.node_id = classified.node_id
    left join preview_intermediate.int_identity_components as components
        on hashed.node_id = components.node_id
),

compared as (
    select
        coalesce(now.identifier_type, preview.identifier_type) as identifier_type,
        coalesce(now.identifier_hash, preview.identifier_hash) as identifier_hash,
        now.identifier_value,
        now.first_seen_at,
        coalesce(now.is_stitching, false) as was_stitching,
        coalesce(preview.is_stitching, false) as is_stitching,
        preview.non_stitching_reason,
        preview.shared_with_type,
        now.customer_id,
        preview.component_id
    from current_identifiers as now
    full outer join preview_identifiers as preview
        on now.identifier_type = preview.identifier_type
            and now.identifier_hash = preview.identifier_hash
)

select * from compared
"""


@dataclass
class PreviewDiff:
    identifiers: int = 0
    customers_now: int = 0
    customers_after: int = 0
    stop_linking: int = 0
    start_linking: int = 0
    merges: int = 0
    splits: int = 0
    moved: int = 0
    examples: dict[str, list[tuple]] = field(default_factory=dict)


COUNTS_SQL = """
with compared as ({compared}),

components as (
    select
        component_id,
        count(distinct customer_id) as customers
    from compared
    where is_stitching and customer_id is not null
    group by component_id
),

customers as (
    select
        customer_id,
        count(distinct component_id) filter (where is_stitching) as parts
    from compared
    where customer_id is not null
    group by customer_id
),

-- as the id registry would decide: a customer's heir is the new component holding its
-- oldest identifier; a component keeps the oldest customer whose heir it is; every
-- other identifier moves (to a merge survivor or a new id), or stops linking
heirs as (
    select
        customer_id,
        component_id,
        first_seen_at,
        identifier_type,
        identifier_hash
    from compared
    where is_stitching and customer_id is not null
    qualify row_number() over (
            partition by customer_id
            order by first_seen_at nulls last, identifier_type, identifier_hash
        ) = 1
),

keepers as (
    select
        component_id,
        customer_id
    from heirs
    qualify row_number() over (
            partition by component_id
            order by first_seen_at nulls last, identifier_type, identifier_hash
        ) = 1
)

select
    (select count(*) from compared) as identifiers,
    (select count(*) from customers) as customers_now,
    (select count(distinct component_id) from compared where is_stitching) as customers_after,
    (select count(*) from compared where was_stitching and not is_stitching) as stop_linking,
    (select count(*) from compared where is_stitching and not was_stitching) as start_linking,
    (select count(*) from components where customers > 1) as merges,
    (select count(*) from customers where parts > 1) as splits,
    (
        select count(*)
        from compared
        left join keepers
            on compared.component_id = keepers.component_id
        where compared.customer_id is not null
            and (
                not compared.is_stitching
                or keepers.customer_id is distinct from compared.customer_id
            )
    ) as moved
"""

EXAMPLES_SQL = {
    "stop linking": """
        select identifier_type, coalesce(identifier_value, '(erased: hash only)'),
            non_stitching_reason, shared_with_type
        from compared where was_stitching and not is_stitching
        order by identifier_type, identifier_value limit ?""",
    "start linking": """
        select identifier_type, coalesce(identifier_value, '(erased: hash only)')
        from compared where is_stitching and not was_stitching
        order by identifier_type, identifier_value limit ?""",
    "merge": """
        select string_agg(distinct customer_id, ' + ' order by customer_id)
        from compared where is_stitching and customer_id is not null
        group by component_id having count(distinct customer_id) > 1
        order by 1 limit ?""",
    "split": """
        select customer_id, count(distinct component_id) filter (where is_stitching) as parts
        from compared where customer_id is not null
        group by customer_id having count(distinct component_id) filter (where is_stitching) > 1
        order by customer_id limit ?""",
}


def diff(con, examples: int = 10) -> PreviewDiff:
    """The diff between the current build and the preview schemas of one database."""
    compared = PREVIEW_SQL
    row = con.execute(COUNTS_SQL.format(compared=compared)).fetchone()
    result = PreviewDiff(*row)
    for title, sql in EXAMPLES_SQL.items():
        result.examples[title] = con.execute(
            f"with compared as ({compared}) {sql}", [examples]
        ).fetchall()
    return result


def report(result: PreviewDiff) -> str:
    lines = [
        f"identifiers compared           {result.identifiers:>10,}",
        f"customers now / after          {result.customers_now:>10,} / {result.customers_after:,}",
        f"identifiers that stop linking  {result.stop_linking:>10,}",
        f"identifiers that start linking {result.start_linking:>10,}",
        f"customers that would merge     {result.merges:>10,} groups",
        f"customers that would split     {result.splits:>10,}",
        f"identifiers that would move    {result.moved:>10,}",
    ]
    for title, rows in result.examples.items():
        if rows:
            lines.append(f"\n{title} (examples):")
            lines += ["  " + "  ".join(str(v) for v in row if v is not None) for row in rows]
    return "\n".join(lines)


def preview(
    database: str, dbt_vars: str | None = None, keep: bool = False, examples: int = 10
) -> str:
    from dbt.cli.main import dbtRunner

    con = duckdb.connect(database)
    try:
        built = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'intermediate' "
            "and table_name = 'int_identifiers_stitched'"
        ).fetchone()[0]
    finally:
        con.close()
    if not built:
        raise ValueError(f"{database} has no current build to compare with: run dbt build first")
    variables = f"{{schema_prefix: {PREFIX}}}"
    if dbt_vars:
        import yaml

        parsed = yaml.safe_load(dbt_vars)
        if not isinstance(parsed, dict):
            raise ValueError(f"--vars must be a YAML mapping, not {dbt_vars!r}")
        if "schema_prefix" in parsed:
            raise ValueError("--vars cannot set schema_prefix: the preview chooses it")
        variables = yaml.safe_dump({**parsed, "schema_prefix": PREFIX}, default_flow_style=True)
    previous = os.environ.get("CDP_DUCKDB_PATH")
    os.environ["CDP_DUCKDB_PATH"] = database
    try:
        result = dbtRunner().invoke(
            [
                "build",
                "--select",
                "+int_identity_components",
                "+int_identifiers_hashed",
                "--exclude",
                "resource_type:test",
                "resource_type:unit_test",
                "--vars",
                variables,
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                str(Path(database).parent / "target-preview"),
                "--quiet",
            ]
        )
        if not result.success:
            raise ValueError(f"the preview build failed: {result.exception or 'see the dbt log'}")
        con = duckdb.connect(database)
        try:
            text = report(diff(con, examples))
            if not keep:
                schemas = con.execute(
                    "select schema_name from information_schema.schemata "
                    "where schema_name like ? escape '\\'",
                    [PREFIX.replace("_", "\\_") + "%"],
                ).fetchall()
                for (schema,) in schemas:
                    con.execute(f'drop schema "{schema}" cascade')
        finally:
            con.close()
    finally:
        if previous is None:
            os.environ.pop("CDP_DUCKDB_PATH", None)
        else:
            os.environ["CDP_DUCKDB_PATH"] = previous
    return text
