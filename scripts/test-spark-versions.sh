#!/usr/bin/env bash
# The wheel (target/wheels, from test-python.sh) in Spark 3.5, the LTS line of Azure's
# Spark platforms, and in Spark 4.0, the last line before arrow_udf, each from PyPI in
# an environment of its own: the jar's tests
# (test_spark_jvm.py: every entry point on the million-address file against aztags,
# which test-python.sh built) and the Python UDFs that register(spark, native=False)
# makes there (python/tests/extras/check_spark_version.py); test-python.sh runs both
# kinds in the test environment's newest Spark. Needs Java 17. Arguments: other pyspark
# versions to check.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
. scripts/aztags.sh
aztags=$(build_aztags cli,government,china)
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=("${spark_versions[@]}")
venvs=()
for v in "${versions[@]}"; do
  venv=$(spark_venv "$v")
  "$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/*.whl
  venvs+=("$venv")
done
check=$PWD/python/tests/extras/check_spark_version.py
root=$PWD
for venv in "${venvs[@]}"; do
  python=$root/$venv/bin/python
  (cd "$(mktemp -d)" && PYSPARK_PYTHON="$python" "$python" "$check")
  (cd python/tests && AZTAGS="$aztags" AZURE_SERVICE_TAGS_JAR="$root/target/jvm/azure-service-tags.jar" \
    PYSPARK_PYTHON="$python" "$python" -m pytest -q -p no:cacheprovider test_spark_jvm.py)
done
