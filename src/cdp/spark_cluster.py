"""A Spark standalone cluster on this machine's loopback address, from the installed pyspark:
a master and N workers (each a JVM of its own), and one Spark application in front of them
that serves SQL through a Thrift server (dbt-spark's ``method: thrift``) and DataFrames through
Spark Connect (the ``spark_connect`` target, the Python models and the landing of the
``spark_thrift`` target). Both servers run in one driver, so they share its catalog: the Hive
metastore (Derby, under the cluster's folder) and the warehouse.

    scripts/spark_cluster.sh start     start what is not running yet, reuse what is; wait until
                                       the workers are registered and both servers answer
    scripts/spark_cluster.sh status    what runs, with its process id and address
    scripts/spark_cluster.sh stop      stop every process the script started (and their
                                       executors), whatever state they are in

Every process listens on 127.0.0.1 only. The folder (``--dir``, env ``CDP_SPARK_CLUSTER_DIR``,
default ``data/spark-cluster``) holds the metastore, the warehouse, each process's log and a
file per process with its id and start time, so ``stop`` ends only the processes it started.
Ports come from options or env variables, the same the profile reads (``CDP_SPARK_THRIFT_PORT``,
``CDP_SPARK_CONNECT_PORT``); a port another program holds is an error naming it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
CONNECT_PLUGIN = "org.apache.spark.sql.connect.SparkConnectPlugin"
SERVER = "server"  # the process of the Thrift and Connect servers (the application's driver)


class ClusterError(RuntimeError):
    pass


@dataclass
class ClusterConfig:
    folder: Path
    workers: int = 2
    master_port: int = 7077
    master_ui_port: int = 8080
    worker_ui_port: int = 8081  # the first worker's; the next ones count up
    thrift_port: int = 10000
    connect_port: int = 15002
    server_ui_port: int = 4040
    worker_cores: int = 1
    executor_memory: str = "1g"
    driver_memory: str = "1g"
    daemon_memory: str = "256m"  # the master's and each worker's own heap
    shuffle_partitions: int = 4
    # the application's web UI shows every query's plan, and a plan shows the values of
    # session variables: the secret salt. Off unless asked for (--ui).
    server_ui: bool = False
    start_timeout: float = 180.0
    extra_conf: dict[str, str] = field(default_factory=dict)

    @property
    def master_url(self) -> str:
        return f"spark://{HOST}:{self.master_port}"

    @property
    def connect_url(self) -> str:
        return f"sc://{HOST}:{self.connect_port}"


def spark_home() -> Path:
    """The Spark distribution inside the installed pyspark wheel (bin/, jars/)."""
    try:
        import pyspark
    except ImportError as error:
        raise ClusterError(
            "the Spark cluster needs pyspark: run ./scripts/setup.sh --spark"
        ) from error
    home = Path(pyspark.__file__).parent
    if not (home / "bin" / "spark-class").is_file():
        raise ClusterError(f"no bin/spark-class in {home}: not a pyspark with Spark's jars")
    return home


def _java_ok() -> None:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ClusterError("no java on PATH (Spark 4 needs Java 17+): ./scripts/setup.sh --spark")


# -- processes ----------------------------------------------------------------------------


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat):
    with the pid, it names one process, never a later one that reuses the pid. None when
    the process is gone or a zombie (ended, not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return None
    return fields[19]


def _pid_file(config: ClusterConfig, name: str) -> Path:
    return config.folder / "pids" / f"{name}.json"


def running_pid(config: ClusterConfig, name: str) -> int | None:
    """The pid of component ``name`` when the process this script started still runs."""
    path = _pid_file(config, name)
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if record.get("start_time") is None or _start_time(record["pid"]) != record["start_time"]:
        return None
    return record["pid"]


def _spawn(config: ClusterConfig, name: str, command: list[str], env: dict[str, str]) -> int:
    log = config.folder / "logs" / f"{name}.log"
    with open(log, "ab") as out:
        # a process group of its own: stop ends it with everything it started (executors)
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=config.folder,
            start_new_session=True,
        )
    record = {"pid": process.pid, "start_time": _start_time(process.pid), "command": command}
    _pid_file(config, name).write_text(json.dumps(record))
    return process.pid


def _stop_process(config: ClusterConfig, name: str, grace: float = 20.0) -> bool:
    pid = running_pid(config, name)
    if pid is not None:
        with _suppress_gone():
            os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and running_pid(config, name) == pid:
            time.sleep(0.2)
        if running_pid(config, name) == pid:
            with _suppress_gone():
                os.killpg(pid, signal.SIGKILL)
        # the group's other members (executors): they die with their worker; make sure
        with _suppress_gone():
            os.killpg(pid, signal.SIGKILL)
    _pid_file(config, name).unlink(missing_ok=True)
    return pid is not None


def _suppress_gone() -> contextlib.suppress:
    return contextlib.suppress(ProcessLookupError, PermissionError)


# -- waiting ------------------------------------------------------------------------------


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def _check_port_free(port: int, what: str, option: str) -> None:
    if _port_open(port):
        raise ClusterError(
            f"port {port} on {HOST} ({what}) is in use by another program: stop it, or choose "
            f"another port with {option}"
        )


def _wait(
    config: ClusterConfig, name: str, ready: Callable[[], bool], what: str, deadline: float
) -> None:
    while not ready():
        if running_pid(config, name) is None:
            raise ClusterError(
                f"{what} stopped while starting: see {config.folder / 'logs' / (name + '.log')}"
            )
        if time.monotonic() > deadline:
            raise ClusterError(
                f"{what} did not become ready in {config.start_timeout:.0f} s: see "
                f"{config.folder / 'logs' / (name + '.log')}"
            )
        time.sleep(0.5)


def alive_workers(config: ClusterConfig) -> int:
    """The workers the master lists as ALIVE (its web UI's JSON)."""
    url = f"http://{HOST}:{config.master_ui_port}/json/"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            state = json.load(response)
    except (OSError, ValueError):
        return 0
    return sum(1 for worker in state.get("workers", []) if worker.get("state") == "ALIVE")


# -- the commands -------------------------------------------------------------------------


def _environment(config: ClusterConfig) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SPARK_REMOTE", None)
    env.pop("SPARK_CONNECT_MODE_ENABLED", None)
    env.update(
        {
            "SPARK_HOME": str(spark_home()),
            # every daemon, web UI and block manager binds to loopback
            "SPARK_LOCAL_IP": HOST,
            "SPARK_LOCAL_HOSTNAME": HOST,
            "SPARK_MASTER_HOST": HOST,
            "SPARK_DAEMON_MEMORY": config.daemon_memory,
            "SPARK_LOCAL_DIRS": str(config.folder / "local"),
            "SPARK_WORKER_DIR": str(config.folder / "work"),
            "SPARK_LOG_DIR": str(config.folder / "logs"),
            "SPARK_PID_DIR": str(config.folder / "pids"),
            # no spark-env.sh or spark-defaults.conf of another installation
            "SPARK_CONF_DIR": str(config.folder / "conf"),
            "PYSPARK_PYTHON": sys.executable,
        }
    )
    return env


def server_conf(config: ClusterConfig) -> dict[str, str]:
    """The Spark settings of the application that serves Thrift and Connect."""
    folder = config.folder
    conf = {
        "spark.master": config.master_url,
        "spark.app.name": "cdp-thrift-connect",
        "spark.driver.memory": config.driver_memory,
        "spark.driver.host": HOST,
        "spark.driver.bindAddress": HOST,
        "spark.ui.enabled": "true" if config.server_ui else "false",
        "spark.ui.port": str(config.server_ui_port),
        "spark.executor.memory": config.executor_memory,
        "spark.executor.cores": str(config.worker_cores),
        "spark.cores.max": str(config.workers * config.worker_cores),
        # the Hive metastore: embedded Derby in this driver, shared by its Thrift and Connect
        # sessions (only one JVM can open it); the warehouse the executors write to
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={folder}",
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={folder / 'metastore_db'};create=true"
        ),
        "spark.sql.warehouse.dir": str(folder / "warehouse"),
        "spark.sql.catalogImplementation": "hive",
        "spark.sql.sources.default": "parquet",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": str(config.shuffle_partitions),
        # the Thrift server (HiveServer2 protocol) and Spark Connect, on loopback
        "spark.hadoop.hive.server2.thrift.bind.host": HOST,
        "spark.hadoop.hive.server2.thrift.port": str(config.thrift_port),
        "spark.plugins": CONNECT_PLUGIN,
        "spark.connect.grpc.binding.address": HOST,
        "spark.connect.grpc.binding.port": str(config.connect_port),
    }
    conf.update(config.extra_conf)
    return conf


