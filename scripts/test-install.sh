#!/usr/bin/env bash
# The README's install lines for a checkout, run as written (each line is first found
# in README.md, so the README and this test cannot drift apart):
# - Rust: `cargo add azure-service-tags --path ...` in a new project, whose main is the
#   README's Rust example, built and run;
# - the CLI: `cargo install --path . --features cli`, then the README's main job with
#   the installed aztags;
# - Python: a new virtual environment, activated, and `scripts/install-python.sh
#   '[duckdb]'`; then the native DuckDB extension answers a query (the table functions
#   only it has) and the Spark jar is in the package.
# Needs a JDK 17 or newer (the jar). Builds share this checkout's target directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
documented() {
  grep -qF -- "$1" README.md || { echo "README.md no longer says: $1"; exit 1; }
}

# Rust: the dependency from the checkout, and the README's example as a program.
documented "cargo add azure-service-tags --path /path/to/azure-service-tags"
cargo new --quiet --vcs none "$work/demo"
(cd "$work/demo" && cargo add --quiet azure-service-tags --path "$root")
python3 - "$work/demo/src/main.rs" <<'PY'
import re, sys
readme = open("README.md").read()
example = re.search(r"### Rust\n.*?```rust\n(.*?)```", readme, re.S).group(1)
uses = [l for l in example.splitlines() if l.startswith("use ")]
body = [l for l in example.splitlines() if not l.startswith("use ")]
open(sys.argv[1], "w").write("\n".join(uses) + "\n\nfn main() {\n" + "\n".join("    " + l for l in body) + "\n}\n")
PY
(cd "$work/demo" && CARGO_TARGET_DIR="$root/target/install-demo" cargo run --quiet) > "$work/demo.out"
grep -q "AzureMachineLearning" "$work/demo.out" || { cat "$work/demo.out"; echo "the README's example printed no tag"; exit 1; }
echo "Rust: the README's example ran against the checkout ($(wc -l < "$work/demo.out") lines)"

# The CLI, installed from the checkout, runs the README's main job.
documented "cargo install --path . --features cli"
# (In this checkout's target directory: the release build of the main job is reused.)
CARGO_TARGET_DIR=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])') \
  cargo install --quiet --locked --path . --features cli --root "$work/cargo-root"
documented "routes --region eastus2"
"$work/cargo-root/bin/aztags" --version
"$work/cargo-root/bin/aztags" --no-age-warning routes --region eastus2 | head -n 4

# Python, from the checkout, into an activated environment.
documented "python3 -m venv .venv && . .venv/bin/activate"
documented "scripts/install-python.sh '[duckdb]'"
python3 -m venv "$work/.venv"
(
  # shellcheck disable=SC1091 # made just above
  . "$work/.venv/bin/activate"
  scripts/install-python.sh '[duckdb]'
  cd python/tests/extras
  python check_extra.py duckdb
  python -c 'import azure_service_tags.spark as azs; p = azs.jar_path(); assert p, "no Spark jar"; print("Spark jar:", p)'
)
