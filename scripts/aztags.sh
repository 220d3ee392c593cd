# Sourced by the scripts that run aztags. `build_aztags FEATURES` builds it in release
# with FEATURES and prints the binary's path as cargo reports it, so CARGO_TARGET_DIR
# and a configured target directory are followed.
build_aztags() {
  cargo build --release --quiet --features "$1" --bin aztags --message-format=json-render-diagnostics |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "aztags" and m.get("executable"):
        print(m["executable"])'
}
