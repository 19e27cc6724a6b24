"""The app in a real window on a real X server (Xvfb in CI: scripts/test.sh runs pytest under xvfb-run): the
scripted walk of xvfb_review_app.py at a large and a small window size, with its screenshots kept in the test
output (test-output/, or $VIVA_TEST_OUTPUT) to look at."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.models
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (run under xvfb-run)")
@pytest.mark.parametrize("size", ["1440x900", "1024x700"])
def test_the_review_walk_in_a_real_window(speech: Callable[[str], Path], test_output: Path, viva_home: Path,
                                          size: str) -> None:
    for old in test_output.glob(f"walk-{size}-*.png"):
        old.unlink()
    folder = speech("whisper_jfk.flac").parent
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", VIVA_HOME=str(viva_home))
    r = subprocess.run([sys.executable, str(HERE / "xvfb_review_app.py"), str(test_output), size, str(folder)],
                       cwd=HERE.parents[1], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    assert "platform=xcb" in r.stdout and "failures=0" in r.stdout
    shots = sorted(test_output.glob(f"walk-{size}-*.png"))
    assert len(shots) >= 14 and all(p.stat().st_size > 2_000 for p in shots)  # none blank (a blank one is ~1 KB)
