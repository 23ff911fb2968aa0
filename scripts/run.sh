#!/usr/bin/env bash
# Builds Parley (release) and runs parleyd with config/parley.jsonc on a fresh Debian 12 machine:
# data in ./data, a self-signed certificate generated there on first start, XMPP on
# 127.0.0.1:5222 (STARTTLS) and 127.0.0.1:5223 (direct TLS). Stop with Ctrl-C.
#   ./scripts/run.sh [extra parleyd options]
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
jobs="${PARLEY_JOBS:-$(nproc)}"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DPARLEY_BUILD_TESTS=OFF >/dev/null
cmake --build build/release --target parleyd parleyctl -j"$jobs"

echo "run: parleyd starting; add a user in another terminal with:"
echo "  build/release/gateway/app/parleyctl --config config/parley.jsonc account add alice@localhost"
exec build/release/gateway/app/parleyd --config config/parley.jsonc "$@"
