#!/usr/bin/env bash
# Measures what criterion does not: the cold build of a small program that depends on
# the crate (default features), how long build.rs runs, and the CLI's bulk lookup
# throughput on five million mixed addresses. Prints a Markdown table. (The static size
# of the tables is a figure of `cargo xtask docs`.) Run from the repository root:
# scripts/measure.sh
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Cold build of a dependent program.
mkdir -p "$work/dep/src"
cat > "$work/dep/Cargo.toml" <<TOML
[package]
name = "dep"
version = "0.1.0"
edition = "2021"
[dependencies]
azure-service-tags = { path = "$root" }
TOML
cat > "$work/dep/src/main.rs" <<'RS'
fn main() {
    let ip = "20.41.0.241".parse().unwrap();
    println!("{}", azure_service_tags::public().tags_containing(ip).count());
}
RS
ms() { echo $(( ($2 - $1) / 1000000 )); }
start=$(date +%s%N)
(cd "$work/dep" && CARGO_TARGET_DIR="$work/dep-target" cargo build -q --release)
cold=$(ms "$start" "$(date +%s%N)")

# 2. build.rs run time: run the compiled build script again, as cargo would.
script=$(ls -d "$work"/dep-target/release/build/azure-service-tags-*/build-script-build | head -n 1)
out=$(mktemp -d)
start=$(date +%s%N)
(cd "$root" && OUT_DIR="$out" CARGO_FEATURE_PUBLIC=1 "$script" > /dev/null)
buildrs=$(ms "$start" "$(date +%s%N)")
generated=$(wc -c < "$out/public.rs")
rm -rf "$out"

# 3. CLI bulk lookup throughput.
. "$root/scripts/aztags.sh"
aztags=$(cd "$root" && build_aztags cli)
# Five million lines: half uniformly random IPv4 addresses, 40% hosts inside Azure IPv4
# prefixes and 10% inside Azure IPv6 prefixes (from data/public), shuffled.
python3 - "$work/ips.txt" "$root/data/public/service-tags.txt" <<'PY'
import ipaddress, random, sys
random.seed(7)
v4, v6 = [], []
for line in open(sys.argv[2]):
    line = line.strip()
    if "/" in line and " " not in line:
        n = ipaddress.ip_network(line)
        (v6 if n.version == 6 else v4).append(n)
def host(n):
    return n.network_address + random.randrange(n.num_addresses)
with open(sys.argv[1], "w") as f:
    for i in range(5_000_000):
        r = i % 10
        if r < 5:
            f.write("%d.%d.%d.%d\n" % tuple(random.randrange(256) for _ in range(4)))
        elif r < 9:
            f.write("%s\n" % host(random.choice(v4)))
        else:
            f.write("%s\n" % host(random.choice(v6)))
PY
# Best of ten, on every core and (taskset) on one: the CLI answers blocks of the
# input side by side, one thread a core.
lookup_ms() {
  local best=999999 start t
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    start=$(date +%s%N)
    "$@" "$aztags" --no-age-warning lookup --file "$work/ips.txt" > /dev/null || true
    t=$(ms "$start" "$(date +%s%N)")
    [ "$t" -lt "$best" ] && best=$t
  done
  echo "$best"
}
rate() { echo $(( 5000000 * 1000 / ($1 > 0 ? $1 : 1) )); }
cores=$(nproc)
best=$(lookup_ms env)
one=$(lookup_ms taskset -c 0)

echo "| measure | value |"
echo "| --- | --- |"
echo "| cold \`cargo build --release\` of a dependent program | ${cold} ms |"
echo "| \`build.rs\` run (Public) | ${buildrs} ms (writes ${generated} bytes of Rust) |"
echo "| \`aztags lookup --file\` on 5,000,000 mixed addresses to /dev/null, ${cores} cores | ${best} ms, $(rate "$best") lines/s (best of 10) |"
echo "| the same on one core (\`taskset -c 0\`) | ${one} ms, $(rate "$one") lines/s (best of 10) |"
