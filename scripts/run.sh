#!/usr/bin/env bash
# Set everything up (idempotent) and start the Viva desktop app. Extra arguments go to `viva`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/viva "$@"
