"""What one Spark statement costs, by the way dbt reaches Spark: in this process (target
``spark``), through a Thrift server (``spark_thrift``, polled as the cdp_spark adapter polls)
and through Spark Connect (``spark_connect``). The same small statements, repeated; the median
time of each, in seconds. On small data most of a dbt build on Spark is this overhead.

    python -m cdp.spark_overhead --repeat 10            # all three; the cluster must run
    python -m cdp.spark_overhead --only spark_thrift    # one of them

The Thrift and Connect addresses are the profile's (env CDP_SPARK_THRIFT_PORT,
CDP_SPARK_CONNECT_PORT); the in-process session uses the ``spark`` output's settings
(its Derby metastore under $CDP_SPARK_DIR).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

SCHEMA = "cdp_overhead"
# one round: what dbt does for a small table model, and a trivial query
STATEMENTS = {
    "select 1": "select 1 as one",
    "create table as select (1,000 rows)": (
        f"create table {SCHEMA}.probe using parquet as "
        "select id, cast(id as string) as label from range(1000)"
    ),
    "count the table": f"select count(*) as n from {SCHEMA}.probe",
    "describe the table": f"describe table extended {SCHEMA}.probe",
    "drop the table": f"drop table {SCHEMA}.probe",
}


def _thrift() -> tuple[Callable[[str], list], Callable[[], None]]:
    from pyhive import hive

    from dbt.adapters.cdp_spark.impl import PolledPyhiveConnectionWrapper, thrift_configuration

    port = int(os.environ.get("CDP_SPARK_THRIFT_PORT", "10000"))
    connection = hive.connect(
        host=os.environ.get("CDP_SPARK_HOST", "127.0.0.1"),
        port=port,
        username="cdp",
        configuration=thrift_configuration({"spark.sql.session.timeZone": "UTC"}),
    )
    wrapper = PolledPyhiveConnectionWrapper(connection, poll_interval=5).cursor()

    def run(sql: str) -> list:
        wrapper.execute(sql)
        return wrapper.fetchall() if not sql.startswith(("create", "drop")) else []

    return run, connection.close


def _dataframe_session(spark) -> tuple[Callable[[str], list], Callable[[], None]]:
    return (lambda sql: spark.sql(sql).collect()), spark.stop


def _connect() -> tuple[Callable[[str], list], Callable[[], None]]:
    from pyspark.sql.connect.session import SparkSession

    port = os.environ.get("CDP_SPARK_CONNECT_PORT", "15002")
    url = os.environ.get("CDP_SPARK_CONNECT_URL", f"sc://127.0.0.1:{port}")
    return _dataframe_session(SparkSession.builder.remote(url).create())


def _in_process() -> tuple[Callable[[str], list], Callable[[], None]]:
    from cdp.spark import profile_output, session_settings, spark_session

    project = Path(__file__).resolve().parents[2]
    settings = session_settings(profile_output("spark", project), "spark")
    return _dataframe_session(spark_session(settings))


CONNECTIONS = {"spark": _in_process, "spark_thrift": _thrift, "spark_connect": _connect}


def measure(target: str, repeat: int) -> dict[str, float]:
    """The median seconds of each statement over ``repeat`` rounds (after one warm-up)."""
    run, close = CONNECTIONS[target]()
    times: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    try:
        run(f"create database if not exists {SCHEMA}")
        run(f"drop table if exists {SCHEMA}.probe")
        for round_number in range(repeat + 1):
            for name, sql in STATEMENTS.items():
                started = time.perf_counter()
                run(sql)
                if round_number:  # the first round warms up
                    times[name].append(time.perf_counter() - started)
        run(f"drop database if exists {SCHEMA} cascade")
    finally:
        close()
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cdp.spark_overhead")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", choices=sorted(CONNECTIONS), action="append")
    args = parser.parse_args(argv)
    targets = args.only or ["spark", "spark_thrift", "spark_connect"]
    results = {target: measure(target, args.repeat) for target in targets}
    print(f"median seconds per statement over {args.repeat} rounds")
    print(f"{'statement':40}" + "".join(f"{target:>15}" for target in targets))
    for name in STATEMENTS:
        print(f"{name:40}" + "".join(f"{results[t][name]:15.3f}" for t in targets))
    total = {t: sum(results[t].values()) for t in targets}
    print(f"{'one round (5 statements)':40}" + "".join(f"{total[t]:15.3f}" for t in targets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
