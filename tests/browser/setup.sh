#!/usr/bin/env bash
# Installs a headless Chromium for the report screenshot test. Idempotent: does nothing when a
# Chromium is already on the machine. Prints the browser's path on its last line.
set -euo pipefail

for candidate in "${CSC_RETURNS_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
        echo "$candidate"
        exit 0
    fi
done

if ! command -v apt-get >/dev/null 2>&1; then
    echo "tests/browser/setup.sh: no Chromium found and no apt-get to install one; install Chromium and set CSC_RETURNS_CHROMIUM to its path" >&2
    exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq chromium >&2
echo /usr/bin/chromium
