#!/usr/bin/env bash
# Checks every route rendering with the real parsers (tests/renderings): azure-cli's
# parser, python-hcl2, the tree-sitter grammars of Bicep and PowerShell, Microsoft's
# network SDK. Builds aztags, and installs the parsers into a virtual environment
# (target/renderings-venv) on first use. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/renderings-venv
req=tests/renderings/requirements.txt
if ! cmp -s "$req" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$venv/requirements.txt"
fi
cargo build --release --quiet --features cli --bin aztags
AZTAGS="$PWD/target/release/aztags" "$venv/bin/python" -m pytest -q tests/renderings "$@"
