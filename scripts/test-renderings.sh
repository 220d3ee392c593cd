#!/usr/bin/env bash
# Checks every route rendering with the real parsers (tests/renderings): azure-cli's
# parser, python-hcl2, the tree-sitter grammars of Bicep and PowerShell, Microsoft's
# network SDK. Builds aztags, and installs the parsers into a virtual environment
# (target/renderings-venv) on first use. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
. scripts/aztags.sh
venv=$(renderings_venv)
aztags=$(build_aztags cli)
AZTAGS="$aztags" "$venv/bin/python" -m pytest -q tests/renderings "$@"
