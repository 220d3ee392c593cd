#!/usr/bin/env bash
# Writes the DuckDB community-extensions entry (duckdb-extension/description.template.yml
# with the workspace version, REPOSITORY (owner/name on GitHub), REF (the released
# commit, 40 hex digits) and MAINTAINER (a GitHub handle) filled in) to OUT, then checks
# it against duckdb-extension/description.schema.json with check-jsonschema.
# Usage: duckdb-description.sh REPOSITORY REF MAINTAINER OUT. The publish workflow runs
# it on each release; CI runs it on HEAD.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 4 ] || { echo "usage: $0 REPOSITORY REF MAINTAINER OUT" >&2; exit 2; }
repository=$1 ref=$2 maintainer=$3 out=$4
. scripts/release-tools.sh
mkdir -p "$(dirname "$out")"
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
sed -e "s|@VERSION@|$version|" -e "s|@REPOSITORY@|$repository|" -e "s|@REF@|$ref|" \
  -e "s|@MAINTAINER@|$maintainer|" duckdb-extension/description.template.yml > "$out.tmp"
if grep -q '@[A-Z]*@' "$out.tmp"; then
  echo "duckdb-description: a placeholder is left in $out" >&2; rm -f "$out.tmp"; exit 1
fi
"$tools/check-jsonschema" --default-filetype yaml --schemafile duckdb-extension/description.schema.json "$out.tmp" >&2 ||
  { rm -f "$out.tmp"; exit 1; }
mv "$out.tmp" "$out"
