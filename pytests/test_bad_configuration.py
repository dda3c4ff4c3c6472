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


def test_bad_timestamp_plausibility_settings_fail_naming_the_var(tmp_path):
    database = tmp_path / "cdp.duckdb"
    land_rows(database, {})
    for variables, message in (
        (
            "{future_timestamp_tolerance_hours: 'a day'}",
            "var future_timestamp_tolerance_hours must be a whole number of hours >= 0, got: a day",
        ),
        (
            "{future_timestamp_tolerance_hours: -1}",
            "var future_timestamp_tolerance_hours must be a whole number of hours >= 0, got: -1",
        ),
        (
            "{earliest_plausible_date: '01/01/1971'}",
            "var earliest_plausible_date must be a date (YYYY-MM-DD) or null, got: 01/01/1971",
        ),
        (
            '{earliest_plausible_date: "1971-01-01\' or true --"}',
            "var earliest_plausible_date must be a date (YYYY-MM-DD) or null",
        ),
    ):
        result = run_dbt(database, "compile", "--select", "base_web__events", "--vars", variables)
        assert not result.success, variables
        assert message in result.output, result.output
