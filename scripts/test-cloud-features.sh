#!/usr/bin/env bash
# Each cloud's feature alone, as a user who wants one cloud builds it:
# - the library with each cloud alone, and with none, passes clippy -D warnings (the
#   code's allows for those builds are tested, not assumed);
# - aztags built with the default cloud alone (Public, the README's build) answers an
#   official file of each other cloud (--snapshot) exactly as the binary with every
#   cloud answers --cloud: regions, pairs and routes, stdout and exit code, for the
#   regions of that cloud's AzureMachineLearning tags (at most 8, spread over the sorted
#   list); the region tables of every cloud are compiled in. (The same code serves the
#   other clouds alone: tests/cli.rs checks every cloud's file in one build.)
set -euo pipefail
cd "$(dirname "$0")/.."
target=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clouds=(public government china)
declare -A file

cargo clippy --quiet --no-default-features -- -D warnings
cargo build --quiet --features cli,government,china --bin aztags
cp "$target/debug/aztags" "$work/aztags-all"
cargo build --quiet --no-default-features --features refresh --bin refresh-service-tags
# Each cloud's file under the name it came from (the name carries the date).
for cloud in "${clouds[@]}"; do
  mkdir "$work/$cloud"
  file[$cloud]=$work/$cloud/$(sed -n 's/^source //p' "data/$cloud/service-tags.txt")
  "$target/debug/refresh-service-tags" --cloud "$cloud" export "${file[$cloud]}" > /dev/null
done
for alone in "${clouds[@]}"; do
  cargo clippy --quiet --no-default-features --features "$alone" -- -D warnings
done
for alone in public; do
  cargo build --quiet --no-default-features --features "cli,$alone" --bin aztags
  cp "$target/debug/aztags" "$work/aztags-$alone"
  for other in "${clouds[@]}"; do
    [ "$other" = "$alone" ] && continue
    regions=$("$work/aztags-all" --no-age-warning --cloud "$other" tags --service AzureMachineLearning --format json |
      python3 -c '
import json, sys
regions = sorted({t["region"] for t in json.load(sys.stdin) if t["region"]})
print("\n".join(regions[:: -(-len(regions) // 8)]))')
    [ -n "$regions" ] || { echo "$other: no AzureMachineLearning region to compare"; exit 1; }
    n=0
    for region in $regions; do
      for args in "routes --region $region" "region $region"; do
        # shellcheck disable=SC2086 # the arguments are words
        want=$("$work/aztags-all" --no-age-warning --cloud "$other" $args 2>&1; echo "exit $?")
        # shellcheck disable=SC2086
        got=$("$work/aztags-$alone" --no-age-warning --snapshot "${file[$other]}" $args 2>&1; echo "exit $?")
        if [ "$got" != "$want" ]; then
          echo "aztags built with $alone alone answers '$args' on the $other file differently:"
          diff <(echo "$want") <(echo "$got") || true
          exit 1
        fi
        n=$((n + 1))
      done
    done
    echo "$alone alone: $n answers on the $other file agree with --cloud $other"
  done
done
