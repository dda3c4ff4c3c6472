"""Spark as users deploy it: a standalone cluster on loopback (scripts/spark_cluster.sh: a
master, two workers, one application serving a Thrift server and Spark Connect), reached the
way a user's dbt reaches one: `--target spark_thrift` (SQL through the Thrift server, the
Python models through Spark Connect) and `--target spark_connect` (everything through Spark
Connect).

A generated set (300 customers, the one test_spark_parity.py builds in-process) is landed
into DuckDB and built there; its raw tables are landed into the cluster with `cdp load
--target spark_thrift` and built again with `dbt seed` and `dbt run`. Every relation of
schema marts_audit (where `dbt run` writes the marts) must hold the same rows as on
DuckDB. The cluster's application runs in the time zone Pacific/Kiritimati (UTC+14):
the profile's UTC reaches each session only when the adapter sends it as Spark's Thrift
server applies it, so a lost setting shows as shifted instants. The secret salt must be
in no compiled SQL, no dbt log, no log of any cluster process, no metastore or warehouse
file.

One cluster serves the module; its fixture stops it whatever happens, and the last test
checks that stop ends every process the script started.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from cdp.contract import RAW_TABLES
from conftest import PROJECT_DIR, TEST_SECRET_SALT, require_spark, run_dbt
from test_spark_parity import _differences, _duckdb_relations, _spark_relations

require_spark()

SCRIPT = PROJECT_DIR / "scripts" / "spark_cluster.sh"
SERVER_TIME_ZONE = "Pacific/Kiritimati"
# rebuilt through the spark_connect target: a salted hash, both Python models, their marts
CONNECT_MODELS = (
    "int_identifiers_hashed",
    "int_clv_parameters_fitted",
    "int_customer_clv_predicted",
    "clv_model_parameters",
    "customer_value",
)


def _free_ports(count: int, consecutive: int = 1) -> list[int]:
    """Ports free on 127.0.0.1 now; the first ``consecutive`` ones follow each other."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        ports = [base + n for n in range(consecutive)]
        with contextlib.ExitStack() as stack:
            try:
                for port in ports:
                    held = stack.enter_context(socket.socket())
                    held.bind(("127.0.0.1", port))
                for _ in range(count - consecutive):
                    held = stack.enter_context(socket.socket())
                    held.bind(("127.0.0.1", 0))
                    ports.append(held.getsockname()[1])
            except OSError:
                continue
        return ports
    raise RuntimeError("no free ports on 127.0.0.1")


class Cluster:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        worker_1, worker_2, master, master_ui, thrift, connect = _free_ports(6, consecutive=2)
        self.ports = {
            "--worker-ui-port": worker_1,
            "--master-port": master,
            "--master-ui-port": master_ui,
            "--thrift-port": thrift,
            "--connect-port": connect,
        }
        self.thrift_port, self.connect_port = thrift, connect
        self.master_ui_port = master_ui
        del worker_2

    def script(self, command: str, *extra: str, timeout: float = 300) -> str:
        argv = [str(SCRIPT), command, "--dir", str(self.folder)]
        for option, port in self.ports.items():
            argv += [option, str(port)]
        result = subprocess.run(
            [*argv, *extra], capture_output=True, text=True, timeout=timeout, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(self) -> str:
        return self.script("start", "--conf", f"spark.sql.session.timeZone={SERVER_TIME_ZONE}")

    def pids(self) -> dict[str, int]:
        return {
            path.stem: json.loads(path.read_text())["pid"]
            for path in (self.folder / "pids").glob("*.json")
        }


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("spark_cluster"))
    names = ("CDP_SPARK_THRIFT_PORT", "CDP_SPARK_CONNECT_PORT", "CDP_SPARK_CONNECT_URL")
    saved = {name: os.environ.get(name) for name in names}
    os.environ.pop("CDP_SPARK_CONNECT_URL", None)
    os.environ["CDP_SPARK_THRIFT_PORT"] = str(cluster.thrift_port)
    os.environ["CDP_SPARK_CONNECT_PORT"] = str(cluster.connect_port)
    try:
        started = time.monotonic()
        cluster.start_output = cluster.start()
        cluster.start_seconds = time.monotonic() - started
        yield cluster
    finally:
        # whatever failed: every process the script started ends with the module
        with contextlib.suppress(Exception):
            cluster.script("stop")
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _connect_session(cluster: Cluster):
    from pyspark.sql.connect.session import SparkSession

    spark = SparkSession.builder.remote(f"sc://127.0.0.1:{cluster.connect_port}").create()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    return spark


