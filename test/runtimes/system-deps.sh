#!/usr/bin/env bash
# What the runtime tests need from the system rather than from npm: Debian's chromium (/usr/bin/chromium),
# driven headless by test/runtimes/browser.test.ts. Called by `npm run toolchains` (so by `npm test`) and
# by .ci/run. Installs it with apt-get when it is missing and this is root on a machine with apt-get;
# otherwise fails, naming the command to run. It never lets a test be skipped.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "test/runtimes/system-deps.sh: $CHROMIUM is missing; installing Debian's chromium with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  if [ -x "$CHROMIUM" ]; then
    exit 0
  fi
  echo "test/runtimes/system-deps.sh: apt-get install chromium finished but $CHROMIUM is still missing" >&2
  exit 1
fi

echo "test/runtimes/system-deps.sh: the runtime tests need Debian's chromium at $CHROMIUM; install it with:" >&2
echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
exit 1