def start(
    config: ClusterConfig, log: Callable[[str], None] = print, started: list[str] | None = None
) -> None:
    """Start what is not running, reuse what is, and wait until the cluster serves; the
    names of the processes started are appended to ``started``."""
    started = [] if started is None else started
    _java_ok()
    home = spark_home()
    for sub in ("logs", "pids", "work", "local", "conf"):
        (config.folder / sub).mkdir(parents=True, exist_ok=True)
    env = _environment(config)
    spark_class = str(home / "bin" / "spark-class")
    deadline = time.monotonic() + config.start_timeout

    if running_pid(config, "master") is None:
        _check_port_free(config.master_port, "Spark master", "--master-port")
        _check_port_free(config.master_ui_port, "Spark master web UI", "--master-ui-port")
        command = [spark_class, "org.apache.spark.deploy.master.Master", "--host", HOST]
        command += ["--port", str(config.master_port)]
        command += ["--webui-port", str(config.master_ui_port)]
        log(f"starting the master at {config.master_url}")
        _spawn(config, "master", command, env)
        started.append("master")
    _wait(config, "master", lambda: _port_open(config.master_port), "the master", deadline)

    for number in range(1, config.workers + 1):
        name = f"worker-{number}"
        if running_pid(config, name) is not None:
            continue
        ui_port = config.worker_ui_port + number - 1
        _check_port_free(ui_port, f"web UI of {name}", "--worker-ui-port")
        command = [spark_class, "org.apache.spark.deploy.worker.Worker", config.master_url]
        command += ["--host", HOST, "--webui-port", str(ui_port)]
        command += ["--cores", str(config.worker_cores), "--memory", config.executor_memory]
        command += ["--work-dir", str(config.folder / "work" / name)]
        log(f"starting {name} ({config.worker_cores} core, {config.executor_memory})")
        _spawn(config, name, command, env)
        started.append(name)
    _wait(
        config,
        "master",
        lambda: alive_workers(config) >= config.workers,
        f"{config.workers} workers registered with the master",
        deadline,
    )

    if running_pid(config, SERVER) is None:
        _check_port_free(config.thrift_port, "Thrift server", "--thrift-port")
        _check_port_free(config.connect_port, "Spark Connect server", "--connect-port")
        command = [str(home / "bin" / "spark-submit"), "--class", THRIFT_SERVER_CLASS]
        for key, value in server_conf(config).items():
            command += ["--conf", f"{key}={value}"]
        command.append("spark-internal")
        log(
            f"starting the Thrift server on {HOST}:{config.thrift_port} and Spark Connect "
            f"at {config.connect_url}"
        )
        # spark-submit gives a Thrift server SPARK_DAEMON_MEMORY, not spark.driver.memory
        _spawn(config, SERVER, command, {**env, "SPARK_DAEMON_MEMORY": config.driver_memory})
        started.append(SERVER)
    _wait(config, SERVER, lambda: _port_open(config.thrift_port), "the Thrift server", deadline)
    _wait(config, SERVER, lambda: _port_open(config.connect_port), "Spark Connect", deadline)
    application_ui = (
        f", http://{HOST}:{config.server_ui_port} (application: its query plans show the "
        "secret salt)"
        if config.server_ui
        else ""
    )
    log(
        f"ready: {config.workers} workers; Thrift {HOST}:{config.thrift_port}, "
        f"Connect {config.connect_url}; web UI http://{HOST}:{config.master_ui_port} "
        f"(master){application_ui}"
    )


