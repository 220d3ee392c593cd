#!/usr/bin/env bash
# The Spark jar inside the wheel (target/wheels, from test-python.sh) in Spark 3.5, the
# LTS line of Azure's Spark platforms, from PyPI in an environment of its own:
# register(spark) takes the jar and answers as the scalar API
# (python/tests/extras/check_spark_version.py). Needs Java 17. Arguments: other pyspark
# versions to check.
set -euo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(3.5.9)
for v in "${versions[@]}"; do
  venv=target/spark-venv-$v
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pyspark==$v" pyarrow "pandas<3" "numpy<2.3"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/*.whl
  PYSPARK_PYTHON="$PWD/$venv/bin/python" "$venv/bin/python" python/tests/extras/check_spark_version.py
done
