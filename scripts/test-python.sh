#!/usr/bin/env bash
# The Python package's tests: builds the abi3 wheel with maturin and installs it into
# target/python-venv (with pyarrow, Polars, DuckDB, PySpark and pytest on first use;
# see python-env.sh), builds aztags (the reference the tests compare with) and runs
# python/tests. Spark needs Java 17 or newer on PATH. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh
cargo build --release --quiet --features cli,government,china --bin aztags
root=$PWD
cd python/tests
AZTAGS="$root/target/release/aztags" "$root/$venv/bin/python" -m pytest -q "$@"
