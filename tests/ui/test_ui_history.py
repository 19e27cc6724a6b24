"""History lists sessions from a real SQLite store; selecting one shows its answers."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.delivery import analyze_delivery
from app.domain import Analysis, Evidence, ItemVerdict, Question, RubricResult, Transcript, Word
from app.store import Store
from app.ui.main_window import MainWindow

QUESTION = Question("conflict-teammate", "behavioral", "behavioral", "medium", 120,
                    "Tell me about a time you disagreed with a teammate.", ("a", "b", "c"))


def analysis(text: str, seconds_per_word: float, score: int) -> Analysis:
    words = tuple(Word(w, i * seconds_per_word, (i + 0.8) * seconds_per_word)
                  for i, w in enumerate(text.split()))
    transcript = Transcript(words, duration_s=len(words) * seconds_per_word, model="test")
    rubric = RubricResult("star", (ItemVerdict("situation", True, 0.9, (Evidence(words[0].text, 0.0, 0.4),)),
                                   ItemVerdict("result", False, 0.2, (), "Say how it ended.")),
                          score, ("Close with the outcome.",), {"name": "test"}, "1")
    return Analysis(transcript, analyze_delivery(transcript), rubric, {})


@pytest.fixture
def stored(viva_home: Path) -> dict[str, int]:
    store = Store(viva_home)
    first = store.create_session("behavioral-round", title="Behavioral round")
    a1 = store.add_attempt(first, 1, QUESTION, QUESTION.text, None,
                           analysis("last year at my previous job um we argued about the cold start", 0.4, 40))
    store.add_result(a1, RubricResult("star", (), 75, (), {"name": "test"}, "1"))  # a re-score: latest wins
    store.add_attempt(first, 2, None, "Why do you want this role?",
                      None, analysis("because I like building speech tools", 0.5, 50))
    store.finish_session(first)
    empty = store.create_session(None, title="analyze x.wav")
    store.finish_session(empty, "cancelled")
    return {"with_answers": first, "empty": empty}


def test_history_lists_stored_sessions(window: MainWindow, stored: dict[str, int]) -> None:
    window.commands.history.trigger()
    page = window.history
    assert window.stack.currentWidget() is page
    assert page.session_count() == 2
    rows = {page.display_text(r, 1): [page.display_text(r, c) for c in range(6)] for r in range(2)}
    behavioral = rows["Behavioral round"]
    assert behavioral[2] == "completed" and behavioral[3] == "2"
    assert float(behavioral[4]) > 0 and float(behavioral[5]) >= 0
    assert rows["analyze x.wav"][2:] == ["cancelled", "0", "\u2014", "\u2014"]


def test_history_is_sortable(window: MainWindow, stored: dict[str, int]) -> None:
    window.show_history()
    page = window.history
    page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert [page.display_text(r, 3) for r in range(2)] == ["0", "2"]
    page.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert [page.display_text(r, 3) for r in range(2)] == ["2", "0"]


def test_selecting_a_session_shows_its_answers(window: MainWindow, stored: dict[str, int]) -> None:
    window.show_history()
    page = window.history
    assert page.attempts.attempt_count() == 0
    assert page.select_session(stored["with_answers"])
    panel = page.attempts
    assert panel.attempt_count() == 2
    assert panel.cell_text(0, 1) == QUESTION.text
    assert panel.cell_text(0, 5) == "75/100"  # the latest result, not the first
    assert panel.cell_text(1, 5) == "50/100"
    assert panel.cell_text(0, 4) == "1"  # "um"
    assert int(panel.cell_text(0, 3)) > 0
    assert [panel.cell_text(r, 2) for r in range(2)] == ["Take 1", "Take 1"]
    assert "cold start" in panel.transcript.toPlainText()
    assert panel.transcript.marked_words("filler") == ["um"]  # marked as in the review
    panel.table.selectRow(1)
    assert panel.transcript.toPlainText() == "because I like building speech tools"
    assert "Why do you want this role?" in panel.question.text()

    assert page.select_session(stored["empty"])
    assert panel.attempt_count() == 0
    assert "no analysed answers" in panel.heading.text()


def test_history_refresh_keeps_the_selection(window: MainWindow, stored: dict[str, int]) -> None:
    window.show_history()
    window.history.select_session(stored["with_answers"])
    window.show_home()
    window.show_history()
    assert window.history.selected_session() == stored["with_answers"]
    assert window.history.attempts.attempt_count() == 2


def test_a_stored_answer_opens_in_the_review_with_replay(window: MainWindow, stored: dict[str, int],
                                                         qtbot: object) -> None:
    from app.ui.dialogs.review import ReviewDialog

    window.show_history()
    assert window.history.select_session(stored["with_answers"])
    panel = window.history.attempts
    panel.table.selectRow(0)
    panel.review_button.click()
    dialogs = window.findChildren(ReviewDialog)
    assert len(dialogs) == 1
    review = dialogs[0].review
    assert "cold start" in review.transcript.toPlainText()
    assert review.transcript.marked_words("filler") == ["um"]
    assert review.cards.text("score").startswith("75/100")  # the latest stored result
    assert not review.player.play_button.isEnabled()  # this answer has no recording
    dialogs[0].close()

    panel.table.selectRow(1)
    panel.review_button.click()
    review = window.findChildren(ReviewDialog)[-1].review
    assert review.transcript.toPlainText() == "because I like building speech tools"
    assert review.checklist.texts() == ["\u2713 Situation\n\u201cbecause\u201d", "\u2717 Result\nSay how it ended."]
    review.checklist.setCurrentRow(0)
    assert review.transcript.highlighted_text() == "because"
    dialogs[0].close()


def test_the_review_shows_the_figures_stored_with_the_answer(window: MainWindow, viva_home: Path) -> None:
    """A stored answer is reviewed with the delivery it was analysed with, not one recomputed from its transcript
    (the filler detector and the targets may have changed since)."""
    from dataclasses import replace

    from app.domain import FillerItem
    from app.ui.dialogs.review import ReviewDialog

    fresh = analysis("we measured the cold start and then we shipped the fix", 0.4, 60)
    words = fresh.transcript.words
    then = replace(fresh.delivery, wpm=171.0, fillers=(FillerItem(words[5].text, words[5].start, words[5].end,
                                                                  "discourse"),),
                   fillers_per_100_words=9.1, longest_pause_s=2.4, long_pauses_2s=1)
    assert then != analyze_delivery(fresh.transcript)  # what the review would show if it recomputed
    with Store(viva_home) as store:
        sid = store.create_session(None, title="stored figures")
        store.add_attempt(sid, 1, QUESTION, QUESTION.text, None, replace(fresh, delivery=then))
        store.finish_session(sid)
    window.show_history()
    assert window.history.select_session(sid)
    dialog = window.stored.review_stored(sid, 0)
    assert isinstance(dialog, ReviewDialog)
    review = dialog.review
    assert review.cards.text("pace").startswith("171 wpm")
    assert review.cards.text("fillers").startswith("9.1 / 100 words")
    assert review.cards.text("pause").startswith("2.4 s")
    assert review.transcript.marked_words("filler") == ["and"]
    dialog.close()


def test_an_answer_never_analysed_is_listed_plainly_and_not_counted(window: MainWindow, viva_home: Path) -> None:
    with Store(viva_home) as store:
        sid = store.create_session("behavioral-round")
        heard = store.add_attempt(sid, 1, QUESTION, QUESTION.text, None,
                                  analysis("we argued about the cold start", 0.4, 40))
        unheard = store.begin_attempt(sid, 2, None, "Why do you want this role?", None)
        store.set_attempt_status(unheard, "no_speech")
        store.finish_session(sid, "cancelled")
    window.show_history()
    page = window.history
    assert page.display_text(0, 3) == "1"  # the analysed answer only
    assert page.select_session(sid)
    panel = page.attempts
    assert panel.attempt_count() == 2 and "1 answer (1 not analysed)" in panel.heading.text()
    assert [panel.cell_text(1, c) for c in (2, 3, 4, 5)] == ["\u2014"] * 4
    panel.table.selectRow(1)
    assert panel.transcript.toPlainText() == ""
    assert panel.transcript.placeholderText() == "Not analysed: no speech heard."
    assert not panel.review_button.isEnabled()
    panel.table.selectRow(0)
    assert panel.review_button.isEnabled() and heard > 0
    assert window.stored.review_stored(sid, 1) is None  # nothing to review; the banner says why
    assert "nothing to review: no speech heard" in window.banner.label.text()


def test_takes_and_follow_ups_are_labelled(window: MainWindow, viva_home: Path) -> None:
    with Store(viva_home) as store:
        sid = store.create_session("behavioral-round", title="Behavioral round")
        for text, question_text in (("we argued um", QUESTION.text), ("we argued about the start", QUESTION.text),
                                    ("I measured the latency", "How did you measure it?")):
            store.add_attempt(sid, 1, QUESTION, question_text, None, analysis(text, 0.4, 50))
        store.finish_session(sid)
    window.show_history()
    assert window.history.select_session(sid)
    panel = window.history.attempts
    assert [panel.cell_text(r, 2) for r in range(3)] == ["Take 1", "Take 2", "Follow-up"]  # not "#1" twice
    assert [panel.cell_text(r, 0) for r in range(3)] == ["1", "1", "1"]
    dialog = window.stored.review_stored(sid, 2)
    assert dialog is not None and dialog.review.heading.text() == "Your answer \u00b7 Follow-up"
    assert dialog.review.comparison.isHidden()  # a follow-up is not compared with the answer it follows
    assert dialog.windowTitle() == "Answer to the follow-up to question 1 \u00b7 Follow-up"
    dialog.close()
    second = window.stored.review_stored(sid, 1)
    assert second is not None and "Compared with take 1" in second.review.comparison.text()
    second.close()


def test_space_and_ctrl_p_pause_and_resume_replay_in_the_history_review(window: MainWindow, viva_home: Path,
                                                                       qtbot: QtBot, tmp_path: Path) -> None:
    import numpy as np

    from app.audio import write_wav

    audio = viva_home / "audio" / "answer.wav"
    audio.parent.mkdir(parents=True, exist_ok=True)
    write_wav(audio, np.zeros(16000 * 6, dtype=np.float32))
    with Store(viva_home) as store:
        sid = store.create_session(None, title="with audio")
        store.add_attempt(sid, 1, QUESTION, QUESTION.text, audio, analysis("we measured the cold start", 0.5, 50))
        store.finish_session(sid)
    window.show_history()
    dialog = window.stored.review_stored(sid, 0)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    with warnings.catch_warnings():  # the offscreen platform does not activate a new window by itself
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(dialog)
    assert QApplication.focusWidget() is dialog.review.transcript
    bar = dialog.review.player
    assert bar.play_button.isEnabled() and not bar.playing
    qtbot.keyClick(dialog.review.transcript, Qt.Key.Key_Space)
    assert bar.playing
    qtbot.keyClick(dialog.review.transcript, Qt.Key.Key_Space)
    assert not bar.playing
    qtbot.keyClick(dialog.review.transcript, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert bar.playing
    qtbot.keyClick(dialog.review.transcript, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert not bar.playing
    # The dialog fits the window it came from.
    assert dialog.width() <= window.width() and dialog.height() <= window.height()
    dialog.close()


def test_rename_a_session(window: MainWindow, stored: dict[str, int], qtbot: QtBot) -> None:
    window.show_history()
    page = window.history
    assert not page.rename_button.isEnabled()  # nothing selected
    assert page.select_session(stored["with_answers"]) and page.rename_button.isEnabled()
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    dialog = page.rename_dialog
    assert dialog is not None and dialog.textValue() == "Behavioral round"
    dialog.setTextValue("  Mock with   Dana, round 2 ")
    with qtbot.waitSignal(page.rename_requested):
        dialog.accept()
    assert window.services.store.session(stored["with_answers"]).title == "Mock with Dana, round 2"
    assert page.selected_session() == stored["with_answers"]
    assert page.selected_title() == "Mock with Dana, round 2"
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    assert page.rename_dialog is not None
    page.rename_dialog.setTextValue("   ")  # an empty name changes nothing
    page.rename_dialog.accept()
    assert window.services.store.session(stored["with_answers"]).title == "Mock with Dana, round 2"


def test_delete_a_session_after_confirming(window: MainWindow, stored: dict[str, int], qtbot: QtBot,
                                           viva_home: Path) -> None:
    window.show_history()
    page = window.history
    assert page.select_session(stored["with_answers"])
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    box = page.delete_box
    assert box is not None and box.text().startswith("Delete \u201cBehavioral round\u201d of ")
    assert "Its 2 answers, their recordings and scores are removed" in box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # "Keep it"
    assert page.delete_box is None and page.session_count() == 2
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.delete_confirm is not None
    qtbot.mouseClick(page.delete_confirm, Qt.MouseButton.LeftButton)
    assert page.session_count() == 1
    assert [s.id for s in window.services.store.sessions()] == [stored["empty"]]
    assert page.selected_session() is None and not page.delete_button.isEnabled()


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_export_a_session(window: MainWindow, stored: dict[str, int], qtbot: QtBot, tmp_path: Path,
                          fmt: str) -> None:
    import json

    from app.ui.pages.history import EXPORT_FILTERS

    window.show_history()
    page = window.history
    assert page.select_session(stored["with_answers"])
    page.ask_export(tmp_path)
    dialog = page.export_dialog
    assert dialog is not None
    assert dialog.selectedFiles()[0].endswith(".md") and "Behavioral-round" in dialog.selectedFiles()[0]
    dialog.selectNameFilter(EXPORT_FILTERS[fmt])
    dialog.filterSelected.emit(EXPORT_FILTERS[fmt])
    dialog.selectFile(str(tmp_path / "report"))
    with qtbot.waitSignal(page.export_requested) as asked:
        dialog.accept()
    path = tmp_path / f"report.{fmt}"
    assert asked.args == [stored["with_answers"], path, fmt]
    text = path.read_text(encoding="utf-8")
    assert "cold start" in text
    if fmt == "json":
        assert json.loads(text)["session"]["title"] == "Behavioral round"
    elif fmt == "csv":
        assert text.splitlines()[0].startswith("session_id,attempt_id,position")
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>") or text.lower().startswith("<!doctype html>")
    else:
        assert text.startswith("#")
    assert f"Exported to {path}" in window.statusBar().currentMessage()


def test_long_titles_are_not_cut_off(window: MainWindow, viva_home: Path) -> None:
    from PySide6.QtCore import Qt as QtNs

    long = "Mock interview with the platform team about the ranking service, second round, after the offsite"
    with Store(viva_home) as store:
        sid = store.create_session(None, title=long)
        store.add_attempt(sid, 1, QUESTION, QUESTION.text, None, analysis("we argued about the cold start", 0.4, 40))
        store.finish_session(sid)
    window.resize(1024, 700)
    window.show_history()
    page = window.history
    index = page.proxy.index(0, 1)
    assert index.data() == long
    tip = index.data(QtNs.ItemDataRole.ToolTipRole)  # elided in the table: whole in the tip, with the figures
    assert tip.startswith(long + "\n") and "1 answer \u00b7 " in tip and "wpm average" in tip
    assert page.table.isColumnHidden(4) and page.table.isColumnHidden(5)  # narrow: the averages give way
    window.resize(1440, 900)
    assert not page.table.isColumnHidden(4)
    assert page.select_session(sid)
    heading = page.attempts.heading
    assert heading.wordWrap() and heading.text().startswith(long)
