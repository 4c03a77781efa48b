#!/usr/bin/env bash
# What the tests need from the system rather than from npm: Debian's chromium (/usr/bin/chromium), driven
# headless by test/runtimes/browser.test.ts, and Debian's redis-server, which test/fleet starts on loopback.
# Called by `npm run toolchains` (so by `npm test`) and by .ci/run. Installs what is missing with apt-get when
# this is root on a machine with apt-get; otherwise fails, naming the command to run. It never lets a test be
# skipped.
set -euo pipefail

declare -A NEEDED=([/usr/bin/chromium]=chromium [/usr/bin/redis-server]=redis-server)
missing=()
for binary in "${!NEEDED[@]}"; do
  [ -x "$binary" ] || missing+=("${NEEDED[$binary]}")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "test/system-deps.sh: installing Debian's ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for binary in "${!NEEDED[@]}"; do
    if [ ! -x "$binary" ]; then
      echo "test/system-deps.sh: apt-get install finished but $binary is still missing" >&2
      exit 1
    fi
  done
  exit 0
fi

echo "test/system-deps.sh: the tests need Debian's ${missing[*]}; install with:" >&2
echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
exit 1
