"""The documentation's examples run as shown: every fenced bash, sh, sql and python block
of README.md and docs/*.md is run on the demo data with its output checked, or marked as
not run with the reason.

A marker line right before the block says which: `<!-- doc-test: <name> -->` (the check
of that name below runs it) or `<!-- not run: <reason> -->`. A block without a marker, a
marker naming no check, or a check whose block is gone fails the module.

The checked blocks run the way a new user runs them: in a copy of the project (its
`.venv` the one this test runs in), from its root, after the quick start's
`./scripts/demo.sh` built the demo data into the copy's `data/cdp.duckdb` (once for the
module, with CDP_CUSTOMERS=2000: the people of the 2,000-customer set are the first of
the 10,000-customer set, with the same identifiers). The secret salt and the database
path are not set, as for a user trying the demo. Each check compares the output with
evidence of its own: the output shown in the docs right after the block, or the demo's
marts and raw tables queried directly.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cdp.contract import RAW_TABLES
from conftest import PROJECT_DIR

DOCS = [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
# languages of runnable examples; text, yaml and json blocks show output or files
RUNNABLE = {"bash", "sh", "shell", "console", "sql", "python"}
MARKER = re.compile(r"<!--\s*(doc-test|not run):\s*(.*?)\s*-->")
FENCE = re.compile(r"^(`{3,})(.*)$")
CUSTOMER_ID = re.compile(r"cus_[0-9a-f]{24}")
DEMO_CUSTOMERS = 2000
# what a new user's shell does not have
UNSET = ("CDP_DUCKDB_PATH", "CDP_SECRET_SALT", "CDP_CUSTOMERS", "DBT_TARGET_PATH", "DBT_LOG_PATH")


@dataclass
class Example:
    path: Path
    line: int  # of the opening fence, 1-based
    language: str
    text: str
    marker: str | None  # "doc-test" or "not run"
    note: str  # the check's name, or the reason
    shown: str | None  # a text block right after it: the output the docs show

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(PROJECT_DIR)}:{self.line}"

    @property
    def name(self) -> str:
        return self.note.split()[0] if self.note else ""


def read_examples(path: Path) -> list[Example]:
    """Every fenced block of a markdown file, with the marker line before it and the
    text block right after it, if any."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[tuple[int, str, str, int]] = []  # opening line, language, text, closing line
    number = 0
    while number < len(lines):
        opening = FENCE.match(lines[number])
        if not opening:
            number += 1
            continue
        ticks, language = opening.group(1), opening.group(2).strip()
        end = number + 1
        while end < len(lines) and lines[end].strip() != ticks:
            end += 1
        assert end < len(lines), f"{path}:{number + 1}: a fence that never closes"
        blocks.append((number, language, "\n".join(lines[number + 1 : end]), end))
        number = end + 1
    found = []
    for index, (start, language, text, end) in enumerate(blocks):
        before = next((line for line in reversed(lines[:start]) if line.strip()), "")
        marker = MARKER.fullmatch(before.strip())
        shown = None
        if index + 1 < len(blocks):
            next_start, next_language, next_text, _ = blocks[index + 1]
            between = lines[end + 1 : next_start]
            if next_language == "text" and not any(line.strip() for line in between):
                shown = next_text
        found.append(
            Example(
                path,
                start + 1,
                language.split()[0] if language else "",
                text,
                marker.group(1) if marker else None,
                marker.group(2) if marker else "",
                shown,
            )
        )
    return found


def all_examples() -> list[Example]:
    return [example for path in DOCS for example in read_examples(path)]


def examples_to_test() -> dict[str, Example]:
    return {e.name: e for e in all_examples() if e.marker == "doc-test"}


# ---- the demo, built once ---------------------------------------------------------------


