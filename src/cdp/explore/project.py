"""The dbt project's own rules, read from the project instead of re-written here.

Identifier normalization comes from the project's macros (``macros/standardize/``):
they are rendered with Jinja into SQL expressions whose inputs are DuckDB named
parameters (``$value``), so search input is normalized by exactly the SQL that
normalizes source data, and never becomes part of the SQL text. The survivorship
order is the ``survivorship_order`` var of ``dbt_project.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from cdp.project_macros import MacroError, ProjectMacros


class ProjectError(Exception):
    """The dbt project cannot be read: says which file and why."""


def find_project_dir(start: Path | None = None) -> Path:
    """The dbt project: ``start`` when given; else the current directory (dbt's own
    convention), else the repository this package was installed from (editable install)."""
    candidates = [start] if start else [Path.cwd(), Path(__file__).resolve().parents[3]]
    for folder in candidates:
        if (folder / "dbt_project.yml").is_file() and (folder / "macros").is_dir():
            return folder
    raise ProjectError(
        "no dbt project found (dbt_project.yml and macros/) in "
        + " or ".join(str(c) for c in candidates)
        + ": run cdp explore from the repository root"
    )


@dataclass(frozen=True)
class Normalizers:
    """SQL expressions of the project's identifier rules over named parameters."""

    email: str  # over $value
    phone: str  # over $value, $dialing_code, $trunk_prefix
    account_id: str  # over $value: ids are trimmed (clean_text)
    # over $value: a phone typed in national format, read as int_national_phones_read
    # reads one on a record without a country (macro known_phone_readings): a query of
    # one row (known_reading_count, phone) when some country's reading is a phone of
    # marts.customer_identities, none otherwise; phone is the number when the count is 1
    known_national_phone: str = ""


def render_normalizers(project_dir: Path) -> Normalizers:
    try:
        macros = ProjectMacros(project_dir)
        email = macros.render("normalize_email", "$value")
        phone = macros.render("normalize_phone", "$value", "$dialing_code", "$trunk_prefix")
        account_id = macros.render("clean_text", "$value")
        digits = macros.render("phone_national_digits", "$value")
        readings = macros.render("known_phone_readings", "typed", ["typed_key"], "digits", "known")
    except MacroError as error:
        raise ProjectError(
            "cannot render normalize_email / normalize_phone / clean_text / "
            f"known_phone_readings from {project_dir / 'macros'}: {error}"
        ) from error
    known_national_phone = f"""
        with typed as (select 1 as typed_key, {digits} as digits),
        known as (
            select distinct identifier_value as phone
            from marts.customer_identities
            where identifier_type = 'phone' and identifier_value is not null
        )
        {readings}
    """
    return Normalizers(
        email=email,
        phone=phone,
        account_id=account_id,
        known_national_phone=known_national_phone,
    )


def survivorship_order(project_dir: Path) -> list[str]:
    """The ``survivorship_order`` var of dbt_project.yml (the build's default)."""
    path = project_dir / "dbt_project.yml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ProjectError(f"cannot read {path}: {error}") from error
    order = (config.get("vars") or {}).get("survivorship_order") or ["trust_rank", "recency"]
    return [str(criterion) for criterion in order]
