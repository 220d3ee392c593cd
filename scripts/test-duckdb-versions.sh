#!/usr/bin/env bash
# The DuckDB extension (built by build-duckdb-extension.sh) in the oldest DuckDB it
# claims and the one before, each installed from PyPI into an environment of its own:
# 1.2.0 loads it and answers, 1.1.3 refuses it naming the C API version it needs
# (python/tests/extras/check_duckdb_version.py); and the wheel in target/wheels (from
# test-python.sh), whose register() takes the extension in 1.2.0 and the Python UDFs in
# 1.1.3. Arguments: other versions to check.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-duckdb-extension.sh > /dev/null
. scripts/venv.sh
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=("${duckdb_versions[@]}")
for v in "${versions[@]}"; do
  venv=$(duckdb_venv "$v")
  "$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/*.whl
  "$venv/bin/python" python/tests/extras/check_duckdb_version.py target/duckdb
done
