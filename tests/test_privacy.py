"""Private by construction: a whole session (TTS, recording from file, transcription, scoring, storage,
export) runs with every socket refused, so nothing can leave the machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.models
SPEECH = Path(__file__).parent / "data" / "speech"

BLOCKED_SESSION = r"""
import json, sys

def refuse(event, args):
    if event.startswith("socket.") or event in ("urllib.Request", "http.client.connect"):
        raise PermissionError(f"network use blocked in this test: {event}")

sys.addaudithook(refuse)
try:
    import socket
    socket.socket()
except PermissionError:
    pass
else:
    raise SystemExit("the socket blocker does not work")

from app.cli import main
answers = sys.argv[2:]
code = main(["practice", "--preset", "quick-3", "--seed", "3", "--speak-to", sys.argv[1], "--fast",
             "--input-wav", *answers, "--json"])
if code:
    raise SystemExit(f"practice failed: {code}")
for fmt in ("md", "csv", "json"):
    if main(["export", "1", "--format", fmt, "-o", f"{sys.argv[1]}/export.{fmt}"]):
        raise SystemExit(f"export {fmt} failed")
"""


def test_full_session_with_sockets_blocked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    out = tmp_path / "out"
    out.mkdir()
    answers = [SPEECH / "whisper_jfk.flac", SPEECH / "mfa_youknow.flac", SPEECH / "mfa_uhuh.flac"]
    r = subprocess.run([sys.executable, "-c", BLOCKED_SESSION, str(out), *map(str, answers)],
                       env={**os.environ, "VIVA_HOME": str(home)}, capture_output=True, text=True,
                       cwd=Path(__file__).parent.parent)
    assert r.returncode == 0, r.stderr[-3000:]
    assert len(list(out.glob("q*-question.wav"))) == 3  # the questions were spoken (to files)
    data = json.loads((out / "export.json").read_text())
    assert len(data["attempts"]) == 3
    assert all(a["status"] == "analysed" and a["results"] for a in data["attempts"])
    assert "country" in (out / "export.md").read_text().lower()
    # The data directory and the database are private to the user.
    assert (home.stat().st_mode & 0o777) == 0o700
    assert ((home / "viva.db").stat().st_mode & 0o777) == 0o600
