#!/usr/bin/env bash
# The Python package's tests: builds the abi3 wheel with maturin and installs it into
# target/python-venv (with pyarrow, Polars, DuckDB, PySpark and pytest on first use;
# see python-env.sh), builds aztags (the reference the tests compare with) and runs
# python/tests. Spark needs Java 17 or newer on PATH. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh
. scripts/aztags.sh
aztags=$(build_aztags cli,government,china)
root=$PWD
cd python/tests
AZTAGS="$aztags" AZURE_SERVICE_TAGS_DUCKDB_EXTENSION="$root/$extension" \
  AZURE_SERVICE_TAGS_JAR="$root/$jar" \
  "$root/$venv/bin/python" -m pytest -q --ignore=test_spark_jvm.py --ignore=test_spark_connect.py "$@"
# The jar's tests and Spark Connect's, each in a process of its own: Spark puts
# spark.jars on the driver's classpath only when it starts the JVM, and the other Spark
# tests start it without; a local Connect server is a JVM of its own kind.
for own in test_spark_jvm.py test_spark_connect.py; do
  AZTAGS="$aztags" AZURE_SERVICE_TAGS_JAR="$root/$jar" \
    "$root/$venv/bin/python" -m pytest -q "$own" "$@"
done

# The same abi3 wheel under the other CPython versions on PATH (3.9 is the oldest it
# supports): a short check with only the wheel and pyarrow installed.
cd "$root"
# The oldest and the newest: abi3 is one promise, kept or broken at its ends.
for v in 3.9 3.13; do
  # On PATH, or installed by pyenv but not selected.
  py=$(command -v "python$v" 2>/dev/null || true)
  "${py:-false}" -c 'import venv' 2>/dev/null || py=$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/$v.*/bin/python$v 2>/dev/null | tail -n 1)
  if [ -z "$py" ] || ! "$py" -c 'import venv' 2>/dev/null; then
    echo "abi3 check: python$v not found, skipped"
    continue
  fi
  other=target/abi3-venv-$v
  [ -x "$other/bin/python" ] || "$py" -m venv "$other"
  "$other/bin/pip" install --quiet --disable-pip-version-check pyarrow
  "$other/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/*.whl
  "$other/bin/python" python/tests/abi3_smoke.py
done
