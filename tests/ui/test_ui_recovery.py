"""On start, the window offers to recover a session that stopped mid-answer, and recovering stores the take."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.recorder import FileRecorder
from app.services import Services
from app.ui.main_window import MainWindow
from app.ui.recovery_offer import offer_recovery, run_recovery

SPEECH = Path(__file__).parent.parent / "data" / "speech"


def _interrupted_session(services: Services) -> int:
    """What a crash leaves: a session in progress, an attempt 'recording', its audio on disk."""
    store = services.store
    q = services.bank.questions["beh-proud-project"]
    sid = store.create_session("quick-3")
    dest = store.audio_path_for(sid, 1)
    store.begin_attempt(sid, 1, q, q.text, dest)
    FileRecorder(SPEECH / "whisper_jfk.flac", realtime=False).record(dest, threading.Event())
    return sid


def test_no_offer_without_interrupted_sessions(window: MainWindow) -> None:
    assert offer_recovery(window) == 0
    assert not window.banner.action.isVisible()


@pytest.mark.models
def test_offer_and_recover(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    sid = _interrupted_session(services)
    assert offer_recovery(window) == 1
    assert "interrupted" in window.banner.text() and window.banner.action.text() == "Recover"
    task = run_recovery(window)
    qtbot.waitUntil(lambda: "Recovered 1 answer" in window.banner.text(), timeout=60000)
    assert task is not None
    (attempt,) = services.store.attempts(sid)
    assert attempt.status == "analysed" and "country" in attempt.text.lower()
    assert services.store.session(sid).status == "recovered"
