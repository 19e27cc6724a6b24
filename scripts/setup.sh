#!/usr/bin/env bash
# Idempotent set-up: Debian packages, the .venv with Viva installed editable, and the models.
# Usage: scripts/setup.sh [--all-models | --test]
#   --all-models  also fetch the optional models the test suite and benches use (Whisper base, Gemma 3 270M)
#   --test        all models, plus what only the tests use (Debian's Chromium, to open the HTML report)
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL_SET=default
TEST_ONLY=0
case "${1:-}" in
  --all-models) MODEL_SET=all ;;
  --test) MODEL_SET=all; TEST_ONLY=1 ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--all-models | --test]" >&2; exit 2 ;;
esac

APT_PACKAGES=(
  python3 python3-venv python3-pip build-essential cmake git
  espeak-ng libportaudio2 libsndfile1 alsa-utils
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3
  xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
)
((TEST_ONLY)) && APT_PACKAGES+=(chromium chromium-driver desktop-file-utils appstream x11-utils)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi

# llama.cpp is compiled from source by llama-cpp-python. On x86-64 it is built for a portable AVX2 level, not
# for this CPU (-march=native): a native build uses AMX tiles on new Xeons, and those crash (SIGSEGV in
# ggml_backend_amx_mul_mat on the first decode) where the kernel does not hand out AMX state, as in this
# project's sandboxes; and a native build would also travel in the standalone app to CPUs that lack it.
# pip's wheel cache ignores CMAKE_ARGS, so the library is built without it (--no-cache-dir).
LLAMA_PKG="llama-cpp-python==0.3.36"
# Set LLAMA_CMAKE_ARGS yourself for another build (e.g. add -DGGML_CUDA=on for n_gpu_layers on an NVIDIA GPU).
if [[ -z ${LLAMA_CMAKE_ARGS+set} ]]; then
  LLAMA_CMAKE_ARGS=""
  if [[ $(uname -m) == x86_64 ]]; then
    LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
  fi
fi

# llama.cpp is rebuilt only when its version or build flags change (its own stamp); the rest of the packages are
# re-installed when pyproject.toml changes (a second stamp), which takes seconds, not a recompile.
llama_stamp=.venv/.viva-llama
llama_want=$(echo "$LLAMA_PKG $LLAMA_CMAKE_ARGS" | sha256sum | cut -d' ' -f1)
if [[ ! -f $llama_stamp || "$(cat "$llama_stamp")" != "$llama_want" ]]; then
  echo "setup: building llama-cpp-python (compiles llama.cpp: ~7 min on 2 cores)"
  .venv/bin/python -m pip install -q --upgrade pip
  CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} CMAKE_ARGS="$LLAMA_CMAKE_ARGS" \
    .venv/bin/python -m pip install -q --no-cache-dir --force-reinstall --no-deps "$LLAMA_PKG"
  echo "$llama_want" > "$llama_stamp"
fi
stamp=.venv/.viva-installed
want=$( (cat pyproject.toml; echo "$llama_want") | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
  echo "setup: installing Python packages"
  .venv/bin/python -m pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi

.venv/bin/python -m app.modelstore fetch --set "$MODEL_SET"
