#!/usr/bin/env bash
# The whole Python package from this checkout, as the release wheel carries it, into
# the Python that `python3` runs (an activated virtual environment) or --python PY:
# the native module, the native DuckDB extension and the Spark jar, with the extras
# given ('[duckdb]', '[spark]', '[duckdb,polars]', ...):
#
#   python3 -m venv .venv && . .venv/bin/activate
#   scripts/install-python.sh '[duckdb]'
#
# It builds with scripts/build-wheels.sh (the release's own build: the DuckDB extension
# compiles DuckDB's C API bindings, about 10 minutes and 850 MB under target/ the first
# time; the jar needs a JDK 17 or newer), printing each step and cargo's progress, then
# installs the wheel with pip. Build tools go into virtual environments under target/,
# never into the Python installed into.
set -euo pipefail
cd "$(dirname "$0")/.."
python=python3
extras=
while [ $# -gt 0 ]; do
  case "$1" in
    --python) python=${2:?--python needs a path}; shift 2 ;;
    \[*\]) extras=$1; shift ;;
    *) echo "install-python: unknown argument $1 (extras are written as '[duckdb]')" >&2; exit 2 ;;
  esac
done
"$python" -c 'import sys; assert sys.version_info >= (3, 9)' 2>/dev/null ||
  { echo "install-python: $python is not Python 3.9 or newer" >&2; exit 2; }
javac -version 2>&1 | grep -qE 'javac (1[7-9]|[2-9][0-9])' ||
  { echo "install-python: the Spark jar needs javac 17 or newer on PATH (Debian: openjdk-17-jdk-headless)" >&2; exit 2; }
start=$SECONDS
step() { echo "==> [$1/2] $2 ($((SECONDS - start)) s so far)" >&2; }
step 1 "building the wheel with the DuckDB extension and the Spark jar (scripts/build-wheels.sh)"
AZURE_SERVICE_TAGS_PROGRESS=1 scripts/build-wheels.sh >&2
wheel=$(ls target/dist/*.whl)
step 2 "installing $(basename "$wheel")$extras into $("$python" -c 'import sys; print(sys.prefix)')"
"$python" -m pip install --disable-pip-version-check --force-reinstall "$wheel$extras"
"$python" - <<'PY'
import os
from importlib.metadata import version
import azure_service_tags as ast
import azure_service_tags.spark as azs
here = os.path.dirname(ast.__file__)
extension = [f for _, _, files in os.walk(os.path.join(here, "duckdb_extension")) for f in files]
print(f"installed azure-service-tags {version('azure-service-tags')}: {ast.public().info()['source']}, "
      f"DuckDB extension {'present' if extension else 'MISSING'}, Spark jar {azs.jar_path() or 'MISSING'}")
PY
echo "==> done in $((SECONDS - start)) s" >&2
