#!/usr/bin/env bash
# Builds the DuckDB extension (duckdb-extension/) and writes
# target/duckdb/azure_service_tags.duckdb_extension: the release library with the
# metadata footer DuckDB checks on LOAD appended (512 bytes of fields and an empty
# signature behind a 22-byte header: metadata version 4, the platform, the minimum C
# API version, the extension's version, ABI C_STRUCT). Unsigned: load it with
# allow_unsigned_extensions. On Linux it is linked by maturin's zig (from
# python/requirements-release.txt) against glibc 2.17, as the wheel is, so the file
# the Python package ships loads wherever the wheel installs. DuckDB before 1.3 names
# the Linux platforms with a _gcc4 suffix and loads only files that say so: the same
# library with that footer is written to target/duckdb/<platform>_gcc4/ (the file name
# must stay: DuckDB finds the entry point by it). Both are copied, for the wheel, to
# python/azure_service_tags/duckdb_extension/<platform>/. Prints the main file's path.
set -euo pipefail
cd "$(dirname "$0")/.."
# Cargo's progress only when asked (install-python.sh sets AZURE_SERVICE_TAGS_PROGRESS).
quiet=--quiet
[ -n "${AZURE_SERVICE_TAGS_PROGRESS:-}" ] && quiet=
# A target directory of its own: maturin's zig build of the wheel (build-wheels.sh)
# compiles the same dependencies for the same triple with other flags, and in one
# directory each build made the other's stale (CI rebuilt the extension, 231 s).
build=target/duckdb-build
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux_amd64 triple=x86_64-unknown-linux-gnu ;;
  Linux-aarch64) platform=linux_arm64 triple=aarch64-unknown-linux-gnu ;;
  Darwin-arm64) platform=osx_arm64 triple=aarch64-apple-darwin ;;
  Darwin-x86_64) platform=osx_amd64 triple=x86_64-apple-darwin ;;
  *) echo "build-duckdb-extension: no DuckDB platform name for $(uname -sm)" >&2; exit 1 ;;
esac
case "$platform" in
  linux_*)
    . scripts/release-tools.sh >&2
    mkdir -p target/zig
    linker=$PWD/target/zig/cc-$triple.sh
    printf '#!/bin/sh\nexec "%s/maturin" zig cc -- -target %s.2.17 -g "$@"\n' \
      "$tools" "${triple%%-*}-linux-gnu" > "$linker"
    chmod +x "$linker"
    var=CARGO_TARGET_$(echo "$triple" | tr 'a-z-' 'A-Z_')_LINKER
    env PATH="$tools:$PATH" "$var=$linker" \
      cargo build --release $quiet -p azure-service-tags-duckdb --target "$triple" --target-dir "$build" >&2 ;;
  *) cargo build --release $quiet -p azure-service-tags-duckdb --target "$triple" --target-dir "$build" >&2 ;;
esac
lib=$build/$triple/release/libazure_service_tags.so
[ -f "$lib" ] || lib=$build/$triple/release/libazure_service_tags.dylib
version=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "azure-service-tags-duckdb"))')
mkdir -p target/duckdb
out=target/duckdb/azure_service_tags.duckdb_extension
# The footer: a 22-byte header, eight 32-byte fields last to first, a 256-byte signature.
footer() {
  python3 - "$lib" "$1.tmp" "$2" "v$version" <<'PY'
import sys
lib, out, platform, version = sys.argv[1:]
fields = [b"4", platform.encode(), b"v1.2.0", version.encode(), b"C_STRUCT", b"", b"", b""]
footer = bytes([0, 147, 4, 16]) + b"duckdb_signature" + bytes([128, 4])
footer += b"".join(f.ljust(32, b"\0")[:32] for f in reversed(fields)) + bytes(256)
assert len(footer) == 534
with open(lib, "rb") as f:
    body = f.read()
with open(out, "wb") as f:
    f.write(body + footer)
PY
  mv "$1.tmp" "$1"
}
footer "$out" "$platform"
case "$platform" in
  linux_*)
    mkdir -p "target/duckdb/${platform}_gcc4"
    footer "target/duckdb/${platform}_gcc4/azure_service_tags.duckdb_extension" "${platform}_gcc4" ;;
esac
staged=python/azure_service_tags/duckdb_extension
rm -rf "$staged"
mkdir -p "$staged/$platform"
cp "$out" "$staged/$platform/"
if [ -d "target/duckdb/${platform}_gcc4" ]; then
  mkdir -p "$staged/${platform}_gcc4"
  cp "target/duckdb/${platform}_gcc4/azure_service_tags.duckdb_extension" "$staged/${platform}_gcc4/"
fi
echo "$out"
