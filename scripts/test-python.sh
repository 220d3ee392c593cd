#!/usr/bin/env bash
# The Python package: builds the abi3 wheel with maturin, installs it into a virtual
# environment (target/python-venv, with pyarrow, Polars, DuckDB, PySpark and pytest on
# first use), builds aztags (the reference the tests compare with) and runs
# python/tests. Spark needs Java 17 or newer on PATH. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/python-venv
req=python/requirements-test.txt
if ! cmp -s "$req" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$venv/requirements.txt"
fi
rm -rf target/wheels
"$venv/bin/maturin" build --release --quiet --manifest-path python/Cargo.toml --out target/wheels
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/*.whl
cargo build --release --quiet --features cli,government,china --bin aztags
cd python/tests
AZTAGS="$OLDPWD/target/release/aztags" "$OLDPWD/$venv/bin/python" -m pytest -q "$@"
