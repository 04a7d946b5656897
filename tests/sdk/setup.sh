#!/usr/bin/env bash
# Installs what tests/sdk/oracle.py needs: the pinned SDKs into .venv, and jdcloud_sdk 1.6.94
# (the newest release that signs with JDCLOUD2-HMAC-SHA256) into .venv/jdcloud2, where the
# oracle loads it under another module name beside the current jdcloud_sdk. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python3 ] || python3 -m venv .venv
.venv/bin/pip install --quiet -r tests/sdk/requirements.txt
if [ ! -f .venv/jdcloud2/jdcloud_sdk/core/signer.py ]; then
  .venv/bin/pip install --quiet --no-deps --target .venv/jdcloud2 'jdcloud_sdk==1.6.94'
fi
