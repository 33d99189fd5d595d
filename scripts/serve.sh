#!/usr/bin/env bash
# Builds the release app and serves it on http://127.0.0.1:${PORT:-8080}.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
PORT="${PORT:-8080}"
echo "serve: Balance Lab at http://127.0.0.1:$PORT"
# No live-reload: its inline script would break the page's Content-Security-Policy.
exec trunk serve --release --offline --no-autoreload --address 127.0.0.1 --port "$PORT"
