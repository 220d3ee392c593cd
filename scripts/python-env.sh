# Sourced by test-python.sh and bench-python.sh: the virtual environment
# target/python-venv with python/requirements-test.txt (made on first use, remade when
# the file changes), and this repository's wheel built by maturin and installed in it,
# carrying the DuckDB extension (build-duckdb-extension.sh; its path is $extension) and
# the Spark jar (build-jar.sh; $jar).
venv=target/python-venv
. scripts/venv.sh
requirements_venv "$venv" python/requirements-test.txt
extension=$(scripts/build-duckdb-extension.sh)
jar=$(scripts/build-jar.sh)
rm -rf target/wheels
"$venv/bin/maturin" build --release --quiet --manifest-path python/Cargo.toml --out target/wheels
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/*.whl
