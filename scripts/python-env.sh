# Sourced by test-python.sh and bench-python.sh: the virtual environment
# target/python-venv with python/requirements-test.txt (made on first use, remade when
# the file changes), and this repository's wheel built by maturin and installed in it,
# carrying the DuckDB extension (build-duckdb-extension.sh; its path is $extension) and
# the Spark jar (build-jar.sh; $jar). With AZURE_SERVICE_TAGS_WHEEL set to a wheel
# already built (CI: the release wheel of build-wheels.sh), that one is installed
# instead, so what is tested is what ships. Either way it ends up in target/wheels.
. scripts/venv.sh
venv=$(test_venv)
rm -rf target/wheels
if [ -n "${AZURE_SERVICE_TAGS_WHEEL:-}" ]; then
  # The extension and the jar that build-wheels.sh put into it (built anew, the jar
  # would differ from the wheel's by its timestamps).
  extension=target/duckdb/azure_service_tags.duckdb_extension
  jar=target/jvm/azure-service-tags.jar
  mkdir -p target/wheels
  cp "$AZURE_SERVICE_TAGS_WHEEL" target/wheels/
else
  extension=$(scripts/build-duckdb-extension.sh)
  jar=$(scripts/build-jar.sh)
  "$venv/bin/maturin" build --release --quiet --manifest-path python/Cargo.toml --out target/wheels
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/*.whl
