#!/usr/bin/env bash
# The Python engines benchmark (BENCHMARKS.md, "Python engines"): builds and installs
# the wheel as test-python.sh does, then runs python/bench/bench_engines.py, which
# prints the table. Needs Java 17+ for Spark. Arguments go to the benchmark
# (--rows, --repeat, --engines spark,polars,duckdb).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh
AZURE_SERVICE_TAGS_DUCKDB_EXTENSION="$PWD/$extension" AZURE_SERVICE_TAGS_JAR="$PWD/$jar" \
  "$venv/bin/python" python/bench/bench_engines.py "$@" 2> >(grep -v -e '^\s*at ' -e WARN >&2)
