"""The dbt project's macros rendered into DuckDB SQL outside dbt, so that the commands
apply exactly the project's rules instead of re-writing them: ``cdp sync`` the ad
platforms' hashing (``macros/activation/``) and the identifier readings of raw values,
``cdp explore`` the identifier readings of what is typed into its search box.
Arguments are SQL expressions (column references, named parameters); no value ever
becomes SQL text."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

ENGINE = "duckdb"


class MacroError(ValueError):
    """A macro cannot be rendered: names the macro and the reason."""


class _Adapter:
    """Enough of dbt's ``adapter`` for macros that dispatch by engine."""

    def __init__(self) -> None:
        self.module = None

    def dispatch(self, name: str, macro_namespace: str | None = None):
        for candidate in (f"{ENGINE}__{name}", f"default__{name}", name):
            macro = getattr(self.module, candidate, None)
            if macro is not None:
                return macro
        raise MacroError(f"macro {name} not found for adapter.dispatch")


def _raise(message: str) -> None:
    raise MacroError(message)


# dbt's own block: a materialization builds models, no rule is read from it
_MATERIALIZATION = re.compile(
    r"\{%-?\s*materialization\b.*?\{%-?\s*endmaterialization\s*-?%\}", re.S
)

# the seeds the rules read, where a build puts them
SEED_RELATIONS = {"countries": "reference.countries"}


def _ref(name: str) -> str:
    if name not in SEED_RELATIONS:
        raise MacroError(f"ref({name!r}) is not available outside dbt")
    return SEED_RELATIONS[name]


class ProjectMacros:
    """Every macro of ``<project_dir>/macros`` as one Jinja module."""

    def __init__(self, project_dir: Path) -> None:
        macros_dir = project_dir / "macros"
        files = sorted(macros_dir.rglob("*.sql"))
        if not files:
            raise MacroError(f"no macros in {macros_dir}")
        source = _MATERIALIZATION.sub("", "\n".join(f.read_text(encoding="utf-8") for f in files))
        environment = jinja2.Environment(
            extensions=["jinja2.ext.do"], undefined=jinja2.StrictUndefined
        )
        adapter = _Adapter()
        environment.globals.update(
            adapter=adapter,
            target={"type": ENGINE, "name": ENGINE},
            exceptions={"raise_compiler_error": _raise},
            ref=_ref,
            # dbt's return() ends a macro with a value; the macros read here return SQL
            # text, which is what writing the value out gives
            **{"return": lambda value: value},
        )
        try:
            self._module = environment.from_string(source).make_module()
        except jinja2.TemplateError as error:
            raise MacroError(f"cannot read the macros of {macros_dir}: {error}") from error
        adapter.module = self._module
        self.macros_dir = macros_dir

    def render(self, name: str, *args: str) -> str:
        """The SQL the macro ``name`` generates for these arguments."""
        macro = getattr(self._module, name, None)
        if macro is None:
            raise MacroError(f"no macro {name} in {self.macros_dir}")
        try:
            return str(macro(*args)).strip()
        except (jinja2.TemplateError, TypeError, AttributeError) as error:
            raise MacroError(f"cannot render macro {name}: {error}") from error
