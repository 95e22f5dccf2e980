#!/bin/sh
# Headless Chromium for the playground test (playground/playground.test.ts): Debian's chromium at
# /usr/bin/chromium. Idempotent: installs only when it is missing (needs root and apt, as in CI).
set -e
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "provision-chromium: /usr/bin/chromium is missing; run as root: apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi
apt-get update
apt-get install -y --no-install-recommends chromium
