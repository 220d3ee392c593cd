#!/usr/bin/env bash
# What a release uploads to PyPI, built into target/dist: the abi3 wheel for
# manylinux2014 (glibc 2.17, so PyPI and older cluster images take it), built with
# maturin's zig mode, carrying the DuckDB extension (build-duckdb-extension.sh) and the
# Spark jar (build-jar.sh), and the sdist; then auditwheel checks the wheel's platform
# tag. With AZURE_SERVICE_TAGS_PROGRESS set (install-python.sh), each step and cargo's
# progress are printed.
# The release workflow runs this same script.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/release-tools.sh
quiet=--quiet
say() { :; }
if [ -n "${AZURE_SERVICE_TAGS_PROGRESS:-}" ]; then
  quiet=
  say() { echo "--> $*" >&2; }
fi
rm -rf target/dist
say "the DuckDB extension (scripts/build-duckdb-extension.sh)"
scripts/build-duckdb-extension.sh > /dev/null
say "the Spark jar (scripts/build-jar.sh)"
scripts/build-jar.sh > /dev/null
say "the abi3 wheel (maturin, zig, manylinux2014) and the sdist"
PATH="$tools:$PATH" maturin build --release $quiet --zig --compatibility manylinux2014 \
  --manifest-path python/Cargo.toml --out target/dist
"$tools/maturin" sdist --manifest-path python/Cargo.toml --out target/dist
wheel=$(ls target/dist/*.whl)
shown=$("$tools/auditwheel" show "$wheel")
echo "$shown"
case "$wheel" in
  *-cp39-abi3-*manylinux_2_17_x86_64*.whl) ;;
  *) echo "unexpected wheel name: $wheel"; exit 1 ;;
esac
echo "$shown" | grep -q 'manylinux_2_17_x86_64' || { echo "auditwheel: not manylinux_2_17"; exit 1; }
ls -l target/dist
