#!/usr/bin/env bash
# Smoke-test the built app (dist/viva/) the way a user without Python runs it: the folder copied elsewhere,
# a clean environment (no venv, no PYTHONPATH, a fresh HOME and data dir), headless.
# Usage: packaging/smoke.sh [DIST_DIR]   (default: dist/viva)
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${1:-dist/viva}
CLIP=$PWD/tests/data/speech/whisper_jfk.flac
[[ -x $DIST/viva ]] || { echo "smoke: $DIST/viva not found: run packaging/build.sh first" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$DIST" "$work/app"  # nothing may depend on where it was built
mkdir -p "$work/home"
viva() {
  (cd "$work" && env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 VIVA_HOME="$work/data" \
    QT_QPA_PLATFORM=offscreen "$work/app/viva" "$@")
}
passed=0
fail() { echo "smoke: FAILED: $*" >&2; echo "smoke: $passed passed, 1 failed"; exit 1; }
step() { [[ -n ${current:-} ]] && passed=$((passed + 1)); current=$*; echo "smoke: $*"; }

step "viva --version"
version=$(viva --version)
[[ $version == "viva "* ]] || fail "--version printed '$version'"

step "viva models"
viva models > "$work/models.txt" || fail "viva models exited $?: $(cat "$work/models.txt")"
grep -Eq '^\* whisper-tiny\.en .* ok ' "$work/models.txt" || fail "Whisper tiny.en not ok: $(cat "$work/models.txt")"
grep -Eq '^\* smollm2-135m-instruct .* ok ' "$work/models.txt" || fail "SmolLM2 not ok: $(cat "$work/models.txt")"

step "viva bank list (the question bank inside the package)"
viva bank list > "$work/bank.txt" || fail "viva bank list exited $?"
grep -Eq '^beh-proud-project +behavioral ' "$work/bank.txt" || fail "no bundled questions: $(head -3 "$work/bank.txt")"

step "viva analyze whisper_jfk.flac --json (Whisper, VAD, delivery)"
viva analyze "$CLIP" --json > "$work/analyze.json" || fail "viva analyze exited $?"
grep -qi '"text": "and so,\? my fellow americans,\? ask not what your country can do for you' "$work/analyze.json" \
  || fail "unexpected transcript: $(grep -m1 '"text"' "$work/analyze.json")"
grep -q '"wpm": ' "$work/analyze.json" || fail "no delivery figures"

step "viva import whisper_jfk.flac --question beh-proud-project (the LLM judge, the store)"
viva import "$CLIP" --question beh-proud-project --json > "$work/import.json" || fail "viva import exited $?"
grep -q '"rubric": "star"' "$work/import.json" || fail "no STAR rubric result"
grep -q '"name": "smollm2-135m-instruct"' "$work/import.json" || fail "not scored by the bundled LLM"
viva sessions --json | grep -q '"title": "import"' || fail "the import is not in viva sessions"

step "viva score --kind technical (concept's relevance gate reads the sentence encoder)"
leakage="Data leakage is when information that is not available at prediction time gets into training. For example, \
a feature computed from the label, or scaling fitted on the whole dataset before the split. The trade-off is that a \
leaky model looks great offline and fails in production."
viva score --kind technical --no-llm --json --question-text "What is data leakage?" --answer-text "$leakage" \
  > "$work/score.json" || fail "viva score exited $?"
grep -q '"prompt_version": "rubrics-v2/structure-' "$work/score.json" || fail "no structure stamp in $(head -c 300 "$work/score.json")"
grep -q '"present": true' "$work/score.json" || fail "the answer kept no item for its own question"
viva score --kind technical --no-llm --json --question-text "What is the curse of dimensionality?" \
  --answer-text "$leakage" > "$work/offtopic.json" || fail "viva score exited $?"
if grep -q '"present": true' "$work/offtopic.json"; then fail "the data-leakage answer kept items for another question"; fi

step "viva trends --plot, viva export --format html (matplotlib)"
viva trends --plot "$work/trends.png" > /dev/null || fail "viva trends --plot exited $?"
[[ $(head -c 8 "$work/trends.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "trends.png is no PNG"
viva export 1 --format html | grep -q "src='data:image/png;base64," || fail "the HTML report has no chart"

[[ -s $work/data/logs/viva.log ]] || fail "no log file in \$VIVA_HOME/logs"

if command -v xvfb-run >/dev/null && command -v xwininfo >/dev/null; then
  step "viva (the desktop app) opens its window on a virtual X display"
  cat > "$work/gui.sh" <<'GUI'
#!/usr/bin/env bash
"$1" & pid=$!
for _ in $(seq 1 120); do  # up to 60 s for the window to be mapped
  if xwininfo -root -tree 2>/dev/null | grep -Eq '"Viva": \("viva" "Viva"\) +[0-9]{3,}x[0-9]{3,}'; then
    kill "$pid"; exit 0
  fi
  kill -0 "$pid" 2>/dev/null || exit 1  # the app died
  sleep 0.5
done
kill "$pid"; exit 1
GUI
  chmod +x "$work/gui.sh"
  (cd "$work" && env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 VIVA_HOME="$work/data" \
    xvfb-run -a -s "-screen 0 1280x800x24" "$work/gui.sh" "$work/app/viva") || fail "no main window"
else
  echo "smoke: skipping the desktop app check (needs xvfb-run and xwininfo)"
fi
step "done"
echo "smoke: the app in $DIST ($(du -sh "$DIST" | cut -f1)) works"
echo "smoke: $passed passed, 0 failed"
