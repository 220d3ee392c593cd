# Sourced by the scripts that need a Python virtual environment. pip installs without
# compiling bytecode (--no-compile): Python compiles a module when a test first imports
# it, and most of pip's processor time in CI went to compiling modules no test imports.
#
# `requirements_venv DIR REQUIREMENTS` makes DIR with exactly the pinned packages of
# REQUIREMENTS on first use, and makes it anew when that file changes.
requirements_venv() {
  local dir=$1 req=$2
  if ! cmp -s "$req" "$dir/requirements.txt" 2>/dev/null; then
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --no-compile --disable-pip-version-check -r "$req"
    cp "$req" "$dir/requirements.txt"
  fi
}

# The environments of the scripts, each from its pinned requirements; each function
# makes its environment if needed and prints its path: the Python tests' (python-env.sh,
# build-jar.sh), the release tools' (release-tools.sh), the renderings' parsers
# (test-renderings.sh).
test_venv() { requirements_venv target/python-venv python/requirements-test.txt >&2; echo target/python-venv; }
release_venv() {
  requirements_venv target/release-tools-venv python/requirements-release.txt >&2
  echo target/release-tools-venv
}
renderings_venv() {
  requirements_venv target/renderings-venv tests/renderings/requirements.txt >&2
  echo target/renderings-venv
}

# The older engine versions that the package is checked in (test-spark-versions.sh,
# test-duckdb-versions.sh): Spark 3.5, the LTS line of Azure's Spark platforms, and
# 4.0, the last line before arrow_udf; the oldest DuckDB the extension claims and the
# one before it.
spark_versions=(3.5.9 4.0.5)
duckdb_versions=(1.2.0 1.1.3)

# `spark_venv VERSION` makes target/spark-venv-VERSION, with that pyspark and what the
# Spark tests need beside it (not the wheel), unless it is there; prints its path.
spark_venv() {
  local venv=target/spark-venv-$1
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --no-compile --disable-pip-version-check "pyspark==$1" pyarrow "pandas<3" "numpy<2.3" \
    "$(grep '^pytest==' python/requirements-test.txt)" >&2
  echo "$venv"
}

# `duckdb_venv VERSION`: the same for target/duckdb-venv-VERSION and that duckdb.
duckdb_venv() {
  local venv=target/duckdb-venv-$1
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --no-compile --disable-pip-version-check "duckdb==$1" pyarrow numpy >&2
  echo "$venv"
}
