"""History lists sessions from a real SQLite store; selecting one shows its answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

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
    window.history_action.trigger()
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
    assert panel.cell_text(0, 4) == "75/100"  # the latest result, not the first
    assert panel.cell_text(1, 4) == "50/100"
    assert panel.cell_text(0, 3) == "1"  # "um"
    assert int(panel.cell_text(0, 2)) > 0
    assert "cold start" in panel.transcript.toPlainText()
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
    dialog = window.review_stored(sid, 0)
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
    assert [panel.cell_text(1, c) for c in (2, 3, 4)] == ["\u2014"] * 3
    panel.table.selectRow(1)
    assert panel.transcript.toPlainText() == "(not analysed: no speech heard)"
    assert not panel.review_button.isEnabled()
    panel.table.selectRow(0)
    assert panel.review_button.isEnabled() and heard > 0
    assert window.review_stored(sid, 1) is None  # nothing to review; the banner says why
    assert "nothing to review: no speech heard" in window.banner.label.text()
