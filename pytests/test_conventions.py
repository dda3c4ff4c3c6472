"""Project conventions, checked on dbt's manifest in the spirit of dbt-project-evaluator.

`dbt parse` writes target/manifest.json; these tests read it: layers read what they
should, names carry their layer's prefix, every model has a tested primary key, and
every model, source, seed, column, macro and exposure is documented.
"""

from __future__ import annotations

import json

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
def manifest(tmp_path_factory):
    folder = tmp_path_factory.mktemp("manifest")
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
    for macro in manifest["macros"].values():
        if macro["package_name"] == "cdp" and not macro.get("description", "").strip():
            missing.append(macro["unique_id"])
    assert missing == []


def test_every_mart_has_an_enforced_contract(manifest):
    uncontracted = [
        node["name"]
        for node in project_nodes(manifest, "model").values()
        if layer(node) == "marts" and not node["config"]["contract"]["enforced"]
    ]
    assert uncontracted == []
