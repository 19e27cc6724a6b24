#!/usr/bin/env bash
# Build the standalone one-folder app into dist/viva/ with PyInstaller (packaging/viva.spec): the app, Python,
# every library, the default models, the question bank, the prompts and the VAD asset.
# Linux: sets everything up itself (scripts/setup.sh). macOS / Windows (Git Bash): see packaging/README.md.
# PyInstaller is a build tool, never a runtime dependency: it comes from the `packaging` extra.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v dpkg-query >/dev/null 2>&1; then
  scripts/setup.sh  # Debian/Ubuntu: system packages, .venv, default models (idempotent)
fi
PY=.venv/bin/python
[[ -x $PY ]] || PY=.venv/Scripts/python.exe
if [[ ! -x $PY ]]; then
  echo "build: no .venv: create it and install Viva first (packaging/README.md)" >&2
  exit 1
fi
"$PY" -m app.modelstore fetch --set default  # the models the build bundles, checked against the manifest
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "build: installing PyInstaller into .venv (the packaging extra)"
  "$PY" -m pip install -q -e '.[packaging]'
fi

start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/viva.spec
echo "build: dist/viva/ built in $(( $(date +%s) - start )) s, $(du -sh dist/viva | cut -f1)"
