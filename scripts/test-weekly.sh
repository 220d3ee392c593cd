#!/usr/bin/env bash
# The weekly data release rehearsed end to end, with no network, on a scratch clone of
# this checkout whose remote is a local bare repository, against a loopback
# "Microsoft" (a details page in today's __DLCDetails__ shape) and a stand-in `gh`
# (scripts/gh-standin) that records its calls. The weeks are synthetic, made from
# data/public by `cargo xtask next-week`, so the rehearsal follows the data:
#   1. week 1: a release branch with one commit on main, pushed; a pull request opened
#      with the release notes as its body; its checks, `cargo test --all-features` and
#      `cargo publish --dry-run`, pass on the release commit with no hand edit;
#   2. week 2: the same pull request updated, not a second one;
#   3. week 2 again: nothing to release, exit 0, nothing pushed;
#   4. refused files (older; dropping a protected tag): exit 2 with the reason, nothing
#      pushed, and (--report-failures) an issue opened, then commented on;
#   and the docs' figures agree with data/, and a release on the files the pinned
#   snapshots came from (from ../shared when it is beside the checkout) is a no-op.
# Builds share this checkout's target directory, so run it after the steps that use
# target/release/aztags.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cargo xtask docs --check

work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "weekly rehearsal: $*" >&2; exit 1; }

# The remote, and the clone the weekly job runs in.
git init --quiet --bare "$work/remote.git"
git push --quiet "$work/remote.git" HEAD:refs/heads/main
git clone --quiet --branch main "$work/remote.git" "$work/clone"
git -C "$work/clone" config user.name "weekly rehearsal"
git -C "$work/clone" config user.email "rehearsal@example.invalid"
remote_head() { git --git-dir="$work/remote.git" rev-parse --verify --quiet refs/heads/data-release || true; }

# The stand-in gh, first on PATH.
mkdir -p "$work/bin"
cp scripts/gh-standin "$work/bin/gh"
export GH_STANDIN=$work/gh PATH="$work/bin:$PATH"

