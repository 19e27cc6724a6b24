"""File > Analyse recording, driven through `MainWindow.analyse_file` (the part after the file dialog)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow

MODEL_TIMEOUT_MS = 180_000


def test_unreadable_file_shows_an_error_in_the_window(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.wav"
    bogus.write_text("not audio", encoding="utf-8")
    with qtbot.waitSignal(window.analysis_finished, timeout=30_000):
        window.analyse_file(bogus)
        assert window.stack.currentWidget() is window.analysis
        assert not window.analyse_action.isEnabled()
        assert window.busy.busy and "notes.wav" in window.busy.label.text()
    assert window.banner.kind == "error"
    assert "notes.wav: not a readable audio file" in window.banner.text()
    assert "Traceback" not in window.banner.text()
    assert window.analysis.heading.text() == "Could not analyse notes.wav"
    assert window.analyse_action.isEnabled()
    assert not window.busy.busy


def test_unknown_kind_is_refused(window: MainWindow) -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        window.analyse_file("x.wav", "poetry")


@pytest.mark.models
def test_analyse_real_recording_shows_transcript_and_delivery(window: MainWindow, qtbot: QtBot,
                                                            cold_corpus_wav: Path) -> None:
    path = cold_corpus_wav
    with qtbot.waitSignal(window.analysis_finished, timeout=MODEL_TIMEOUT_MS):
        window.analyse_file(path)
        assert window.analysis.heading.text() == "Analysing mfa_cold_corpus.wav\u2026"
    page = window.analysis
    assert window.banner.kind == ""
    assert "cold" in page.transcript.toPlainText().lower()
    assert page.heading.text() == "Analysis of mfa_cold_corpus.wav"
    assert page.metric_text("Pace").split()[0].isdigit() and "wpm" in page.metric_text("Pace")
    # Whisper tends to drop the speaker's "uh"s, so only the shape of the line is certain.
    assert page.metric_text("Fillers").split()[0].isdigit() and "per 100 words" in page.metric_text("Fillers")
    assert page.score.text().startswith("Not scored")


@pytest.mark.models
def test_analyse_with_a_kind_lists_rubric_items(window: MainWindow, qtbot: QtBot, cold_corpus_wav: Path) -> None:
    path = cold_corpus_wav
    with qtbot.waitSignal(window.analysis_finished, timeout=MODEL_TIMEOUT_MS):
        window.analyse_file(path, "behavioral")
    page = window.analysis
    assert window.banner.kind == "", window.banner.text()
    assert "cold" in page.transcript.toPlainText().lower()
    assert page.score.text().startswith("STAR score: ")
    items = page.rubric_item_texts()
    assert [t.split(":")[0][2:] for t in items] == ["Situation", "Task", "Action", "Result"]
