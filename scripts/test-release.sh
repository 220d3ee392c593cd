#!/usr/bin/env bash
# The data release as the weekly workflow runs it (`cargo xtask release`), checked on
# this checkout without changing it:
# - the docs' figures agree with data/ (`cargo xtask docs --check`);
# - a release on the files the pinned snapshots came from (from ../shared when it is
#   beside the checkout) changes nothing;
# - a release on an older file, or on one that drops a protected tag, is refused with a
#   message saying why, and leaves every tracked file byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo xtask docs --check

state() { git status --porcelain --untracked-files=all -- . ':!target' | sort; git diff | sha256sum; }
before=$(state)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source_of() { sed -n 's/^source //p' "data/$1/service-tags.txt"; }

shared=../shared/data/service-tags
if [ -d "$shared" ]; then
  mkdir "$work/pinned"
  for cloud in public government china; do
    file=$(source_of $cloud)
    [ -f "$shared/$file" ] && cp "$shared/$file" "$work/pinned/"
  done
  cargo xtask release --from "$work/pinned" --no-test | tee "$work/noop.log"
  grep -q '^nothing to release' "$work/noop.log"
  [ "$(state)" = "$before" ] || { echo "release on the pinned files changed the checkout"; git status --short; exit 1; }
else
  echo "note: $shared is not here: the no-op release is not checked"
fi

# Refused files, made from the pinned Public snapshot exported back to official JSON.
cargo run -q --no-default-features --features refresh --bin refresh-service-tags -- --cloud public export "$work/pinned.json"
refused() {
  local name=$1 expected=$2 edit=$3
  mkdir -p "$work/$name"
  python3 - "$work/pinned.json" "$work/$name" "$edit" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
if sys.argv[3] == "older":
    v["changeNumber"] -= 1
else:
    v["changeNumber"] += 1
    v["values"] = [t for t in v["values"] if not t["name"].startswith("AzureMachineLearning.")]
json.dump(v, open(sys.argv[2] + "/ServiceTags_Public_29991231.json", "w"))
PY
  if cargo xtask release --from "$work/$name" --clouds public --no-test 2> "$work/$name.err"; then
    echo "release of the $name file was not refused"; exit 1
  fi
  cat "$work/$name.err"
  grep -q "$expected" "$work/$name.err"
  grep -q "nothing was changed" "$work/$name.err"
  [ "$(state)" = "$before" ] || { echo "the refused $name release changed the checkout"; git status --short; exit 1; }
}
refused older "refusing to go back in time" older
refused dropped "no longer has AzureMachineLearning" dropped
echo "release checks passed: no-op release, older file and dropped protected tag refused"
