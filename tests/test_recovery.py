"""Nothing lost: a recording process killed with SIGKILL at random points keeps its audio (all but about a
second), the database stays consistent, and recovery turns the take into a stored, analysed attempt."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.audio import load_audio
from app.modelstore import load_manifest, require
from app.recovery import interrupted_sessions, recover
from app.speech.transcribe import WhisperTranscriber
from app.store import Store

pytestmark = pytest.mark.models
SPEECH = Path(__file__).parent / "data" / "speech"
KILLS = 20


def wait_for(predicate, timeout: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    """Poll a condition on another process's output; returns the moment it became true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(0.01)
    raise AssertionError("timed out waiting for the recording process")


def test_sigkill_mid_answer_loses_at_most_a_second(tmp_path: Path) -> None:
    long_answer = tmp_path / "answer.wav"
    speech = load_audio(SPEECH / "mfa_cold_corpus.wav")
    sf.write(str(long_answer), np.concatenate([speech, speech]), 16000, subtype="PCM_16")
    home = tmp_path / "home"
    env = {**os.environ, "VIVA_HOME": str(home)}
    viva = Path(sys.executable).parent / "viva"
    transcriber = WhisperTranscriber(require(load_manifest()["whisper-tiny.en"]))
    rng = random.Random(1234)
    lost: list[float] = []
    for run in range(KILLS):
        before = set(home.rglob("*.wav")) if home.exists() else set()
        proc = subprocess.Popen([str(viva), "practice", "--preset", "behavioral-round", "--no-tts", "--no-llm",
                                 "--input-wav", str(long_answer)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            started = wait_for(lambda b=before: bool(set(home.rglob("*.wav")) - b))  # type: ignore[misc]
            delay = 0.0 if run < 2 else rng.uniform(0.3, 4.0)
            time.sleep(delay)
            killed = time.monotonic()
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        elapsed = killed - started
        (wav,) = set(home.rglob("*.wav")) - before
        store = Store(home)
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        pending = interrupted_sessions(store)
        assert len(pending) == 1, pending
        (done,) = recover(store, transcriber, judge=None)
        assert not interrupted_sessions(store)
        assert store.db.execute("SELECT COUNT(*) FROM attempts WHERE status = 'recording'").fetchone()[0] == 0
        with wave.open(str(wav)) as w:
            kept = w.getnframes() / w.getframerate()
        assert abs(kept - done.audio_s) < 0.01
        assert kept <= elapsed + 0.3, (kept, elapsed)
        lost.append(elapsed - kept)
        assert elapsed - kept <= 1.25, f"run {run}: lost {elapsed - kept:.2f} s of {elapsed:.2f} s"
        if kept > 2.0:
            assert done.status == "analysed", done
            row = store.db.execute("SELECT status, transcript_json FROM attempts WHERE id = ?",
                                   [done.attempt_id]).fetchone()
            assert row[0] == "analysed" and "so" in row[1].lower()
    print(f"\n{KILLS} kills survived; audio lost per kill: max {max(lost):.2f} s, mean {sum(lost) / len(lost):.2f} s")
