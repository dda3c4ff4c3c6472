#!/usr/bin/env bash
# Headless Chromium and ChromeDriver for the docs browser test (Debian packages
# chromium and chromium-driver). Installs them when missing and possible (root with
# apt-get); otherwise says why, and the browser test skips with that message.
set -uo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "==> chromium not installed and cannot be (needs root and apt-get): the browser test will skip"
    exit 0
fi
echo "==> installing chromium and chromium-driver (apt-get)"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends chromium chromium-driver >/dev/null; }; then
    echo "==> apt-get could not install chromium: the browser test will skip"
fi
exit 0
