"""Project conventions, checked on dbt's manifest in the spirit of dbt-project-evaluator.

`dbt parse` writes target/manifest.json; these tests read it: layers read what they
should, names carry their layer's prefix, every model has a tested primary key, every
model, source, seed, column, macro and exposure is documented, and dispatched macros
are written as dbt-utils writes them (a one-line public macro; duckdb__ and spark__
implementations; a default__ that is portable SQL or fails naming the adapter).
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_dbt

LAYER_PREFIXES = {
    "staging": ("base_", "stg_"),
    "intermediate": ("int_",),
    "data_quality": ("dq_",),
}
# unique keys, or the grain of a one-row model / of a one-row-per-raw-row model
PRIMARY_KEY_TESTS = {
    "unique",
    "unique_combination_of_columns",
    "row_count_equals",
    "row_count_equals_source",
}


@pytest.fixture(scope="module")
def project_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("manifest")


@pytest.fixture(scope="module")
def manifest(project_folder):
    folder = project_folder
    result = run_dbt(folder / "cdp.duckdb", "parse", target_dir=folder / "target")
    assert result.success, result.output
    return json.loads((folder / "target" / "manifest.json").read_text())


def project_nodes(manifest, resource_type: str) -> dict:
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == resource_type and node["package_name"] == "cdp"
    }


def layer(node) -> str:
    return node["fqn"][1]


def parents(node) -> list[str]:
    return node["depends_on"]["nodes"]


def test_staging_models_read_only_their_source_and_reference_seeds(manifest):
    problems = []
    for node in project_nodes(manifest, "model").values():
        if layer(node) != "staging":
            continue
        sources = [p for p in parents(node) if p.startswith("source.")]
        models = [p for p in parents(node) if p.startswith("model.")]
        if node["name"].startswith("base_"):
            # a base model reads exactly one source table (plus reference seeds)
            if len(sources) != 1 or models:
                problems.append((node["name"], sources, models))
        else:
            # a stg_ model is the kept rows of its own base model
            expected = ["model.cdp." + node["name"].replace("stg_", "base_", 1)]
            if sources or models != expected:
                problems.append((node["name"], sources, models))
    assert problems == []


# Models other than base_ ones allowed to read sources, and why.
SOURCE_READERS = {
    # nothing lost: it counts each raw table itself, not the base model's bookkeeping
    "dq_source_reconciliation",
    # the raw row's engine-independent key (macro raw_row_key), read from the raw row
    # itself and matched to the base model's rows by the row hash
    "int_privacy_requests_checked",
}


def test_nothing_but_base_models_reads_sources(manifest):
    readers = {
        node["name"]
        for node in project_nodes(manifest, "model").values()
        if any(p.startswith("source.") for p in parents(node))
    }
    assert readers
    assert {name for name in readers if not name.startswith("base_")} == SOURCE_READERS


def test_marts_do_not_read_staging(manifest):
    models = project_nodes(manifest, "model")
    offending = [
        (node["name"], parent)
        for node in models.values()
        if layer(node) == "marts"
        for parent in parents(node)
        if parent in models and layer(models[parent]) == "staging"
    ]
    assert offending == []


def test_intermediate_models_read_no_marts(manifest):
    models = project_nodes(manifest, "model")
    offending = [
        (node["name"], parent)
        for node in models.values()
        if layer(node) == "intermediate"
        for parent in parents(node)
        if parent in models and layer(models[parent]) == "marts"
    ]
    assert offending == []


def test_names_carry_their_layers_prefix(manifest):
    wrong = []
    every_prefix = tuple(p for prefixes in LAYER_PREFIXES.values() for p in prefixes)
    for node in project_nodes(manifest, "model").values():
        prefixes = LAYER_PREFIXES.get(layer(node))
        if prefixes is None:  # marts: plain business names, no other layer's prefix
            if node["name"].startswith(every_prefix):
                wrong.append(node["name"])
        elif not node["name"].startswith(prefixes):
            wrong.append(node["name"])
    assert wrong == []


def test_every_model_has_a_tested_primary_key(manifest):
    """A unique test on a key; for models of one row per raw row, where byte-identical
    deliveries have no key, a grain test: row_count_equals_source, or the singular test
    named in meta.grain_test, which must read the model."""
    keyed = set()
    tests = project_nodes(manifest, "test")
    for test in tests.values():
        metadata = test.get("test_metadata") or {}
        if metadata.get("name") in PRIMARY_KEY_TESTS and test.get("attached_node"):
            keyed.add(test["attached_node"])
    for uid, node in project_nodes(manifest, "model").items():
        grain_test = node["config"].get("meta", {}).get("grain_test")
        if grain_test and uid in parents(
            tests.get(f"test.cdp.{grain_test}", {"depends_on": {"nodes": []}})
        ):
            keyed.add(uid)
    unkeyed = sorted(
        node["name"] for uid, node in project_nodes(manifest, "model").items() if uid not in keyed
    )
    assert unkeyed == []


def test_every_node_and_column_is_documented(manifest):
    missing = []
    documented = [
        *project_nodes(manifest, "model").values(),
        *project_nodes(manifest, "seed").values(),
        *(s for s in manifest["sources"].values() if s["package_name"] == "cdp"),
        *(e for e in manifest["exposures"].values() if e["package_name"] == "cdp"),
    ]
    for node in documented:
        if not node.get("description", "").strip():
            missing.append(node["unique_id"])
        for column, spec in node.get("columns", {}).items():
            if not spec.get("description", "").strip():
                missing.append(f"{node['unique_id']}.{column}")
    implementations = dispatch_implementations(manifest)
    for macro in manifest["macros"].values():
        if macro["package_name"] != "cdp" or macro["name"] in implementations:
            continue  # an engine's implementation is documented by its public macro
        if not macro.get("description", "").strip():
            missing.append(macro["unique_id"])
    assert missing == []


def test_every_mart_has_an_enforced_contract(manifest):
    uncontracted = [
        node["name"]
        for node in project_nodes(manifest, "model").values()
        if layer(node) == "marts" and not node["config"]["contract"]["enforced"]
    ]
    assert uncontracted == []


def test_every_model_a_destination_reads_is_public(manifest):
    """What an exposure (a destination of cdp sync) reads is a public interface: its
    access says so, and it is a mart with an enforced contract (above)."""
    fed = {
        node
        for exposure in manifest["exposures"].values()
        if exposure["package_name"] == "cdp"
        for node in exposure["depends_on"]["nodes"]
    }
    models = project_nodes(manifest, "model")
    assert fed, "no exposure reads a model"
    assert sorted(n for n in fed if models[n]["access"] != "public") == []


# --- dispatched macros ------------------------------------------------------------------

DISPATCH = re.compile(r"adapter\.dispatch\('(\w+)', 'cdp'\)")
ENGINE_PREFIXES = ("duckdb", "spark", "default")
# A dispatched macro's public form, as dbt-utils writes it: one line returning the
# implementation's result.
PUBLIC_BODY = re.compile(
    r"\{%-? macro (?P<name>\w+)\((?P<args>[^)]*)\) -?%\}\s*"
    r"\{\{-? return\(adapter\.dispatch\('(?P<dispatched>\w+)', 'cdp'\)"
    r"\((?P<passed>[^)]*)\)\) -?\}\}"
    r"\s*\{%-? endmacro -?%\}\s*"
)


def project_macros(manifest) -> dict[str, dict]:
    return {m["name"]: m for m in manifest["macros"].values() if m["package_name"] == "cdp"}


def dispatched_names(manifest) -> set[str]:
    names = set()
    for macro in project_macros(manifest).values():
        names.update(DISPATCH.findall(macro["macro_sql"]))
    return names


def dispatch_implementations(manifest) -> set[str]:
    """The engine implementations (duckdb__x, spark__x, default__x) of dispatched macros."""
    candidates = {f"{p}__{name}" for name in dispatched_names(manifest) for p in ENGINE_PREFIXES}
    return candidates & set(project_macros(manifest))


def fails_by_design(macro: dict) -> bool:
    """A default__ that refuses to run on other engines (and says which)."""
    return (
        "unsupported_adapter(" in macro["macro_sql"] or "raise_compiler_error" in macro["macro_sql"]
    )


def test_dispatched_macros_are_one_line_returning_their_implementation(manifest):
    macros = project_macros(manifest)
    problems = []
    for name in sorted(dispatched_names(manifest)):
        public = macros.get(name)
        match = PUBLIC_BODY.fullmatch(public["macro_sql"]) if public else None
        if match is None or match["dispatched"] != name:
            problems.append(f"{name}: not {{{{ return(adapter.dispatch('{name}', 'cdp')(...)) }}}}")
        if f"default__{name}" not in macros:
            problems.append(f"{name}: no default__{name} (portable SQL, or unsupported_adapter)")
    assert problems == []


def test_every_dispatched_macro_runs_on_duckdb_and_on_spark(manifest):
    """DuckDB dispatches to duckdb__, then default__; the cdp_spark adapter (whose plugin
    depends on dbt-spark's) to cdp_spark__, spark__, then default__. Each needs an
    implementation that does not refuse it, unless the macro declares the engines it
    serves (meta engines: the loops a Spark materialization runs)."""
    macros = project_macros(manifest)
    missing = []
    for name in sorted(dispatched_names(manifest)):
        default = macros.get(f"default__{name}")
        portable_default = default is not None and not fails_by_design(default)
        engines = macros[name].get("meta", {}).get("engines", ["duckdb", "spark"])
        for engine in engines:
            if f"{engine}__{name}" not in macros and not portable_default:
                missing.append(f"{engine}__{name}")
    assert missing == []


# Functions of standard SQL that every engine we know of spells the same way, and the
# keywords that may stand before a parenthesis. A default__ implementation may call
# nothing else: anything else is one engine's dialect, which belongs in <engine>__.
PORTABLE_FUNCTIONS = {
    "abs", "avg", "cast", "ceil", "coalesce", "count", "dense_rank", "first_value", "floor",
    "lag", "last_value", "lead", "lower", "max", "min", "nullif", "rank", "round",
    "row_number", "substring", "sum", "upper",
    # type names with a precision
    "char", "decimal", "numeric", "varchar",
}  # fmt: skip
KEYWORDS_BEFORE_PARENTHESIS = {
    "all", "and", "any", "as", "between", "by", "else", "exists", "from", "in", "join", "not",
    "on", "or", "over", "select", "then", "union", "using", "values", "when", "where",
}  # fmt: skip
# DuckDB syntax that calls no function: ASOF joins, star EXCLUDE, lambdas, QUALIFY
DIALECT_WORDS = {"asof", "exclude", "lambda", "qualify"}
# list and struct literals or slices, :: casts, -> lambdas
DIALECT_SYMBOLS = ("[", "]", "{", "}", "::", "->")


def sql_of(macro_sql: str) -> str:
    """The SQL text a macro writes, its Jinja taken out: comments and tags dropped, each
    expression a placeholder value, string literals emptied."""
    text = re.sub(r"\{#.*?#\}", " ", macro_sql, flags=re.S)
    text = re.sub(r"\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", " value ", text, flags=re.S)
    return re.sub(r"'(?:[^']|'')*'", "''", text)


def dialect_in(sql: str) -> list[str]:
    found = [
        f"{name}("
        for name in re.findall(r"\b(\w+)\s*\(", sql.lower())
        if name not in PORTABLE_FUNCTIONS | KEYWORDS_BEFORE_PARENTHESIS
    ]
    found += [word for word in re.findall(r"\b\w+\b", sql.lower()) if word in DIALECT_WORDS]
    found += [symbol for symbol in DIALECT_SYMBOLS if symbol in sql]
    return found


def test_the_portability_check_finds_duckdb_dialect():
    """The check below must be able to fail: DuckDB spellings of this project's own
    duckdb__ macros are found, the portable defaults' spellings are not."""
    assert dialect_in(sql_of("date_diff('day', {{ start }}, {{ end }})")) == ["date_diff("]
    assert dialect_in(sql_of("{{ expression }}[2:]")) == ["[", "]"]
    assert dialect_in(sql_of("asof left join {{ rates }} as r on r.c = x.c")) == ["asof"]
    assert dialect_in(sql_of("hash(*columns(* exclude (_loaded_at)))")) == [
        "hash(", "columns(", "exclude(", "exclude",
    ]  # fmt: skip
    assert dialect_in(sql_of("cast({{ x }} as decimal({{ p }}, {{ s }}))")) == []
    assert dialect_in(sql_of("'{{ value | replace(\"'\", \"''\") }}'")) == []


def test_default_implementations_are_portable_sql(manifest):
    dialect = {
        name: found
        for name, macro in project_macros(manifest).items()
        if name.startswith("default__") and (found := dialect_in(sql_of(macro["macro_sql"])))
    }
    assert dialect == {}


# What the portable defaults must compute, written by hand, asked of DuckDB (which runs
# standard SQL too) beside the DuckDB implementations.
PORTABLE_DEFAULTS_SQL = """
with

date_pairs as (
    select cast(start_text as date) as start_date, cast(end_text as date) as end_date, pair
    from (values
        ('2024-02-29', '2025-02-28', 1),
        ('2024-03-01', '2024-01-01', 2),
        ('2020-01-01', '2020-01-01', 3)
    ) as pairs (start_text, end_text, pair)
),

rates as (
    select currency, cast(rate_text as date) as rate_date, cast(rate as decimal(18, 8))
        as eur_per_unit
    from (values
        ('USD', '2024-01-01', 0.9), ('USD', '2024-02-01', 0.95), ('GBP', '2024-01-15', 1.15)
    ) as rates (currency, rate_text, rate)
),

amounts as (
    select currency, cast(at_text as date) as at_date, amount_id
    from (values
        ('USD', '2023-12-31', 1), ('USD', '2024-01-01', 2), ('USD', '2024-01-31', 3),
        ('USD', '2024-02-01', 4), ('USD', '2025-01-01', 5), ('GBP', '2024-01-14', 6),
        ('CHF', '2024-06-01', 7)
    ) as amounts (currency, at_text, amount_id)
),

default_days as ({{ cdp.default__every_day('2024-02-27', '2024-03-02') }}),

duckdb_days as ({{ cdp.duckdb__every_day('2024-02-27', '2024-03-02') }})

select 'days_between' as check_name, pair as item,
    cast({{ cdp.default__days_between('start_date', 'end_date') }} as string) as portable,
    cast({{ cdp.duckdb__days_between('start_date', 'end_date') }} as string) as duckdb
from date_pairs
union all
select 'every_day', row_number() over (order by date_day), cast(date_day as string), null
from default_days
union all
select 'every_day_duckdb', row_number() over (order by date_day), null, cast(date_day as string)
from duckdb_days
union all
select 'rate_asof_join', amounts.amount_id,
    cast(default_rate.eur_per_unit as string), cast(duckdb_rate.eur_per_unit as string)
from amounts
{{ cdp.default__rate_asof_join('rates', 'default_rate', 'amounts.currency', 'amounts.at_date') }}
{{ cdp.duckdb__rate_asof_join('rates', 'duckdb_rate', 'amounts.currency', 'amounts.at_date') }}
"""


def test_portable_defaults_compute_what_the_duckdb_implementations_compute(project_folder):
    """Every default__ that is not a refusal, run on DuckDB against hand-written answers:
    whole days between dates (a leap day, backwards, none), the days of a range (end
    excluded, 29 February included), the latest rate on or before a date (none before the
    first, none for an unknown currency)."""
    folder = project_folder
    result = run_dbt(
        folder / "cdp.duckdb",
        "show", "--inline", PORTABLE_DEFAULTS_SQL, "--limit", "100",
        target_dir=folder / "target",
    )  # fmt: skip
    assert result.success, result.output
    rows = {}
    for check, item, portable, duckdb in result.result.result.results[0].agate_table.rows:
        rows.setdefault(check, {})[int(item)] = (portable, duckdb)
    days = ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"]
    assert rows["days_between"] == {1: ("365", "365"), 2: ("-60", "-60"), 3: ("0", "0")}
    assert [portable for portable, _ in rows["every_day"].values()] == days
    assert [duckdb for _, duckdb in rows["every_day_duckdb"].values()] == days
    january, february = "0.90000000", "0.95000000"
    assert rows["rate_asof_join"] == {
        1: (None, None),
        2: (january, january),
        3: (january, january),
        4: (february, february),
        5: (february, february),
        6: (None, None),
        7: (None, None),
    }