class Demo:
    """A copy of the project, as a new user has it after the quick start."""

    def __init__(self, root: Path, build_output: str) -> None:
        self.root = root
        self.build_output = build_output
        self.database = root / "data" / "cdp.duckdb"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in UNSET}
        venv = self.root / ".venv"
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(venv)
        # the cdp package runs from the project it was installed from; dbt's target
        # folder is the copy's, where the demo's build left its parse of the project
        env["DBT_TARGET_PATH"] = str(self.root / "target")
        env.update(extra)
        return env

    def run(self, script: str, cwd: Path | None = None, **extra: str) -> str:
        """Run a block as bash runs it; fail with its output unless it succeeds."""
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=cwd or self.root,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=600,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"exit {result.returncode}:\n{output}"
        return result.stdout

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def query_dicts(self, sql: str) -> list[dict]:
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        finally:
            con.close()


def _copy_project(root: Path) -> None:
    shutil.copytree(
        PROJECT_DIR,
        root,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "data",
            "target",
            "logs",
            "dbt_packages",
            "bench_results",
            "__pycache__",
            "*.egg-info",
            ".pytest_cache",
            ".ruff_cache",
            ".hypothesis",
            "*.duckdb",
            "*.duckdb.wal",
            "*.duckdb.tmp",
        ),
    )
    venv = Path(sys.prefix)
    # demo.sh runs setup.sh, which installs nothing when the environment was set up from
    # these very pyproject.toml and requirements.lock (its stamp says so)
    assert (venv / ".cdp-installed").is_file(), (
        f"{venv} was not set up by ./scripts/setup.sh: run it first"
    )
    (root / ".venv").symlink_to(venv)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Demo:
    root = tmp_path_factory.mktemp("docs_examples") / "cdp"
    _copy_project(root)
    quick_start = examples_to_test()["quick-start-demo"]
    started = time.monotonic()
    output = Demo(root, "").run(quick_start.text, CDP_CUSTOMERS=str(DEMO_CUSTOMERS))
    print(f"demo.sh with {DEMO_CUSTOMERS} customers: {time.monotonic() - started:.0f} s")
    return Demo(root, output)


# ---- the checks, one per tested block ----------------------------------------------------

CHECKS: dict[str, Callable[[Example, Demo], None]] = {}


def check(name: str):
    def register(function):
        CHECKS[name] = function
        return function

    return register


def _without_ids(text: str) -> list[str]:
    return [CUSTOMER_ID.sub("cus_…", line.rstrip()) for line in text.strip().split("\n")]


def _matches_shown(example: Example, output: str) -> None:
    """The output is the one the docs show after the block (customer ids aside: each
    demo set numbers its own customers)."""
    assert example.shown is not None, f"{example.where}: no output shown after the block"
    assert _without_ids(output) == _without_ids(example.shown), example.where


@check("quick-start-demo")
def _demo(example: Example, demo: Demo) -> None:
    assert demo.query("select count(*) from truth.persons") == [(DEMO_CUSTOMERS,)]
    assert demo.query("select count(*) > 0 from marts.customer_profiles where is_known")
    # it ends by telling the user how to open the explorer
    assert "source .venv/bin/activate && cdp explore" in demo.build_output
    assert (demo.root / "target" / "catalog.json").is_file()  # dbt docs generate ran


