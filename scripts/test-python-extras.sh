#!/usr/bin/env bash
# Each extra as a user installs it: a new virtual environment per extra with nothing
# but the release wheel (target/dist, from build-wheels.sh) and that extra, then the
# engine's registration and one query (python/tests/extras/check_extra.py). Spark needs
# Java 17 or newer on PATH. Arguments: the extras to check (default: all three).
set -euo pipefail
cd "$(dirname "$0")/.."
wheel=$(ls target/dist/*.whl 2>/dev/null | head -n 1)
[ -n "$wheel" ] || { echo "no wheel in target/dist: run scripts/build-wheels.sh first"; exit 1; }
extras=("$@")
root=$PWD
[ ${#extras[@]} -gt 0 ] || extras=(duckdb polars spark)
for extra in "${extras[@]}"; do
  venv=target/extra-venv-$extra
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$wheel[$extra]"
  # As a user runs a script with the environment's python, not activated: Spark's
  # local workers must still start in that python (register() points them there).
  (cd python/tests/extras && "$root/$venv/bin/python" check_extra.py "$extra")
done
