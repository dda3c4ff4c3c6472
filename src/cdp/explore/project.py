"""The dbt project's own rules, read from the project instead of re-written here.

Identifier normalization comes from the project's macros (``macros/standardize/``):
they are rendered with Jinja into SQL expressions whose inputs are DuckDB named
parameters (``$value``), so search input is normalized by exactly the SQL that
normalizes source data, and never becomes part of the SQL text. The survivorship
order is the ``survivorship_order`` var of ``dbt_project.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

ENGINE = "duckdb"


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


class _Adapter:
    """Enough of dbt's ``adapter`` for macros that dispatch by engine."""

    def __init__(self) -> None:
        self.module = None

    def dispatch(self, name: str, macro_namespace: str | None = None):
        for candidate in (f"{ENGINE}__{name}", f"default__{name}", name):
            macro = getattr(self.module, candidate, None)
            if macro is not None:
                return macro
        raise ProjectError(f"macro {name} not found for adapter.dispatch")


_MATERIALIZATION = re.compile(
    r"\{%-?\s*materialization\b.*?\{%-?\s*endmaterialization\s*-?%\}", re.S
)


def _raise(message: str) -> None:
    raise ProjectError(message)


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
    macros_dir = project_dir / "macros"
    files = sorted(macros_dir.rglob("*.sql"))
    if not files:
        raise ProjectError(f"no macros in {macros_dir}")
    source = "\n".join(f.read_text(encoding="utf-8") for f in files)
    # dbt's own block: a materialization builds models, no rule is read from it
    source = _MATERIALIZATION.sub("", source)
    environment = jinja2.Environment(extensions=["jinja2.ext.do"], undefined=jinja2.StrictUndefined)
    adapter = _Adapter()
    environment.globals.update(
        adapter=adapter,
        target={"type": ENGINE, "name": ENGINE},
        exceptions={"raise_compiler_error": _raise},
        # the seeds the rules read, where the build puts them
        ref=lambda name: {"countries": "reference.countries"}[name],
        # dbt's return() ends a macro with a value; the macros read here return SQL text,
        # which is what writing the value out gives
        **{"return": lambda value: value},
    )
    try:
        module = environment.from_string(source).make_module()
        adapter.module = module
        email = str(module.normalize_email("$value"))
        phone = str(module.normalize_phone("$value", "$dialing_code", "$trunk_prefix"))
        account_id = str(module.clean_text("$value"))
        known_national_phone = f"""
            with typed as (
                select 1 as typed_key, {module.phone_national_digits("$value")} as digits
            ),
            known as (
                select distinct identifier_value as phone
                from marts.customer_identities
                where identifier_type = 'phone' and identifier_value is not null
            )
            {module.known_phone_readings("typed", ["typed_key"], "digits", "known")}
        """
    except (jinja2.TemplateError, AttributeError, TypeError) as error:
        raise ProjectError(
            "cannot render normalize_email / normalize_phone / clean_text / known_phone_readings "
            f"from {macros_dir}: "
            f"{error}"
        ) from error
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
