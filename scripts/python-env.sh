# Sourced by test-python.sh and bench-python.sh: the virtual environment
# target/python-venv with python/requirements-test.txt (made on first use, remade when
# the file changes), and this repository's wheel built by maturin and installed in it.
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
