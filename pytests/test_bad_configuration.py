"""Bad settings give a clear message, not a crash deep in SQL."""

from __future__ import annotations

from conftest import land_rows, run_dbt


def test_a_bad_as_of_date_fails_the_build_naming_the_var(tmp_path):
    database = tmp_path / "cdp.duckdb"
    land_rows(database, {})
    result = run_dbt(
        database, "run", "--select", "int_as_of_date", "--vars", "{as_of_date: 'last friday'}"
    )
    assert not result.success
    assert "var as_of_date must be a date (YYYY-MM-DD), got: last friday" in result.output


def test_an_unknown_survivorship_criterion_fails_naming_it(tmp_path):
    database = tmp_path / "cdp.duckdb"
    land_rows(database, {})
    result = run_dbt(
        database,
        "compile",
        "--select",
        "int_customer_attributes_survived",
        "--vars",
        "{survivorship_order: [trust_rank, popularity]}",
    )
    assert not result.success
    assert "unknown criterion 'popularity'" in result.output
