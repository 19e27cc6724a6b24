"""File > Analyse recording: the question picker, then `MainWindow.analyse_file` (the part after the dialogs):
the same review as an interview answer, Save to History, and problems in plain words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.audio import write_wav
from app.review.problems import NO_SPEECH, UNREADABLE
from app.ui.dialogs.question_picker import QuestionPickerDialog
from app.ui.main_window import MainWindow
from app.ui.widgets.question_picker import NO_QUESTION

MODEL_TIMEOUT_MS = 180_000


def test_unreadable_file_is_explained_in_plain_words(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.wav"
    bogus.write_text("not audio", encoding="utf-8")
    with qtbot.waitSignal(window.analysis_finished, timeout=30_000):
        window.analyse_file(bogus)
        assert window.stack.currentWidget() is window.analysis
        assert not window.commands.analyse.isEnabled()
        assert window.busy.busy and "notes.wav" in window.busy.label.text()
    page = window.analysis
    assert page.heading.text() == "Could not analyse notes.wav"
    assert page.problem.isVisible() and page.problem.text() == UNREADABLE
    for raw in ("Errno", "Error", "Traceback", str(tmp_path)):
        assert raw not in page.problem.text()
    assert window.banner.kind == ""  # said once, on the page
    assert not page.review.isVisible() and not page.save_button.isVisible()
    assert page.open_button.text() == "Analyse another recording\u2026"
    assert window.commands.analyse.isEnabled()
    assert not window.busy.busy


def test_unknown_kind_is_refused(window: MainWindow) -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        window.analyse_file("x.wav", None, "poetry")


def test_the_question_picker_searches_the_bank(window: MainWindow, qtbot: QtBot) -> None:
    bank = window.services.bank
    dialog = QuestionPickerDialog("answer.m4a", list(bank.questions.values()), bank.categories, window)
    qtbot.addWidget(dialog)
    picker = dialog.picker
    assert picker.list.item(0).text() == NO_QUESTION and picker.selected_question() is None
    assert len(picker.visible_questions()) == len(bank.questions)
    qtbot.keyClicks(picker.search, "fraud design")
    shown = picker.visible_questions()
    assert [q.id for q in shown] == ["sd-fraud-detection"]
    assert picker.selected_question() == bank.questions["sd-fraud-detection"]
    assert picker.count.text() == f"1 of {len(bank.questions)} questions"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    picker.search.clear()
    assert picker.select("beh-mentoring") and picker.selected_question() == bank.questions["beh-mentoring"]
    qtbot.keyClicks(picker.search, "no such words")
    assert picker.visible_questions() == [] and picker.selected_question() is None


@pytest.mark.models
def test_a_silent_recording_says_no_speech_was_found(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    silent = tmp_path / "silence.wav"
    write_wav(silent, np.zeros(16000 * 3, dtype=np.float32))
    with qtbot.waitSignal(window.analysis_finished, timeout=MODEL_TIMEOUT_MS):
        window.analyse_file(silent)
    page = window.analysis
    assert page.problem.text() == NO_SPEECH
    assert "microphone" not in page.problem.text()


@pytest.mark.models
def test_a_recording_gets_the_full_review_and_is_saved_to_history(window: MainWindow, qtbot: QtBot,
                                                                   speech: Callable[[str], Path]) -> None:
    source = speech("mfa_uhuh.flac")  # a flac: decoded to a WAV for analysis and replay
    question = window.services.bank.questions["beh-mentoring"]
    with qtbot.waitSignal(window.analysis_finished, timeout=MODEL_TIMEOUT_MS):
        window.analyse_file(source, question)
        assert window.analysis.heading.text() == "Analysing mfa_uhuh.flac\u2026"
    page, review = window.analysis, window.analysis.review
    assert page.heading.text() == "Analysis of mfa_uhuh.flac"
    assert page.question.text() == f"Question: {question.text}"
    assert review.isVisible() and not page.problem.isVisible()
    # The same review as an interview answer: cards, coaching, marked fillers, timeline, checklist, replay.
    assert "wpm" in review.cards.text("pace")
    assert review.cards.text("length").startswith("0:") and "Too short \u00b7 2:00 suggested" in \
        review.cards.text("length")
    assert review.coaching.fix_text().startswith("Say more: the answer ran 0:")
    fillers = [t.lower().strip(",.") for t in review.transcript.marked_words("filler")]
    assert fillers.count("uh") >= 3
    strip = review.timeline.timeline
    assert all(any(s.start - 0.02 <= m.word.start <= s.end for s in strip.of("filler"))
               for m in review.transcript.marks if m.filler)  # each marked filler is on the timeline strip
    assert [t.split("\n")[0][2:] for t in review.checklist.texts()] == ["Situation", "Task", "Action", "Result"]
    assert len(review.checklist.texts()) == len(set(review.checklist.texts()))  # each point once, no tips twice
    assert review.player.play_button.isEnabled()
    review.transcript.setFocus()
    qtbot.keyClick(review.transcript, Qt.Key.Key_Space)
    assert review.player.playing
    qtbot.keyClick(review.transcript, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert not review.player.playing

    assert page.save_button.isEnabled()
    with qtbot.waitSignal(window.analyses.saved, timeout=30_000) as saved:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    sid = saved.args[0]
    store = window.services.store
    session = store.session(sid)
    assert session.title == "Recording mfa_uhuh.flac" and session.status == "completed" and session.answers == 1
    (attempt,) = store.attempts(sid)
    assert attempt.question_id == question.id and attempt.status == "analysed"
    assert review.record is not None and attempt.text == review.record.analysis.transcript.text
    assert attempt.audio_path and store.absolute(attempt.audio_path).stat().st_size > 10_000
    assert not page.save_button.isEnabled() and "Saved to History" in page.saved_note.text()

    page.saved_note.linkActivated.emit("history")
    assert window.stack.currentWidget() is window.history and window.history.selected_session() == sid
    assert window.history.attempts.attempt_count() == 1
