#!/usr/bin/env bash
# CI for examples/monorepo: install the example from its committed lock, check that the committed client
# is fresh (offline, from the committed refold.lock.json), typecheck through Turborepo and build through
# Nx (each run twice: the second must come from the cache), then make typed calls through the built
# service against the local emulator, and check that no file changed.
#
# Needs the repository root installed and built first (`npm ci` at the root runs `prepare`), since the
# example links refold-codegen from it. Never calls Refold: no credentials are passed on, and an accidental
# API call would go to a closed port on 127.0.0.1. Writes no tracked file (checked at the end).
set -euo pipefail
cd "$(dirname "$0")"
example=$(pwd)
started=$SECONDS
step() { printf '== example: %s (%ss)\n' "$1" "$((SECONDS - started))"; }
fail() { printf 'examples/monorepo/ci.sh: %s\n' "$1" >&2; exit 1; }

if [ ! -f ../../dist/generator/cli.js ]; then
  echo "examples/monorepo/ci.sh: build the repository first (npm ci at its root runs prepare)" >&2
  exit 2
fi

# No telemetry, no cloud, no daemon, no colors, no prompts; and no Refold credentials.
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
export NO_COLOR=1 FORCE_COLOR=0
unset REFOLD_API_KEY REFOLD_SESSION_TOKEN REFOLD_LINKED_ACCOUNT_ID
export REFOLD_BASE_URL=http://127.0.0.1:9

tmp=$(mktemp -d)
mock_pid=
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Every file git does not ignore, with its content hash, to prove at the end that nothing changed.
in_git=false
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then in_git=true; fi
snapshot() {
  git ls-files -z --cached --others --exclude-standard -- . | sort -z |
    while IFS= read -r -d '' file; do
      if [ -f "$file" ]; then printf '%s  %s\n' "$(git hash-object -- "$file")" "$file"; else printf 'missing  %s\n' "$file"; fi
    done
}
if $in_git; then snapshot >"$tmp/before"; fi

step "install (npm ci from the committed package-lock.json)"
npm ci --no-audit --no-fund
bin=$example/node_modules/.bin

step "generate --check (offline, from the committed refold.lock.json)"
npm run --silent check ||
  fail "the committed client is stale. After changing the generator or its runtime, regenerate it:
  (cd examples/monorepo && npm ci && npm run generate), then commit packages/refold-client/generated"

step "typecheck through Turborepo (cold cache: generate, then both packages)"
"$bin/turbo" run typecheck --cache-dir="$tmp/turbo" --output-logs=errors-only

step "the same again: every task from the cache"
"$bin/turbo" run typecheck --cache-dir="$tmp/turbo" --output-logs=errors-only | tee "$tmp/turbo-warm.log"
grep -q "FULL TURBO" "$tmp/turbo-warm.log" || fail "the second turbo run was not served by the cache"

step "build through Nx (cold cache), then again from the cache"
export NX_CACHE_DIRECTORY=$tmp/nx NX_WORKSPACE_DATA_DIRECTORY=$tmp/nx-data
nx_build() {
  "$bin/nx" run-many -t build --outputStyle=static >"$tmp/nx.log" 2>&1 || { cat "$tmp/nx.log" >&2; fail "nx run-many -t build failed"; }
  grep -E "Successfully ran|Cache:" "$tmp/nx.log"
}
nx_build
rm -rf packages/refold-client/dist packages/service/dist # the cache must give them back
nx_build
grep -q "Cache: *3/3 hit (100%)" "$tmp/nx.log" || { cat "$tmp/nx.log" >&2; fail "the second nx run was not served by the cache"; }
[ -f packages/refold-client/dist/index.js ] && [ -f packages/service/dist/main.js ] || fail "nx did not restore dist/ from its cache"

step "a typed call through the built service, against the local emulator"
(cd packages/refold-client &&
  REFOLD_API_KEY=tk_ci exec "$bin/refold-codegen" mock --lock refold.lock.json --port 0 --json) >"$tmp/mock.log" 2>&1 &
mock_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/.*"event":"listening","url":"\([^"]*\)".*/\1/p' "$tmp/mock.log")
  if [ -n "$url" ]; then break; fi
  kill -0 "$mock_pid" 2>/dev/null || { cat "$tmp/mock.log" >&2; fail "the emulator did not start"; }
  sleep 0.1
done
[ -n "$url" ] || fail "the emulator did not report its address"
REFOLD_BASE_URL=$url REFOLD_API_KEY=tk_ci node packages/service/dist/main.js customer-42 jane@example.com >"$tmp/ok.json" ||
  { cat "$tmp/ok.json" >&2; fail "the service's call failed"; }
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  if (!r.ok || r.contact.action !== "hubspot.create_contact" || r.contact.account !== "customer-42" ||
      r.issue.echo.issue_type !== "Task") { console.error(r); process.exit(1); }
  console.log("created", r.contact.action, "and", r.issue.action, "for", r.contact.account);
' "$tmp/ok.json"
status=0
REFOLD_BASE_URL=$url REFOLD_API_KEY=tk_wrong node packages/service/dist/main.js >"$tmp/denied.json" || status=$?
[ "$status" = 1 ] && grep -q '"status": 401' "$tmp/denied.json" && grep -q 'check REFOLD_API_KEY' "$tmp/denied.json" ||
  { cat "$tmp/denied.json" >&2; fail "a wrong key did not end in a handled RefoldAuthenticationError"; }
echo "a wrong key: handled 401 with its hint"
kill "$mock_pid" && wait "$mock_pid" 2>/dev/null || true
mock_pid=

if $in_git; then
  step "no tracked or new file changed"
  snapshot >"$tmp/after"
  if ! diff "$tmp/before" "$tmp/after"; then fail "running the example changed the files above"; fi
fi
step "done"
