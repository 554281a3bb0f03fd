#!/usr/bin/env bash
# Installs and starts what the browser and service tests need, when it is missing.
set -u
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed"
fi
exit 0
