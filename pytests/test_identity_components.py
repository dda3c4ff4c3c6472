"""Property-based tests of the connected-components SQL against a union-find oracle.

The four models that compute components (int_identity_stars, int_identity_star_edges,
int_identity_contraction and int_identity_components) are compiled once by dbt;
each generated graph is then written to the tables they read, and their SQL runs
on it directly. Besides the partition, the component's name is checked: its
smallest node id, the anchor that customer ids derive from.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_dbt

MODELS = (
    "int_identity_stars",
    "int_identity_star_edges",
    "int_identity_contraction",
    "int_identity_components",
)


def compile_models(folder: Path, models: tuple[str, ...], *dbt_args: str) -> dict[str, str]:
    """Compiled SQL of the identity models, by name, plus the scratch database it targets."""
    database = folder / "cdp.duckdb"
    duckdb.connect(str(database)).close()
    result = run_dbt(database, "compile", "--select", *models, *dbt_args)
    assert result.success, result.output
    compiled = folder / "target" / "compiled" / "cdp" / "models" / "intermediate" / "identity"
    return {model: (compiled / f"{model}.sql").read_text() for model in models} | {
        "database": str(database)
    }


@pytest.fixture(scope="module")
def components_sql(tmp_path_factory) -> dict[str, str]:
    return compile_models(tmp_path_factory.mktemp("components"), MODELS)


def union_find(nodes: set[int], edges: list[tuple[int, int]]) -> set[frozenset[int]]:
    parent = {node: node for node in nodes}

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[int, set[int]] = {}
    for node in nodes:
        groups.setdefault(find(node), set()).add(node)
    return {frozenset(group) for group in groups.values()}


def sql_components(
    sql: dict[str, str], nodes: set[int], edges: list[tuple[int, int]]
) -> set[frozenset[int]]:
    con = duckdb.connect(sql["database"])
    try:
        con.execute("create schema if not exists intermediate")
        con.execute(
            "create or replace table intermediate.int_identity_links "
            "(node_id bigint, linked_node_id bigint)"
        )
        # as given: duplicated and reversed links included (a record never links a
        # node to itself)
        links = [(a, b) for a, b in edges if a != b]
        if links:
            con.executemany("insert into intermediate.int_identity_links values (?, ?)", links)
        con.execute(
            "create or replace table intermediate.int_identifiers_classified "
            "(node_id bigint, is_stitching boolean)"
        )
        con.executemany(
            "insert into intermediate.int_identifiers_classified values (?, true)",
            [(n,) for n in sorted(nodes)],
        )
        for model in MODELS[:-1]:
            con.execute(f"create or replace table intermediate.{model} as " + sql[model])
        rows = con.execute(sql["int_identity_components"]).fetchall()
    finally:
        con.close()
    assert len(rows) == len(nodes), "one row per stitching identifier"
    groups: dict[int, set[int]] = {}
    for node, component in rows:
        groups.setdefault(component, set()).add(node)
    for component, group in groups.items():
        assert component == min(group), "a component is named by its smallest node"
    return {frozenset(group) for group in groups.values()}


@st.composite
def graphs(draw) -> tuple[set[int], list[tuple[int, int]]]:
    """Unions of random graphs, chains, cycles and stars over sparse, shuffled node ids."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    ids = rng.sample(range(1, 10**9), 600)
    edges: list[tuple[int, int]] = []
    cursor = 0
    for shape in draw(
        st.lists(
            st.sampled_from(["random", "chain", "cycle", "star", "single"]), min_size=1, max_size=6
        )
    ):
        size = draw(st.integers(1, 80))
        members = ids[cursor : cursor + size]
        cursor += size
        if shape == "random":
            edges += [(rng.choice(members), rng.choice(members)) for _ in range(size)]
        elif shape == "chain":
            edges += list(zip(members, members[1:], strict=False))
        elif shape == "cycle":
            edges += list(zip(members, members[1:] + members[:1], strict=False))
        elif shape == "star":
            edges += [(members[0], other) for other in members[1:]]
    duplicated = edges + [(b, a) for a, b in edges[: len(edges) // 3]]
    rng.shuffle(duplicated)
    return set(ids[:cursor]), duplicated


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=graphs())
def test_components_equal_union_find(components_sql, graph):
    nodes, edges = graph
    assert sql_components(components_sql, nodes, edges) == union_find(nodes, edges)


@pytest.mark.parametrize("hops", [1_000, 3_000])
def test_long_chains_in_shuffled_order_converge_in_few_levels(components_sql, hops):
    rng = random.Random(hops)
    nodes = rng.sample(range(1, 10**9), hops + 1)
    edges = list(zip(nodes, nodes[1:], strict=False))
    rng.shuffle(edges)
    assert sql_components(components_sql, set(nodes), edges) == {frozenset(nodes)}
    levels = (
        duckdb.connect(components_sql["database"])
        .execute("select max(level) from intermediate.int_identity_contraction")
        .fetchone()[0]
    )
    assert levels < 40, f"{hops} hops took {levels} contraction levels"


def test_isolated_identifiers_are_their_own_customers(components_sql):
    assert sql_components(components_sql, {5, 6, 7}, [(5, 6)]) == {
        frozenset({5, 6}),
        frozenset({7}),
    }


def test_hitting_the_safety_limit_fails_loudly(tmp_path):
    sql = compile_models(tmp_path, MODELS, "--vars", "{identity_max_contraction_levels: 1}")
    nodes = list(range(1, 200))
    with pytest.raises(duckdb.Error, match="did not converge within the safety limit of 1"):
        sql_components(sql, set(nodes), list(zip(nodes, nodes[1:], strict=False)))


def test_compiled_sql_is_read_from_the_project(project_dir: Path):
    """Guard: the models this test exercises are the ones the project builds."""
    for model in MODELS:
        assert (project_dir / "models" / "intermediate" / "identity" / f"{model}.sql").exists()
