#!/usr/bin/env bash
# Set everything up (idempotent, including the optional test models) and run the whole test suite:
# lint (ruff), types (mypy), then pytest with real models, a real SQLite file and a real (offscreen/Xvfb) Qt.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
export VIVA_TEST_OUTPUT=${VIVA_TEST_OUTPUT:-$PWD/test-output}
mkdir -p "$VIVA_TEST_OUTPUT"
echo "== ruff"; .venv/bin/ruff check app tests bench
echo "== mypy"; .venv/bin/mypy
echo "== pytest"
# xvfb-run provides a real X display for the one test that opens a real window; the rest run offscreen.
exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/pytest "$@"