def components(config: ClusterConfig) -> list[str]:
    names = ["master"] + [f"worker-{n}" for n in range(1, config.workers + 1)] + [SERVER]
    # workers of an earlier start with more workers
    pids = config.folder / "pids"
    if pids.is_dir():
        names += sorted(p.stem for p in pids.glob("*.json") if p.stem not in names)
    return names


def stop(
    config: ClusterConfig, log: Callable[[str], None] = print, only: list[str] | None = None
) -> list[str]:
    """Stop every process this script started in the folder (or those of ``only``): the
    server first, then the workers (with their executors), then the master. Returns the
    names stopped."""
    stopped = []
    names = components(config) if only is None else only
    for name in sorted(names, key=lambda n: (n != SERVER, n == "master", n)):
        if _stop_process(config, name):
            stopped.append(name)
    log(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
    return stopped


def status(config: ClusterConfig) -> dict[str, int | None]:
    return {name: running_pid(config, name) for name in components(config)}


# -- command line -------------------------------------------------------------------------


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ClusterError(f"env {name} must be a port number, got: {value}") from error


def parse_config(argv: list[str]) -> tuple[str, ClusterConfig]:
    parser = argparse.ArgumentParser(
        prog="spark_cluster.sh", description="A Spark standalone cluster on 127.0.0.1."
    )
    parser.add_argument("command", choices=("start", "stop", "status"))
    parser.add_argument(
        "--dir",
        default=os.environ.get("CDP_SPARK_CLUSTER_DIR", "data/spark-cluster"),
        help="folder of the metastore, warehouse, logs and process ids "
        "(env CDP_SPARK_CLUSTER_DIR; default data/spark-cluster)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-cores", type=int, default=1)
    parser.add_argument("--executor-memory", default="1g", help="each worker's executor heap")
    parser.add_argument(
        "--driver-memory",
        default=os.environ.get("CDP_SPARK_CLUSTER_DRIVER_MEMORY", "1g"),
        help="heap of the Thrift/Connect server (env CDP_SPARK_CLUSTER_DRIVER_MEMORY)",
    )
    parser.add_argument("--master-port", type=int, default=_env_int("CDP_SPARK_MASTER_PORT", 7077))
    parser.add_argument(
        "--master-ui-port", type=int, default=_env_int("CDP_SPARK_MASTER_UI_PORT", 8080)
    )
    parser.add_argument(
        "--worker-ui-port", type=int, default=_env_int("CDP_SPARK_WORKER_UI_PORT", 8081)
    )
    parser.add_argument("--thrift-port", type=int, default=_env_int("CDP_SPARK_THRIFT_PORT", 10000))
    parser.add_argument(
        "--connect-port", type=int, default=_env_int("CDP_SPARK_CONNECT_PORT", 15002)
    )
    parser.add_argument(
        "--server-ui-port", type=int, default=_env_int("CDP_SPARK_SERVER_UI_PORT", 4040)
    )
    parser.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting of the Thrift/Connect application (repeatable)",
    )
    parser.add_argument(
        "--ui",
        action="store_true",
        help="also the application's web UI (SQL, Thrift and Connect tabs); its query plans "
        "show session variables, the secret salt among them",
    )
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait on start")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    extra_conf = {}
    for setting in args.conf:
        key, equals, value = setting.partition("=")
        if not equals or not key:
            parser.error(f"--conf takes KEY=VALUE, got: {setting}")
        extra_conf[key] = value
    config = ClusterConfig(
        folder=Path(args.dir).resolve(),
        workers=args.workers,
        master_port=args.master_port,
        master_ui_port=args.master_ui_port,
        worker_ui_port=args.worker_ui_port,
        thrift_port=args.thrift_port,
        connect_port=args.connect_port,
        server_ui_port=args.server_ui_port,
        worker_cores=args.worker_cores,
        executor_memory=args.executor_memory,
        driver_memory=args.driver_memory,
        start_timeout=args.timeout,
        server_ui=args.ui,
        extra_conf=extra_conf,
    )
    return args.command, config


def main(argv: list[str] | None = None) -> int:
    try:
        command, config = parse_config(sys.argv[1:] if argv is None else argv)
        if command == "start":
            started: list[str] = []
            try:
                start(config, started=started)
            except BaseException:
                # nothing this start began is left half-started
                stop(config, log=lambda _: None, only=started)
                raise
        elif command == "stop":
            stop(config)
        else:
            for name, pid in status(config).items():
                print(f"{name:10} {'running, pid ' + str(pid) if pid else 'not running'}")
    except ClusterError as error:
        print(f"spark_cluster: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