@pytest.fixture(scope="module")
def built(cluster, tmp_path_factory):
    """The generated set built on DuckDB and, landed with cdp load, on the cluster through
    the spark_thrift target; then a few models again through spark_connect."""
    from cdp.cli import main

    folder = tmp_path_factory.mktemp("cluster_build")
    database = folder / "cdp.duckdb"
    timings = {"cluster start": cluster.start_seconds}
    started = time.monotonic()
    argv = ["generate", "--customers", "300", "--seed", "15", "--database", str(database)]
    assert main([*argv, "--workers", "1", "--no-progress"]) in (0, None)
    for command in ("seed", "run"):
        result = run_dbt(database, command)
        assert result.success, result.output
    raw_files = folder / "raw_files"
    raw_files.mkdir()
    con = duckdb.connect(str(database))
    try:
        for table in RAW_TABLES:
            con.execute(f"copy raw.{table} to '{raw_files / table}.parquet' (format parquet)")
    finally:
        con.close()
    timings["duckdb: generate, seed, run"] = time.monotonic() - started
    # the user's way: cdp load into the Thrift target (through its Spark Connect)
    started = time.monotonic()
    assert main(["load", str(raw_files), "--target", "spark_thrift"]) in (0, None)
    timings["cdp load --target spark_thrift"] = time.monotonic() - started
    unused = folder / "spark" / "unused.duckdb"
    unused.parent.mkdir()
    for command in ("seed", "run"):
        started = time.monotonic()
        result = run_dbt(unused, command, "--target", "spark_thrift")
        timings[f"dbt {command} --target spark_thrift"] = time.monotonic() - started
        assert result.success, result.output
    spark = _connect_session(cluster)
    try:
        # `dbt run` writes the marts to marts_audit; publishing them is a build's last
        # step (docs/builds.md), which this module does not test
        duck_marts = _duckdb_relations(database, "marts_audit")
        assert len(duck_marts) >= 15
        thrift = (duck_marts, _spark_relations(spark, "marts_audit", duck_marts))
        clv = spark.sql(
            "select count(*), count(predicted_clv_12m) from marts_audit.customer_value"
        ).collect()[0]
        # the same models again, through the spark_connect target
        connected = folder / "connect" / "unused.duckdb"
        connected.parent.mkdir()
        started = time.monotonic()
        result = run_dbt(connected, "run", "--target", "spark_connect", "--select", *CONNECT_MODELS)
        timings["dbt run --target spark_connect (5 models)"] = time.monotonic() - started
        assert result.success, result.output
        hashed = _duckdb_relations(database, "intermediate")["int_identifiers_hashed"]
        connect = (
            duck_marts,
            _spark_relations(spark, "marts_audit", duck_marts),
            hashed,
            _spark_relations(spark, "intermediate", ["int_identifiers_hashed"]),
        )
    finally:
        spark.stop()
    # shown with pytest -s: where the module's time goes
    print("\n" + "\n".join(f"{what:45} {seconds:7.1f} s" for what, seconds in timings.items()))
    return {
        "folder": folder,
        "database": database,
        "thrift": thrift,
        "connect": connect,
        "clv": tuple(clv),
        "timings": timings,
    }


def _listening_addresses(pids: set[int]) -> set[str]:
    """The local addresses of every TCP socket these processes listen on."""
    inodes = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
    addresses = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # LISTEN
                address = local.split(":")[0]
                if width == 8:
                    address = socket.inet_ntoa(bytes.fromhex(address)[::-1])
                else:
                    words = [bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8)]
                    address = socket.inet_ntop(socket.AF_INET6, b"".join(words))
                addresses.add(address)
    return addresses


def _process_groups(groups: set[int]) -> set[int]:
    """Every running process whose process group is one of ``groups``."""
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if fields[0] != "Z" and int(fields[2]) in groups:
                    members.add(int(entry.name))
    return members


def test_the_cluster_is_separate_processes_listening_on_loopback_only(cluster):
    pids = cluster.pids()
    assert set(pids) == {"master", "worker-1", "worker-2", "server"}
    with urllib_json(f"http://127.0.0.1:{cluster.master_ui_port}/json/") as state:
        workers = [w for w in state["workers"] if w["state"] == "ALIVE"]
        applications = state["activeapps"]
    assert len(workers) == 2
    assert [app["name"] for app in applications] == ["cdp-thrift-connect"]
    # the daemons, the server and the executors the workers started (their process groups)
    processes = _process_groups(set(pids.values()))
    assert len(processes) >= 6, "master, 2 workers, the server and an executor per worker"
    addresses = _listening_addresses(processes)
    assert addresses and addresses <= {"127.0.0.1", "::ffff:127.0.0.1"}, addresses


@contextlib.contextmanager
def urllib_json(url: str):
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:
        yield json.load(response)


def test_start_again_reuses_the_running_cluster(cluster):
    before = cluster.pids()
    output = cluster.start()
    assert "starting" not in output and "ready" in output
    assert cluster.pids() == before


def _thrift_cursor(cluster: Cluster):
    from pyhive import hive

    from dbt.adapters.cdp_spark.impl import PolledPyhiveConnectionWrapper, thrift_configuration

    connection = hive.connect(
        host="127.0.0.1",
        port=cluster.thrift_port,
        username="cdp",
        configuration=thrift_configuration({"spark.sql.session.timeZone": "UTC"}),
    )
    return PolledPyhiveConnectionWrapper(connection, poll_interval=5).cursor()


