#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 (a master, two workers, a Thrift server and Spark
# Connect in one application), from the pyspark that ./scripts/setup.sh --spark installs:
#   ./scripts/spark_cluster.sh start | status | stop   [--dir data/spark-cluster] [--workers 2]
# docs/spark-cluster.md says how dbt and cdp reach it (targets spark_thrift and spark_connect).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m cdp.spark_cluster "$@"
