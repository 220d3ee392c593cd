#!/usr/bin/env bash
# The Spark jar inside the wheel (target/wheels, from test-python.sh) in Spark 3.5, the
# LTS line of Azure's Spark platforms, from PyPI in an environment of its own, and in
# the test environment's newest Spark: register(spark) takes the jar, its functions and
# its Hive functions answer as the scalar API (python/tests/extras/check_spark_version.py,
# run in a scratch directory for the Hive metastore's files). In the other versions the
# jar's tests (test_spark_jvm.py: every entry point on the million-address file against
# aztags, which test-python.sh built) run too. Needs Java 17. Arguments: other pyspark
# versions to check.
set -euo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(3.5.9)
venvs=()
for v in "${versions[@]}"; do
  venv=target/spark-venv-$v
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pyspark==$v" pyarrow "pandas<3" "numpy<2.3" \
    "$(grep '^pytest==' python/requirements-test.txt)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/*.whl
  venvs+=("$venv")
done
venvs+=(target/python-venv)
check=$PWD/python/tests/extras/check_spark_version.py
for venv in "${venvs[@]}"; do
  python=$PWD/$venv/bin/python
  (cd "$(mktemp -d)" && PYSPARK_PYTHON="$python" "$python" "$check")
done
root=$PWD
for venv in "${venvs[@]:0:${#versions[@]}}"; do
  (cd python/tests && AZTAGS="$root/target/release/aztags" AZURE_SERVICE_TAGS_JAR="$root/target/jvm/azure-service-tags.jar" \
    PYSPARK_PYTHON="$root/$venv/bin/python" "$root/$venv/bin/python" -m pytest -q -p no:cacheprovider test_spark_jvm.py)
done