def _explore(example: Example, demo: Demo) -> None:
    """Start the block's explorer (on a free port), open the landing page and the merged
    customer it offers first."""
    script = example.text.strip() + " --port 0"
    process = subprocess.Popen(
        ["bash", "-e", "-c", script],
        cwd=demo.root,
        env=demo.env(PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, f"no address in {line!r}"
        with urllib.request.urlopen(url.group(0), timeout=60) as response:
            landing = response.read().decode()
        merged = re.search(
            r'data-kind="merged".*?href="/customer/(cus_[0-9a-f]{24})"', landing, re.S
        )
        assert merged, "the landing page offers no merged customer"
        customer_id = merged.group(1)
        systems = demo.query(
            "select count(distinct identifier_type) from marts.customer_identities "
            "where customer_id = ? and identifier_type in "
            "('crm_contact_id', 'shop_customer_id', 'loyalty_id', 'anonymous_id')",
            [customer_id],
        )[0][0]
        assert systems >= 3, (customer_id, systems)
        with urllib.request.urlopen(f"{url.group(0)}customer/{customer_id}", timeout=60) as page:
            html = page.read().decode()
        name = demo.query(
            "select first_name, last_name from marts.customer_profiles where customer_id = ?",
            [customer_id],
        )[0]
        assert all(part in html for part in name), name
    finally:
        process.terminate()
        process.wait(timeout=30)


check("quick-start-explore")(_explore)


@check("quick-start-explain-link")
def _explain_george(example: Example, demo: Demo) -> None:
    _matches_shown(example, demo.run(example.text))


@check("identity-explain-link")
def _explain_elena(example: Example, demo: Demo) -> None:
    _matches_shown(example, demo.run(example.text))


@check("identity-explain-link-shared")
def _explain_shared(example: Example, demo: Demo) -> None:
    _matches_shown(example, demo.run(example.text))


@check("quick-start-query")
def _query_stages(example: Example, demo: Demo) -> None:
    output = demo.run(example.text)
    for stage, customers in demo.query(
        "select journey_stage, count(*) from marts.customer_profiles group by 1"
    ):
        assert re.search(rf"│ {stage}\s+│\s+{customers} │", output), (stage, customers, output)


@check("own-data-templates")
def _templates(example: Example, demo: Demo) -> None:
    scratch = demo.root.parent / "own_data"
    scratch.mkdir()
    demo.run(example.text, cwd=scratch)
    written = sorted(path.stem for path in (scratch / "my_data").glob("*.csv"))
    assert written == sorted(RAW_TABLES)
    for table, columns in RAW_TABLES.items():
        with (scratch / "my_data" / f"{table}.csv").open(newline="") as file:
            assert list(csv.reader(file)) == [list(columns)], table


@check("loading-load")
def _load(example: Example, demo: Demo) -> None:
    scratch = demo.root.parent / "loading"
    scratch.mkdir()
    demo.run("cdp templates my_data", cwd=scratch)
    database = scratch / "mine.duckdb"
    output = demo.run(example.text, cwd=scratch, CDP_DUCKDB_PATH=str(database))
    assert output.count("landed 0 rows in 16 tables") == 2, output
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    finally:
        con.close()
    assert sorted(t for (t,) in tables) == sorted(RAW_TABLES)


@check("privacy-access-request")
def _access_request(example: Example, demo: Demo) -> None:
    _matches_shown(example, demo.run(example.text))
    answer = json.loads((demo.root / "george-brown.json").read_text())
    held = {(r["source_table"], r["record_key"]) for r in answer["records"]}
    raw = demo.query(
        "select contact_id from raw.crm_contacts where email = ?", ["g.brown1202@alpen-partners.ch"]
    )
    assert {("crm_contacts", contact_id) for (contact_id,) in raw} <= held, held
    assert answer["status"] == "found"


@check("value-analyses")
def _analyses(example: Example, demo: Demo) -> None:
    output = demo.run(example.text)
    open_orders = demo.query(
        "select distinct o.order_id from raw.shop_orders as o "
        "inner join raw.shop_order_lines as l using (order_id) "
        "where trim(l.sku) = 'SKU-00186' and lower(trim(o.status)) in ('placed', 'paid')"
    )
    assert open_orders
    assert any(order_id in output for (order_id,) in open_orders), output
    assert "customers_both" in output and "confidence" in output, output


# -- SQL blocks: run on the demo database --------------------------------------------------


@check("profiles-provenance")
def _provenance(example: Example, demo: Demo) -> None:
    rows = demo.query_dicts(example.text)
    assert len(rows) == 1, rows
    assert (rows[0]["first_name"], rows[0]["country"]) == ("George", "GB")
    assert rows[0]["primary_email_source"] == "crm"  # his CRM contact carries the address


@check("privacy-attention")
def _attention(example: Example, demo: Demo) -> None:
    rows = demo.query_dicts(example.text)
    assert rows, "no request needs attention in the demo"
    reasons = {
        r[0] for r in demo.query("select reason_code from reference.request_attention_reasons")
    }
    assert {row["reason_code"] for row in rows} <= reasons


@check("value-unknown-cost")
def _unknown_cost(example: Example, demo: Demo) -> None:
    rows = {row["channel"]: row for row in demo.query_dicts(example.text)}
    # as the page says: every shop line has a catalogue cost, store sales have no items
    assert rows["online_shop"]["unknown_cost_revenue"] == 0
    assert rows["store"]["unknown_cost_revenue"] == rows["store"]["gross_revenue"] > 0


@check("data-quality-quarantine")
def _quarantine(example: Example, demo: Demo) -> None:
    rows = demo.query_dicts(example.text)
    reasons = {r[0] for r in demo.query("select reason_code from reference.row_outcome_reasons")}
    assert rows and {row["reason_code"] for row in rows} <= reasons
    raw_total = demo.query(
        "select sum(raw_rows - kept_rows - duplicate_rows) "
        "from data_quality.dq_source_reconciliation"
    )[0][0]
    assert sum(row["rows"] for row in rows) == raw_total


# -- the other pages' blocks ----------------------------------------------------------------

check("explorer-open")(_explore)


@check("activation-dry-run")
def _dry_run(example: Example, demo: Demo) -> None:
    output = demo.run(example.text)
    for destination in ("google_ads_win_back", "meta_email_marketing"):
        assert re.search(rf"^{destination}: dry_run: \d+ to add", output, re.M), output
    assert "email_marketing_sync: skipped: not configured" in output


# ---- the tests ------------------------------------------------------------------------------


def test_every_example_is_run_or_says_why_not():
    problems = []
    names: dict[str, list[str]] = {}
    for example in all_examples():
        if not example.language:
            problems.append(f"{example.where}: a fence without a language (bash, text, …)")
        if example.language not in RUNNABLE:
            continue
        if example.marker is None:
            problems.append(
                f"{example.where}: neither <!-- doc-test: … --> nor <!-- not run: … -->"
            )
        elif example.marker == "not run" and len(example.note) < 10:
            problems.append(f"{example.where}: not run, without a reason")
        elif example.marker == "doc-test":
            names.setdefault(example.name, []).append(example.where)
    for name, places in names.items():
        if name not in CHECKS:
            problems.append(f"{', '.join(places)}: doc-test {name!r} has no check in this module")
        if len(places) > 1:
            problems.append(f"doc-test {name!r} marks several blocks: {', '.join(places)}")
    problems += [f"check {name!r} has no block in the docs" for name in CHECKS if name not in names]
    assert problems == []


def test_the_reader_finds_markers_and_shown_output(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "text\n\n<!-- doc-test: one (a note) -->\n```bash\necho 1\n```\n\n```text\n1\n```\n"
        "<!-- not run: a reason given -->\n\n````sql\nselect 1\n````\n```\nplain\n```\n"
    )
    one, two, three, four = read_examples(page)
    assert (one.marker, one.name, one.language, one.text, one.shown) == (
        "doc-test",
        "one",
        "bash",
        "echo 1",
        "1",
    )
    assert (two.language, two.shown) == ("text", None)
    assert (three.marker, three.note, three.language) == ("not run", "a reason given", "sql")
    assert (four.language, four.marker) == ("", None)


@pytest.mark.parametrize("name", sorted(examples_to_test()))
def test_the_example_runs_as_shown(name, demo):
    example = examples_to_test()[name]
    CHECKS[name](example, demo)
