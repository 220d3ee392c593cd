#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), starting from the committed
# seeds and the local corpus (fuzz/corpus, not committed), then minimizes the corpus.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP=1 lets the one stable
# toolchain build with libFuzzer and AddressSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
for t in official_json data_format names addresses routes; do
  mkdir -p "fuzz/corpus/$t"
  cargo fuzz run "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- -max_total_time="$seconds" -max_len=8192
  cargo fuzz cmin "$t" "fuzz/corpus/$t"
done
