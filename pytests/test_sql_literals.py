"""Vars and user input never reach SQL unquoted (macros quote_literal, number_literal).

The macros alone (compiled with `dbt compile --inline`, the SQL run in DuckDB), the
commands that take a person's identifier as a bound value (an apostrophe is valid in an
email), an injection attempt through them and through an analysis var, and model vars
with bad values.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from conftest import build_scenario, land_rows, run_dbt


def compiled(database, sql: str, variables: str) -> DbtCompiled:
    result = run_dbt(database, "compile", "--inline", sql, "--vars", variables)
    return DbtCompiled(result)


class DbtCompiled:
    def __init__(self, result) -> None:
        self.success = result.success
        self.output = result.output
        self.sql = result.result.result.results[0].node.compiled_code if result.success else None


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory):
    database = tmp_path_factory.mktemp("literals") / "cdp.duckdb"
    land_rows(database, {})
    return database


TRICKY_TEXT = [
    "o'brien@x.com",
    "''",
    "it''s",
    "x' or '1'='1",
    "'; drop table raw.products; --",
    "back\\slash \\' kept",
    'ünïcødé \' and "double"',
    "",
    None,
]


def test_quote_literal_gives_back_exactly_the_text(empty_database):
    # the values travel as a YAML var, like `--vars` on the command line (JSON is YAML)
    sql = (
        "select {% for text in var('texts') %}{{ quote_literal(text) }} as v{{ loop.index }}"
        "{{ ', ' if not loop.last }}{% endfor %}"
    )
    result = compiled(empty_database, sql, json.dumps({"texts": TRICKY_TEXT}))
    assert result.success, result.output
    assert duckdb.sql(result.sql).fetchall() == [tuple(TRICKY_TEXT)]


def test_number_literal_gives_the_number(empty_database):
    # YAML numbers and text; `1 -<literal>` would read `1 --2` as a comment unparenthesized
    values = [365, " 7 ", 0.5, -2, "-0.25", "1e3", "+3"]
    sql = (
        "select {% for n in var('numbers') %}1 -{{ number_literal(n, 'n') }} as v{{ loop.index }}"
        "{{ ', ' if not loop.last }}{% endfor %}"
    )
    result = compiled(empty_database, sql, json.dumps({"numbers": values}))
    assert result.success, result.output
    assert duckdb.sql(result.sql).fetchall() == [(-364, -6, 0.5, 3, 1.25, -999, -2)]


@pytest.mark.parametrize(
    "value",
    ["'365 day or true'", "'3; drop table raw.products'", "true", "''", "[1, 2]", "nan"],
)
def test_number_literal_refuses_anything_else_naming_the_var(empty_database, value):
    sql = "select {{ number_literal(var('n'), 'min_customers') }}"
    result = compiled(empty_database, sql, "{n: " + value + "}")
    assert not result.success
    assert "var min_customers must be a number, got: " in result.output


# ---- analyses and model vars on a small landed data set -------------------------------

RAW = {
    "shop_customers": [
        {
            "customer_id": "S-O",
            "email": "O'Brien@X.com",
            "country": "IE",
            "created_at": "2024-01-01",
        },
        {"customer_id": "S-Z", "email": "z@x.com", "country": "DE", "created_at": "2024-01-01"},
    ],
    "shop_orders": [
        {
            "order_id": "O-O",
            "customer_id": "S-O",
            "email": "o'brien@x.com",
            "status": "paid",
            "currency": "EUR",
            "ordered_at": "2024-02-01",
        },
        {
            "order_id": "O-Z",
            "customer_id": "S-Z",
            "status": "paid",
            "currency": "EUR",
            "ordered_at": "2024-02-02",
        },
    ],
    "shop_order_lines": [
        {"order_id": "O-O", "line_number": "1", "sku": "SKU-1", "quantity": "1", "unit_price": "9"},
        {"order_id": "O-Z", "line_number": "1", "sku": "SKU-2", "quantity": "1", "unit_price": "9"},
    ],
    "consent_events": [
        {
            "event_id": "C-O",
            "identifier_type": "email",
            "identifier_value": "o'brien@x.com",
            "purpose": "email_marketing",
            "status": "granted",
            "occurred_at": "2024-01-02",
        }
    ],
}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return build_scenario(tmp_path_factory.mktemp("literals_data"), RAW)


def show(database, analysis: str, variables: str):
    result = run_dbt(database, "show", "--select", analysis, "--limit", "1000", "--vars", variables)
    rows = None
    if result.success:
        table = result.result.result.results[0].agate_table
        rows = [dict(zip(table.column_names, row, strict=True)) for row in table.rows]
    return result, rows


def test_a_subject_access_request_for_an_email_with_an_apostrophe(database):
    from cdp.access_request import answer

    result = answer(str(database), "email", " O'Brien@X.com ")
    assert result["status"] == "found"
    held = [(r["source_table"], r["record_key"]) for r in result["records"]]
    held += [(r["source_table"], r["record_key"]) for r in result["consent_signals"]]
    assert sorted(held) == [
        ("consent_events", "C-O"),
        ("shop_customers", "S-O"),
        ("shop_orders", "O-O"),
    ]


def test_an_injection_through_the_access_request_finds_nobody(database):
    from cdp.access_request import AccessRequestError, answer

    result = answer(str(database), "email", "x' or true or '")
    assert (result["status"], result["records"], result["consent_signals"]) == (
        "unreadable",
        [],
        [],
    )
    with pytest.raises(AccessRequestError, match="unknown identifier type"):
        answer(str(database), "email' or true or '", "z@x.com")


def test_explain_link_with_an_apostrophe_and_an_injection(database, tmp_path):
    from cdp.explain_link import explain

    # `cdp explain-link`: its inputs are bound when the query runs, never written into it
    target = tmp_path / "target"
    found = explain(
        str(database), ("email", "o'brien@x.com"), ("shop_customer_id", "S-O"), target_path=target
    )
    assert found.is_one_customer
    assert [(hop.identifier, hop.linked_identifier) for hop in found.hops] == [
        ("email o'brien@x.com", "shop_customer_id S-O")
    ]
    assert found.hops[0].linked_by_table in {"shop_customers", "shop_orders"}
    # as a literal unquoted, `= 'x' or true or ''` would match every account
    injected = explain(
        str(database),
        ("shop_customer_id", "x' or true or '"),
        ("email", "z@x.com"),
        target_path=target,
    )
    assert (injected.first.status, injected.hops) == ("not_found", [])


def test_an_injection_through_the_backorder_sku_returns_no_order(database):
    # unquoted, `sku = 'x' or '1'='1'` would list every open order
    result, rows = show(database, "backorder_priority", """{sku: "x' or '1'='1"}""")
    assert result.success, result.output
    assert rows == []
    result, rows = show(database, "backorder_priority", "{sku: SKU-2}")
    assert result.success, result.output
    assert [r["order_id"] for r in rows] == ["O-Z"]


def test_a_bad_number_var_of_an_analysis_fails_naming_it(database):
    result, _ = show(database, "product_affinity", """{min_customers: "1 or 1=1"}""")
    assert not result.success
    assert "var min_customers must be a number, got: 1 or 1=1" in result.output


@pytest.mark.parametrize(
    ("model", "variables", "message"),
    [
        (
            "int_as_of_date",
            # unquoted, this compiles to two valid dates and the build goes on
            """{as_of_date: "2024-06-30' as date), try_cast('2024-06-30"}""",
            "var as_of_date must be a date (YYYY-MM-DD), got: 2024-06-30' as date)",
        ),
        (
            "int_customer_journey_stages_assigned",
            """{journey_lapsed_after_days: "365 day or true"}""",
            "var journey_lapsed_after_days must be a number, got: 365 day or true",
        ),
        (
            "int_purchases_unioned",
            """{store_cost_of_goods_ratio: "0.4) as cost_ratio, 1 as x, (0"}""",
            "var store_cost_of_goods_ratio must be a number, got: 0.4) as cost_ratio",
        ),
        (
            "int_customer_purchase_summaries",
            """{clv_time_unit_days: "7 + 1"}""",
            "var clv_time_unit_days must be a number, got: 7 + 1",
        ),
        (
            "customer_value",
            """{value_tier_margin_shares: [0.5, "0.8 or true", 0.95]}""",
            "var value_tier_margin_shares must be a number, got: 0.8 or true",
        ),
        (
            "int_customer_clv_predicted",
            """{clv_horizon_days: a year}""",
            "var clv_horizon_days must be a positive number, got: a year",
        ),
        (
            "customer_value",
            """{value_tier_margin_shares: [0.5]}""",
            "var value_tier_margin_shares must be three increasing shares between 0 and 1",
        ),
    ],
)
def test_a_bad_model_var_fails_naming_it(database, model, variables, message):
    result = run_dbt(database, "run", "--select", model, "--vars", variables)
    assert not result.success
    assert message in result.output