def test_a_thrift_session_gets_the_profile_settings_not_the_servers(cluster):
    cursor = _thrift_cursor(cluster)
    cursor.execute("select current_timezone() as zone")
    # the server runs in Kiritimati; the profile says UTC
    assert cursor.fetchall() == [("UTC",)]


def test_a_long_thrift_statement_is_not_followed_by_a_5_s_sleep(cluster):
    cursor = _thrift_cursor(cluster)
    cursor.execute("select reflect('java.lang.Thread', 'sleep', 10L) as slept")  # warm-up
    cursor.fetchall()
    started = time.monotonic()
    # the server answers a status request after at most 5 s: a 6 s statement is still
    # running then, and dbt-spark's own cursor would sleep 5 s more (11 s in all); a
    # loaded machine adds a few seconds to the 6, never 5
    cursor.execute("select reflect('java.lang.Thread', 'sleep', 6000L) as slept")
    cursor.fetchall()
    assert time.monotonic() - started < 10.5


def test_marts_built_through_thrift_equal_duckdb(built):
    duck, spark = built["thrift"]
    assert sum(sum(rows.values()) for _, rows in duck.values()) > 1_000
    assert sum(duck["customer_profiles"][1].values()) > 100
    assert _differences(duck, spark) == {}


def test_the_clv_python_models_ran_on_the_cluster(built):
    customers, predicted = built["clv"]
    # the generated shop's buyers get a 12-month CLV from the fitted models
    assert customers > 100
    assert predicted > 50


def test_the_spark_connect_target_rebuilds_the_same_marts(built):
    duck, spark, duck_hashed, _ = built["connect"]
    assert _differences(duck, spark) == {}
    assert sum(duck_hashed[1].values()) > 100


@pytest.mark.xfail(
    strict=True,
    reason="known defect: after a dbt run through the spark_connect target the erasure pass"
    " finds no erased value in the rebuilt int_identifiers_hashed (its rows keep the values"
    " DuckDB and the Thrift build mask); docs/spark-cluster.md",
)
def test_the_spark_connect_target_masks_erased_values_as_duckdb_does(built):
    _, _, duck_hashed, spark_hashed = built["connect"]
    assert _differences({"int_identifiers_hashed": duck_hashed}, spark_hashed) == {}


def _files_containing(folder: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                content = path.read_bytes()
                if any(needle in content for needle in needles):
                    found.append(str(path))
    return found


def test_the_secret_salt_is_in_no_sql_log_metastore_or_warehouse(cluster, built):
    salt = TEST_SECRET_SALT.encode()
    needles = [salt, salt.hex().encode()]
    # compiled and run SQL, dbt's logs (of the Spark builds); every cluster process's log,
    # the executors' logs, the Derby metastore and the parquet warehouse
    assert _files_containing(built["folder"] / "spark", needles) == []
    assert _files_containing(built["folder"] / "connect", needles) == []
    assert _files_containing(cluster.folder, needles) == []
    # the searches looked at something: the server's log and the compiled models
    assert (cluster.folder / "logs" / "server.log").stat().st_size > 100_000
    # (the tests' dbt runs keep each target's artifacts in target-<target>)
    assert list((built["folder"] / "spark").glob("target*/run/**/*.sql"))


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_stop_ends_every_process_it_started(cluster, built):
    pids = cluster.pids()
    assert _process_groups(set(pids.values()))
    output = cluster.script("stop")
    assert "stopped" in output
    assert _process_groups(set(pids.values())) == set()
    # nothing listens on the cluster's ports any more (a JVM's sockets close as it exits:
    # allowed a few seconds)
    for port in (cluster.thrift_port, cluster.connect_port, cluster.master_ui_port):
        deadline = time.monotonic() + 15
        while _listening(port) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _listening(port), port
    assert "nothing was running" in cluster.script("stop")


def test_a_thrift_output_without_connect_url_says_what_it_needs():
    from types import SimpleNamespace

    from dbt.adapters.spark.connections import SparkConnectionMethod
    from dbt_common.exceptions import DbtRuntimeError

    from cdp.load import LoadError
    from cdp.spark import session_settings
    from dbt.adapters.cdp_spark.python_submissions import ConnectPythonJobHelper

    output = {"type": "cdp_spark", "method": "thrift", "host": "spark.example.internal"}
    with pytest.raises(LoadError, match="cannot receive files: give the output a connect_url"):
        session_settings(output, "my_thrift")
    credentials = SimpleNamespace(method=SparkConnectionMethod.THRIFT, connect_url=None)
    with pytest.raises(DbtRuntimeError, match="int_clv_parameters_fitted: .* needs connect_url"):
        ConnectPythonJobHelper(
            {"schema": "intermediate", "alias": "int_clv_parameters_fitted"}, credentials
        )
    # with one, landing goes through Spark Connect with the profile's SQL settings
    output["connect_url"] = "sc://spark.example.internal:15002"
    output["server_side_parameters"] = {"spark.sql.session.timeZone": "UTC", "x.other": "1"}
    assert session_settings(output, "my_thrift") == {
        "spark.sql.session.timeZone": "UTC",
        "spark.remote": "sc://spark.example.internal:15002",
    }
