#!/usr/bin/env bash
# Makes, ahead of the steps that use them, the virtual environments of later CI steps
# whose packages come from PyPI alone (not the wheel): the release tools, the
# renderings' parsers, the Python tests' environment, and each older Spark and DuckDB.
# Each is made exactly as its own step would make it, so a step finds it ready and only
# checks it. .ci/run runs this in the background while the Rust steps compile, which
# are bound by the processor where pip is bound by the network and the disk; it waits
# for it before the first step that needs one.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
mkdir -p target
for make in release_venv renderings_venv test_venv; do "$make" > /dev/null; done
for v in "${spark_versions[@]}"; do spark_venv "$v" > /dev/null; done
for v in "${duckdb_versions[@]}"; do duckdb_venv "$v" > /dev/null; done