# The loopback "Microsoft": a directory served on 127.0.0.1 (any port), whose details
# page links to the week it is given.
mkdir -p "$work/mirror/en-us/download"
python3 - "$work/mirror" "$work/port" <<'PY' &
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
open(sys.argv[2] + ".tmp", "w").write(str(server.server_address[1]))
__import__("os").replace(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
PY
server=$!
for _ in $(seq 50); do [ -f "$work/port" ] && break; sleep 0.1; done
base=http://127.0.0.1:$(cat "$work/port")
publish() {
  local file=$1 name
  name=$(basename "$file")
  mkdir -p "$work/mirror/download/rehearsal"
  cp "$file" "$work/mirror/download/rehearsal/$name"
  printf '<html><head><script>window.__DLCDetails__={"dlcDetailsView":{"downloadFile":[{"name":"%s","url":"%s/download/rehearsal/%s"}]}};</script></head></html>' \
    "$name" "$base" "$name" > "$work/mirror/en-us/download/details.aspx"
}
weekly() { (cd "$work/clone" && CARGO_TARGET_DIR=$root/target cargo xtask weekly --clouds public "$@"); }

# 1. Week 1: released, checked, pushed, proposed.
cargo xtask next-week --out "$work/week1" --weeks 1
publish "$work/week1"/*.json
weekly --download --mirror "$base" \
  --check "cargo test --all-features" \
  --check "cargo publish --dry-run --locked -p azure-service-tags" | tee "$work/run1.log"
first=$(remote_head)
[ -n "$first" ] || fail "week 1 pushed no data-release branch"
[ "$(git --git-dir="$work/remote.git" rev-list --count main.."$first")" = 1 ] || fail "the branch is not one commit on main"
grep -q "^pull request opened" "$work/run1.log" || fail "no pull request was opened"
[ "$(git -C "$work/clone" rev-parse --abbrev-ref HEAD)" = main ] || fail "the clone was not left on main"
[ "$(grep -c '^pr create' "$GH_STANDIN/calls.log")" = 1 ] || fail "expected one gh pr create"
old=$(sed -n 's/^changeNumber //p' data/public/service-tags.txt)
grep -q "changeNumber $old → $((old + 1))" "$GH_STANDIN/pr-1.md" || fail "the pull request body is not the release notes"
# (Into a file first: grep -q stops reading at the match, and under pipefail the
# writer's broken pipe would fail the check.)
git --git-dir="$work/remote.git" show "$first:CHANGELOG.md" > "$work/changelog.md"
grep -q "changeNumber $old → $((old + 1))" "$work/changelog.md" || fail "the commit has no CHANGELOG entry"
version=$(git --git-dir="$work/remote.git" show "$first:Cargo.toml" | sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p')
git --git-dir="$work/remote.git" show "$first:fuzz/Cargo.lock" > "$work/fuzz.lock"
grep -A1 '^name = "azure-service-tags"$' "$work/fuzz.lock" | grep -q "^version = \"$version\"$" ||
  fail "fuzz/Cargo.lock does not name the released version $version"

# 2. Week 2: the same pull request, updated.
cargo xtask next-week --out "$work/week2" --weeks 2
publish "$work/week2"/*.json
weekly --download --mirror "$base" --check "cargo xtask docs --check" | tee "$work/run2.log"
second=$(remote_head)
[ "$second" != "$first" ] || fail "week 2 was not pushed"
[ "$(git --git-dir="$work/remote.git" rev-list --count main.."$second")" = 1 ] || fail "week 2 is not one commit on main"
grep -q "^pull request #1 updated" "$work/run2.log" || fail "the open pull request was not updated"
[ "$(grep -c '^pr create' "$GH_STANDIN/calls.log")" = 1 ] || fail "a second pull request was opened"
grep -q "changeNumber $old → $((old + 2))" "$GH_STANDIN/pr-1-edit-1.md" || fail "the updated body is not week 2's notes"

# 3. Week 2 again: nothing to release, nothing pushed.
calls=$(wc -l < "$GH_STANDIN/calls.log")
weekly --download --mirror "$base" --check false | tee "$work/run3.log"
grep -q "^nothing to release" "$work/run3.log" || fail "the same week was not 'nothing to release'"
[ "$(remote_head)" = "$second" ] || fail "the same week pushed"
[ -z "$(tail -n +$((calls + 1)) "$GH_STANDIN/calls.log" | grep -v '^pr list')" ] || fail "the same week called gh beyond pr list"

# 4. Refused files: nothing pushed, the reason, an issue.
cargo run --quiet --no-default-features --features refresh --bin refresh-service-tags -- --cloud public export "$work/pinned.json" > /dev/null
refused() {
  local name=$1 expected=$2
  mkdir -p "$work/$name"
  python3 - "$work/pinned.json" "$work/$name" "$name" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
if sys.argv[3] == "older":
    v["changeNumber"] -= 1
else:
    v["changeNumber"] += 1
    v["values"] = [t for t in v["values"] if not t["name"].startswith("AzureMachineLearning.")]
json.dump(v, open(sys.argv[2] + "/ServiceTags_Public_29991231.json", "w"))
PY
  local code=0
  weekly --from "$work/$name" --report-failures --check false 2> "$work/$name.err" || code=$?
  cat "$work/$name.err"
  [ "$code" = 2 ] || fail "the $name file: exit $code, not 2"
  grep -q "$expected" "$work/$name.err" || fail "the $name file's error does not say why"
  [ "$(remote_head)" = "$second" ] || fail "the $name file pushed"
  [ -z "$(git -C "$work/clone" status --porcelain)" ] || fail "the $name file changed the clone"
  [ "$(git -C "$work/clone" rev-parse --abbrev-ref HEAD)" = main ] || fail "the $name file made a branch"
}
refused older "refusing to go back in time"
grep -q "refusing to go back in time" "$GH_STANDIN/issue-1.md" || fail "no issue for the refused file"
refused dropped "no longer has AzureMachineLearning"
ls "$GH_STANDIN"/issue-1-comment-*.md > /dev/null || fail "the second failure did not comment on the open issue"

# The files the pinned snapshots came from give nothing to release.
shared=../shared/data/service-tags
if [ -d "$shared" ]; then
  mkdir "$work/pinned"
  for cloud in public government china; do
    file=$(sed -n 's/^source //p' "data/$cloud/service-tags.txt")
    [ -f "$shared/$file" ] && cp "$shared/$file" "$work/pinned/"
  done
  (cd "$work/clone" && CARGO_TARGET_DIR=$root/target cargo xtask weekly --from "$work/pinned" --check false) | tee "$work/noop.log"
  grep -q '^nothing to release' "$work/noop.log" || fail "the pinned files were not a no-op"
else
  echo "note: $shared is not here: the no-op release on the pinned files is not checked"
fi
[ "$(remote_head)" = "$second" ] || fail "a no-op pushed"
echo "weekly rehearsal passed: opened, updated, nothing new, refused (with issues), no-op"
