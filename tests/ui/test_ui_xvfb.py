"""The app in a real window on a real X server (Xvfb in CI: scripts/test.sh runs pytest under xvfb-run),
with a screenshot of the review screen saved to the test output."""

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
def test_review_screen_in_a_real_window(speech: Callable[[str], Path], test_output: Path, viva_home: Path) -> None:
    shot = test_output / "review-xvfb.png"
    shot.unlink(missing_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", VIVA_HOME=str(viva_home))
    r = subprocess.run([sys.executable, str(HERE / "xvfb_review_app.py"), str(speech("whisper_jfk.flac")), str(shot)],
                       cwd=HERE.parents[1], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "platform=xcb saved=True" in r.stdout
    assert shot.stat().st_size > 10_000
