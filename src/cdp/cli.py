"""Command line: ``cdp generate`` (demo data), ``cdp load`` (your own files), ``cdp bench``,
``cdp score`` (stitching quality), ``cdp backtest-clv``, ``cdp explore`` (customer 360
explorer), ``cdp templates`` (header-only CSVs of the raw tables), ``cdp access-request``
(a subject access request into a file), ``cdp explain-link`` (why two identifiers are
one customer), ``cdp erase`` (the whole erasure procedure),
``cdp erase-raw`` (erasures into the raw tables), ``cdp identity-preview`` (a dry run of
changed identity rules), ``cdp phone-plans`` and ``cdp sync`` (audiences to their
destinations)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from cdp.contract import RAW_TABLES
from cdp.generate import TRUTH_TABLES, generate
from cdp.load import LoadError, land, parse_loaded_at

DEFAULT_DATABASE = "data/cdp.duckdb"


def _database_default() -> str:
    return os.environ.get("CDP_DUCKDB_PATH", DEFAULT_DATABASE)


def _cmd_generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.csv_dir:
        out_dir = Path(args.csv_dir)
        generate(args.customers, args.seed, out_dir, args.workers, not args.no_progress)
        print(f"wrote raw and truth CSV files for {args.customers} customers to {out_dir}")
        if not args.database and not args.target:
            return 0
        return _land_generated(out_dir, args, started)
    with tempfile.TemporaryDirectory(prefix="cdp-generate-") as tmp:
        generate(args.customers, args.seed, Path(tmp), args.workers, not args.no_progress)
        return _land_generated(Path(tmp), args, started)


def _land_generated(out_dir: Path, args: argparse.Namespace, started: float) -> int:
    destination = _destination(args)
    if isinstance(destination, str):
        counts = land(destination, out_dir)
        land(destination, out_dir / "truth", schema="truth", tables=TRUTH_TABLES)
        _print_counts(counts, destination)
    else:
        from cdp.spark import land_spark

        counts = land_spark(out_dir, target=args.target, profiles=destination)
        _print_counts(counts, f"Spark (target {args.target})")
        print("the generator's truth tables are landed in DuckDB only (--csv-dir keeps them)")
    print(f"generated and landed in {time.perf_counter() - started:.1f} s")
    return 0


def _destination(args: argparse.Namespace) -> str | Path:
    """Where to land: a DuckDB file (str), or the profiles folder of a Spark target (Path)."""
    if not args.target:
        return args.database or _database_default()
    from cdp.spark import profile_output, profiles_dir, session_settings

    folder = profiles_dir(args.profiles_dir)
    output = profile_output(args.target, folder)
    if output.get("type") == "duckdb":
        if args.database:
            raise ValueError(f"give --database or --target {args.target}, not both")
        return str(output["path"])
    session_settings(output, args.target)  # refuses anything but a Spark session target
    if args.database:
        raise ValueError(f"--database is a DuckDB file; target {args.target} is Spark")
    return folder


def _cmd_load(args: argparse.Namespace) -> int:
    loaded_at = parse_loaded_at(args.loaded_at) if args.loaded_at else None
    destination = _destination(args)
    if isinstance(destination, str):
        counts = land(destination, Path(args.source), mode=args.mode, loaded_at=loaded_at)
        _print_counts(counts, destination)
        return 0
    from cdp.spark import land_spark

    counts = land_spark(
        Path(args.source),
        target=args.target,
        profiles=destination,
        mode=args.mode,
        loaded_at=loaded_at,
    )
    _print_counts(counts, f"Spark (target {args.target})")
    return 0


def _cmd_templates(args: argparse.Namespace) -> int:
    from cdp.templates import write_templates

    written = write_templates(Path(args.folder), force=args.force)
    print(f"wrote {len(written)} header-only CSV files to {args.folder}: fill them, then run")
    print(f"  cdp load {args.folder}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from cdp import bench

    return bench.main(args)


def _cmd_score(args: argparse.Namespace) -> int:
    from cdp.score import report, score

    print(report(score(args.database)))
    return 0


def _cmd_backtest_clv(args: argparse.Namespace) -> int:
    from cdp.backtest import backtest_clv, report

    print(report(backtest_clv(args.database, args.calibration_end, args.horizon_days)))
    return 0


def _cmd_erase_raw(args: argparse.Namespace) -> int:
    from cdp.erasure import erase_raw

    erase_raw(args.database)
    print(f"erased persons' personal data removed from the raw tables of {args.database}")
    return 0


def _cmd_erase(args: argparse.Namespace) -> int:
    from cdp.erasure import erase

    erase(
        args.database,
        log_path=Path(args.log_path) if args.log_path else None,
        target_path=Path(args.target_path) if args.target_path else None,
        build=not args.no_build,
    )
    print(f"erasure complete: {args.database} holds no erased person's data")
    return 0


def _cmd_access_request(args: argparse.Namespace) -> int:
    from cdp.access_request import PROJECT_DIR, answer, dbt_target_path, summary, write_answer

    output = Path(args.output)
    if output.exists() and not args.force:
        raise ValueError(f"{output} exists: name a new file, or give --force")
    result = answer(
        args.database,
        args.identifier_type,
        args.value,
        target_path=dbt_target_path(PROJECT_DIR),
    )
    write_answer(result, output, force=args.force)
    print(summary(result, output))
    return 0


def _cmd_explain_link(args: argparse.Namespace) -> int:
    from cdp.explain_link import explain

    explanation = explain(
        args.database, (args.from_type, args.from_value), (args.to_type, args.to_value)
    )
    print("\n".join(explanation.lines()))
    return 0


def _cmd_identity_preview(args: argparse.Namespace) -> int:
    from cdp.identity_preview import preview

    print(preview(args.database, args.vars, keep=args.keep, examples=args.examples))
    return 0


def _cmd_phone_plans(args: argparse.Namespace) -> int:
    from cdp import phone_plans

    return phone_plans.main(args)


def _cmd_explore(args: argparse.Namespace) -> int:
    from cdp.explore.app import LOOPBACK_NAMES, ExploreApp, is_loopback, make_explore_server
    from cdp.explore.project import ProjectError, find_project_dir

    try:
        project_dir = find_project_dir(Path(args.project_dir) if args.project_dir else None)
        app = ExploreApp(
            args.database,
            project_dir,
            args.country.upper() if args.country else None,
            allowed_hosts=LOOPBACK_NAMES if is_loopback(args.host) else None,
        )
    except ProjectError as error:
        raise ValueError(str(error)) from error
    if not is_loopback(args.host):
        print(
            f"warning: serving on {args.host}, reachable from other machines; the pages show "
            "personal data (use the default 127.0.0.1 unless you mean it)",
            file=sys.stderr,
        )
    try:
        server = make_explore_server(app, args.host, args.port)
    except OSError as error:
        raise ValueError(f"cannot listen on {args.host}:{args.port}: {error}") from error
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    print(f"cdp explore: {args.database} (read-only) on http://{shown}:{port}/  (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _cmd_sync(args: argparse.Namespace) -> int:
    from cdp.activation.sync import run
    from cdp.explore.project import ProjectError, find_project_dir

    try:
        project_dir = find_project_dir(Path(args.project_dir) if args.project_dir else None)
    except ProjectError as error:
        raise ValueError(str(error)) from error
    outcomes = run(
        Path(args.database),
        project_dir,
        names=args.destination,
        audience=args.audience,
        full=args.full,
        dry_run=args.dry_run,
        progress=not args.no_progress,
        declarations=[Path(p) for p in args.declarations] if args.declarations else None,
    )
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def _print_counts(counts: dict[str, int], database: str) -> None:
    width = max(len(t) for t in RAW_TABLES)
    for table, rows in counts.items():
        print(f"  raw.{table:<{width}} {rows:>12,} rows")
    print(f"landed {sum(counts.values()):,} rows in {len(counts)} tables into {database}")


def _add_target_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target",
        help="land where this target of the dbt profile builds (e.g. spark: the Spark "
        "catalog of the spark output); default: the DuckDB file of --database",
    )
    parser.add_argument(
        "--profiles-dir",
        help="folder of the profiles.yml holding --target (default: as dbt: "
        "$DBT_PROFILES_DIR, the current directory, ~/.dbt)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cdp", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="generate messy demo data and land it in DuckDB")
    gen.add_argument("--customers", type=int, default=10_000, help="number of true persons")
    gen.add_argument("--seed", type=int, default=42, help="random seed (same seed, same bytes)")
    gen.add_argument(
        "--database", help=f"DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})"
    )
    gen.add_argument(
        "--csv-dir",
        help="also keep the generated CSV files in this folder "
        "(only the files when --database is not given)",
    )
    _add_target_arguments(gen)
    gen.add_argument("--workers", type=int, help="processes (default: one per core)")
    gen.add_argument("--no-progress", action="store_true", help="no progress bar")
    gen.set_defaults(func=_cmd_generate)

    load = sub.add_parser("load", help="land your own CSV/Parquet files into raw")
    load.add_argument("source", help="folder with one file (or folder of parts) per raw table")
    load.add_argument(
        "--database", help=f"DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})"
    )
    _add_target_arguments(load)
    load.add_argument(
        "--mode",
        choices=("replace", "append"),
        default="replace",
        help="replace the raw tables (default) or append a new delivery",
    )
    load.add_argument(
        "--loaded-at",
        help="landing time for files without _loaded_at (ISO-8601; an offset is converted "
        "to UTC, none means UTC; default now)",
    )
    load.set_defaults(func=_cmd_load)

    templates = sub.add_parser(
        "templates",
        help="write one empty CSV per raw table, with its header row, for your own data",
    )
    templates.add_argument("folder", help="folder to write <table>.csv into (created if missing)")
    templates.add_argument(
        "--force", action="store_true", help="overwrite existing <table>.csv files"
    )
    templates.set_defaults(func=_cmd_templates)

    bench = sub.add_parser("bench", help="time and measure the pipeline on generated data")
    bench.add_argument(
        "benchmark",
        choices=("staging", "stitching", "build"),
        help="what to measure: staging, the identity chain against scipy, the whole dbt build",
    )
    bench.add_argument("--customers", type=int, default=1_000_000)
    bench.add_argument("--seed", type=int, default=42)
    bench.add_argument("--threads", type=int, default=2, help="dbt threads")
    bench.add_argument("--database", default="data/bench.duckdb", help="DuckDB file (replaced)")
    bench.add_argument(
        "--skip-generate", action="store_true", help="reuse the raw data already in --database"
    )
    bench.add_argument(
        "--copy-from",
        help="start from a copy of this landed DuckDB file (e.g. one `cdp generate` wrote) "
        "instead of generating",
    )
    bench.add_argument(
        "--project-dir",
        help="stitching, build: measure another checkout of the project (e.g. an older "
        "commit's models) with this environment's dbt",
    )
    bench.add_argument("--top", type=int, default=15, help="build: slowest nodes to list")
    bench.add_argument("--label", help="suffix of the result file's name")
    bench.set_defaults(func=_cmd_bench)

    score = sub.add_parser("score", help="score identity stitching against the generated truth")
    score.add_argument(
        "--database",
        default=_database_default(),
        help=f"DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})",
    )
    score.set_defaults(func=_cmd_score)

    backtest = sub.add_parser(
        "backtest-clv",
        help="calibrate the CLV model up to a date and compare with the purchases after it",
    )
    backtest.add_argument(
        "--database",
        default=_database_default(),
        help=f"DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})",
    )
    backtest.add_argument("--calibration-end", required=True, help="YYYY-MM-DD")
    backtest.add_argument("--horizon-days", type=int, default=365)
    backtest.set_defaults(func=_cmd_backtest_clv)

    procedure = sub.add_parser(
        "erase",
        help="the whole erasure procedure: dbt build, the raw tables, the database file's "
        "freed pages, dbt's logs and compiled SQL",
    )
    procedure.add_argument(
        "--database",
        default=_database_default(),
        help=f"DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})",
    )
    procedure.add_argument(
        "--no-build", action="store_true", help="the build just ran: start at the raw tables"
    )
    procedure.add_argument(
        "--log-path", help="dbt's log folder to clear (default: the project's logs/)"
    )
    procedure.add_argument(
        "--target-path",
        help="dbt's target folder whose compiled SQL and run results to clear "
        "(default: the project's target/)",
    )
    procedure.set_defaults(func=_cmd_erase)

    erase = sub.add_parser(
        "erase-raw",
        help="anonymize erased persons' rows in the raw tables (after a dbt build)",
    )
    erase.add_argument(
        "--database",
        default=_database_default(),
        help=f"DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})",
    )
    erase.set_defaults(func=_cmd_erase_raw)

    access = sub.add_parser(
        "access-request",
        help="answer a subject access request: everything held about the person behind one "
        "identifier, written to the file you name (never to the terminal or dbt's logs)",
    )
    access.add_argument(
        "identifier_type",
        help="email, phone, crm_contact_id, shop_customer_id, loyalty_id or anonymous_id",
    )
    access.add_argument("value", help="as the person gave it (a phone may be in national format)")
    access.add_argument("--output", required=True, help="the JSON file to write the answer to")
    access.add_argument("--force", action="store_true", help="replace --output if it exists")
    access.add_argument(
        "--database",
        default=_database_default(),
        help=f"the built DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})",
    )
    access.set_defaults(func=_cmd_access_request)

    link = sub.add_parser(
        "explain-link",
        help="why two identifiers are one customer: the shortest chain of links between "
        "them with the record behind each, or what stands in the way",
    )
    types = "email, phone, crm_contact_id, shop_customer_id, loyalty_id or anonymous_id"
    link.add_argument("from_type", help=types)
    link.add_argument("from_value", help="as given (a phone may be in national format)")
    link.add_argument("to_type", help=types)
    link.add_argument("to_value", help="as given")
    link.add_argument(
        "--database",
        default=_database_default(),
        help=f"the built DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})",
    )
    link.set_defaults(func=_cmd_explain_link)

    identity = sub.add_parser(
        "identity-preview",
        help="build the identity graph with changed vars or seeds into scratch schemas "
        "and print what would merge, split and move",
    )
    identity.add_argument(
        "--database",
        default=_database_default(),
        help=f"a built DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})",
    )
    identity.add_argument("--vars", help="dbt vars to try, as YAML ('{identity_...: ...}')")
    identity.add_argument("--keep", action="store_true", help="keep the preview_ schemas")
    identity.add_argument("--examples", type=int, default=10, help="examples per kind")
    identity.set_defaults(func=_cmd_identity_preview)

    plans = sub.add_parser(
        "phone-plans",
        help="rewrite the numbering-plan macros (line types, calling codes that drop a "
        "trunk zero) from libphonenumber's metadata",
    )
    plans.add_argument("--output", default="macros/identity/phone_number_plans.sql")
    plans.set_defaults(func=_cmd_phone_plans)

    explore = sub.add_parser(
        "explore", help="browse customers, identity graphs, consent and audiences (local web app)"
    )
    explore.add_argument(
        "--database",
        default=_database_default(),
        help="the built DuckDB file, opened read-only "
        f"(default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})",
    )
    explore.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)"
    )
    explore.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any free)")
    explore.add_argument(
        "--country",
        help="default country (ISO-2) for phone numbers in national format "
        "(default: the country most customers have)",
    )
    explore.add_argument(
        "--project-dir", help="the dbt project whose macros normalize search input (default: .)"
    )
    explore.set_defaults(func=_cmd_explore)

    sync = sub.add_parser(
        "sync",
        help="send audiences to their destinations (the exposures with meta cdp_destination): "
        "who entered and who left since the last sync, consent checked at send time",
    )
    sync.add_argument("audience", nargs="?", help="only the destinations of this audience")
    sync.add_argument(
        "--destination",
        action="append",
        help="only this destination (repeat for several; default: every declared one)",
    )
    sync.add_argument(
        "--full",
        action="store_true",
        help="send everyone who may be sent now, not only the changes (files: a replace file)",
    )
    sync.add_argument(
        "--dry-run", action="store_true", help="show what would be sent; send and record nothing"
    )
    sync.add_argument(
        "--database",
        default=_database_default(),
        help=f"the built DuckDB file (default $CDP_DUCKDB_PATH or {DEFAULT_DATABASE})",
    )
    sync.add_argument(
        "--project-dir", help="the dbt project declaring the destinations (default: .)"
    )
    sync.add_argument(
        "--declarations",
        action="append",
        help="read the destinations from this YAML file instead of the project's models "
        "(repeat for several)",
    )
    sync.add_argument("--no-progress", action="store_true", help="no progress bar")
    sync.set_defaults(func=_cmd_sync)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (LoadError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
