"""A whole quick-3 mock interview in the window: real recorded speech streamed at real-time pace through the
microphone's path, real Whisper, the real small LLM and the real TTS engine; asserting what the user sees."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import soundfile as sf
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.audio_io import AudioIO
from app.player import ClockPlayer
from app.recorder import MicRecorder
from app.services import Services
from app.ui.dialogs.review import ReviewDialog
from app.ui.interview_controller import Phase
from app.ui.main_window import MainWindow
from app.ui.widgets.record_panel import STOP_TEXT
from app.ui.widgets.review_panel import ReviewPanel

MODEL_TIMEOUT_MS = 120_000


@pytest.fixture
def played() -> list[Path]:
    return []


@pytest.fixture
def interview_window(qtbot: QtBot, services: Services, star_answer_wav: Path, played: list[Path],
                     speech: Callable[[str], Path], audio_from_files: Callable[..., AudioIO]) -> Iterator[MainWindow]:
    answers = {(1, 1): speech("whisper_jfk.flac"), (1, 2): star_answer_wav,
               (2, 1): speech("mfa_youknow.flac"), (3, 1): speech("mfa_uhuh.flac"),
               (3, 2): speech("librispeech_1272-128104-0000.wav")}  # the answer to question 3's follow-up
    w = MainWindow(services, audio=audio_from_files(answers, played), warm_models=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.models_ready, timeout=MODEL_TIMEOUT_MS) as ready:
        w.warm_models()
    assert ready.args == [True], w.banner.text()
    yield w
    w.close()


def ticked_items(review: ReviewPanel) -> list[str]:
    """The rubric items a review's checklist marks present, in its order."""
    return [t.split("\n")[0][2:] for t in review.checklist.texts() if t.startswith("\u2713")]


@pytest.mark.models
def test_a_quick_interview_end_to_end(interview_window: MainWindow, qtbot: QtBot, played: list[Path],
                                      test_output: Path) -> None:
    w, c, page = interview_window, interview_window.controller, interview_window.interview
    w.home.select_preset("quick-3")
    assert w.grab().save(str(test_output / "home.png"))
    qtbot.mouseClick(w.home.start_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentWidget() is page
    assert page.progress.text().startswith("Question 1 of 3 \u00b7 Behavioral \u00b7 STAR answer")
    assert page.question.text() == c.question.text

    # The question is rendered by the real TTS engine and handed to the output device.
    qtbot.waitUntil(lambda: len(played) == 1, timeout=30_000)
    assert played[0].name == "q01-question.wav" and sf.info(str(played[0])).duration > 1.0

    # Space starts the answer; the level meter moves while the file streams in at real-time pace.
    w.activateWindow()
    page.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert c.phase is Phase.RECORDING
    assert page.record.answer_button.text() == STOP_TEXT
    assert page.record.hint.text().startswith("Recording")
    qtbot.waitUntil(lambda: page.record.meter.peak_db > -40, timeout=10_000)
    qtbot.waitUntil(lambda: page.record.elapsed_s() > 2, timeout=10_000)
    assert page.record.elapsed.text().startswith("0:0") and "suggested" in page.record.elapsed.text()
    assert w.grab().save(str(test_output / "interview-recording.png"))
    with qtbot.waitSignal(c.answer_ready, timeout=MODEL_TIMEOUT_MS):
        pass  # the recording ends with the file
    review = page.review
    assert page.stack.currentWidget() is review
    assert "country" in review.transcript.toPlainText().lower()
    # (Which points the scorer finds in a speech that is no STAR answer is the scorer's business, tested there.)
    assert [t.split("\n")[0][2:] for t in review.checklist.texts()] == ["Situation", "Task", "Action", "Result"]
    assert "\u2717 Result" in [t.split("\n")[0] for t in review.checklist.texts()]
    assert "wpm" in review.cards.text("pace") and "target 130\u2013160" in review.cards.text("pace")
    first_score = c.latest().score if c.latest() else None
    assert first_score is not None and first_score < 100
    assert review.cards.text("score").startswith(f"{first_score}/100")
    take1_ticked = ticked_items(review)
    assert review.heading.text() == "Your answer \u00b7 Take 1"
    assert review.coaching.fix_text().startswith("Say more: the answer ran 0:1")  # 11 s against 2:30
    assert "Too short" in review.cards.text("length")
    assert review.comparison.isHidden() and review.tabs.tabBar().isHidden()
    assert review.timeline.timeline.of("speech")

    # Try again with a STAR-shaped answer: take 1's feedback stays in sight while answering again.
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    assert c.phase is Phase.ASKING and "Take 2" in page.record.hint.text()
    assert page.earlier.isVisible() and page.earlier.title() == "Take 1 feedback"
    assert page.earlier.coaching.fix_text() == review.coaching.fix_text()
    assert page.earlier.checklist.texts() == review.checklist.texts()
    qtbot.mouseClick(page.record.answer_button, Qt.MouseButton.LeftButton)
    assert page.earlier.isVisible()  # and while recording
    with qtbot.waitSignal(c.answer_ready, timeout=MODEL_TIMEOUT_MS):
        pass
    assert review.heading.text() == "Your answer \u00b7 Take 2"
    # The comparison reports the change the two reviews show (which items the scorer finds in the retake is the
    # scorer's business, measured by bench/score_eval.py): the score on take 2's card, and as newly covered
    # exactly the items take 2's checklist ticks that take 1's did not.
    second_score = c.latest().score if c.latest() else None
    assert second_score is not None and second_score > first_score
    assert review.cards.text("score").startswith(f"{second_score}/100")
    gained = [i for i in ticked_items(review) if i not in take1_ticked]
    assert "Result" in gained  # the retake's "As a result, latency dropped by forty percent ..."
    comparison = review.comparison.text()
    assert "Compared with take 1" in comparison and f"Score: {first_score} \u2192 {second_score}" in comparison
    assert f"Now covered: {', '.join(gained)}" in comparison
    # Both takes side by side, each with its own replay.
    review.show_side_by_side()
    assert review.takes.before.title() == "Take 1" and review.takes.after.title() == "Take 2"
    assert "country" in review.takes.before.transcript.toPlainText().lower()
    assert "latency" in review.takes.after.transcript.toPlainText().lower()
    assert review.takes.before.player.play_button.isEnabled() and review.takes.after.player.play_button.isEnabled()
    assert w.grab().save(str(test_output / "review-takes-side-by-side.png"))
    review.tabs.setCurrentIndex(0)
    assert "um" in [t.lower().strip(",") for t in review.transcript.marked_words("filler")]

    # Clicking a rubric point highlights its evidence in the user's own words.
    review.checklist.setCurrentRow(review.checklist.row_of("result"))
    assert "latency dropped" in review.transcript.highlighted_text()
    assert review.transcript.extraSelections()
    assert review.evidence_note.text() == "Highlighted in green in the transcript."
    review.checklist.clearSelection()
    grab = w.grab()
    assert grab.save(str(test_output / "review-offscreen.png"))

    # Click a word: playback starts there and the highlight follows the words.
    target = 10
    rect = review.transcript.word_rect(target)
    qtbot.mouseClick(review.transcript.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert review.player.playing
    start = review.transcript.marks[target].word.start
    assert review.player.player.position() >= start - 0.05
    qtbot.waitUntil(lambda: (review.transcript.current or 0) > target, timeout=10_000)
    page.play_action.trigger()
    assert not review.player.playing

    # Question 2: a discourse filler ("you know") is marked.
    page.next_action.trigger()
    assert page.progress.text().startswith("Question 2 of 3")
    qtbot.waitUntil(lambda: len(played) == 2, timeout=30_000)
    qtbot.mouseClick(page.record.answer_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(c.answer_ready, timeout=MODEL_TIMEOUT_MS):
        pass
    assert "montreal" in review.transcript.toPlainText().lower()
    assert [t.lower() for t in review.transcript.marked_words("filler")][:2] == ["you", "know"]
    assert len(review.checklist.texts()) == 3  # definition, intuition, trade-off

    # Question 3 with the spoken follow-up on: "uh"s marked, the follow-up shown and read aloud.
    page.next_action.trigger()
    page.follow_up.setChecked(True)
    assert page.next_button.text().startswith("Finish")
    qtbot.mouseClick(page.record.answer_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(c.answer_ready, timeout=MODEL_TIMEOUT_MS):
        pass
    fillers = [t.lower().strip(",.") for t in review.transcript.marked_words("filler")]
    assert fillers.count("uh") >= 3
    assert review.follow_up.isVisible() and review.follow_up.text().startswith("<b>Follow-up:</b>")
    qtbot.waitUntil(lambda: any(p.name.startswith("q03-followup") for p in played), timeout=30_000)

    # The follow-up is answered, and stored as an answer of its own at question 3.
    asked = c.pending_follow_up
    assert asked and page.follow_up_action.isEnabled()
    qtbot.mouseClick(page.follow_up_button, Qt.MouseButton.LeftButton)
    assert c.phase is Phase.RECORDING and page.question.text() == f"Follow-up: {asked}"
    assert page.earlier.isVisible() and page.earlier.title() == "Take 1 feedback"  # the answer followed up
    with qtbot.waitSignal(c.answer_ready, timeout=MODEL_TIMEOUT_MS) as got:
        pass
    answered = got.args[0]
    assert answered.answers_follow_up and answered.position == 3 and answered.question.text == asked
    assert "apostle" in review.transcript.toPlainText().lower()
    assert not page.follow_up_action.isEnabled() and not review.follow_up.isVisible()
    assert review.heading.text() == "Your answer \u00b7 Follow-up"  # reviewed like any answer
    assert review.coaching.fix_text() and "wpm" in review.cards.text("pace")
    assert "suggested" not in review.cards.text("length")  # a follow-up has no suggested length
    stored = w.services.store.db.execute("SELECT position, question_id, question_text, status FROM attempts "
                                         "WHERE id = ?", [answered.attempt_id]).fetchone()
    assert tuple(stored) == (3, c.question.id, asked, "analysed")

    # Finish: the summary (a row per question and one for the follow-up answer, each with what to fix next;
    # a row opens its review), then the session in History.
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.summary
    assert w.grab().save(str(test_output / "summary.png"))
    summary = page.summary
    assert [summary.cell_text(r, 2) for r in range(4)] == ["2", "1", "1 + 1 follow-up", "Follow-up 1"]
    assert summary.cell_text(3, 1) == f"Follow-up: {asked}"
    assert summary.cell_text(0, 5) == f"{second_score}/100 (take 1: {first_score})"
    assert all(summary.cell_text(r, 6) for r in range(4))
    summary.table.selectRow(0)
    assert summary.detail.text().split("\n")[1].startswith(summary.cell_text(0, 6))  # in full below the table
    assert "3 of 3 questions answered" in summary.headline.text() and "1 follow-up answered" in \
        summary.headline.text()
    assert summary.advice.text().startswith("Practise ")
    summary.table.selectRow(3)
    qtbot.mouseClick(summary.open_button, Qt.MouseButton.LeftButton)
    opened = w.findChildren(ReviewDialog)[-1]
    assert opened.review.record is not None and opened.review.record.attempt_id == answered.attempt_id
    assert "apostle" in opened.review.transcript.toPlainText().lower()
    opened.close()
    sid = c.session_id
    assert sid is not None and w.services.store.session(sid).status == "completed"
    qtbot.mouseClick(page.summary.findChild(type(page.next_button), "summaryHistory"), Qt.MouseButton.LeftButton)
    assert w.stack.currentWidget() is w.history
    assert w.history.selected_session() == sid
    assert w.history.attempts.attempt_count() == 5
    assert w.history.display_text(0, 1) == "Quick 3-question practice"

    # A stored take reopens in the review, compared with the take before it, and replays with highlighting.
    w.history.attempts.table.selectRow(1)
    qtbot.mouseClick(w.history.attempts.review_button, Qt.MouseButton.LeftButton)
    stored = w.findChildren(ReviewDialog)[-1].review
    assert stored.heading.text() == "Your answer \u00b7 Take 2" and "Now covered: " in stored.comparison.text()
    stored.player.play()
    qtbot.waitUntil(lambda: (stored.transcript.current or 0) > 2, timeout=10_000)
    w.findChildren(ReviewDialog)[-1].close()

    # And in Progress: five answers charted (the follow-up's included).
    w.commands.progress.trigger()
    assert w.progress.headline.text() == "5 answers in 1 session"
    assert not w.progress.charts["wpm"].empty


@pytest.mark.models
def test_ending_before_any_answer_counts_no_answer(qtbot: QtBot, services: Services) -> None:
    """No microphone, then End: no answer is counted, and the summary agrees with itself about what was asked."""
    audio = AudioIO(lambda _q, _p, _t: MicRecorder("no such microphone"), lambda _p, _s: None, ClockPlayer)
    w = MainWindow(services, audio=audio, warm_models=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    c, page = w.controller, w.interview
    c.speak_questions = False
    w.start_interview("quick-3")
    with qtbot.waitSignal(c.answer_failed, timeout=MODEL_TIMEOUT_MS) as failed:
        page.answer_action.trigger()
    assert "no usable microphone" in failed.args[0]
    with qtbot.waitSignal(c.finished):
        page.end_action.trigger()
    assert page.stack.currentWidget() is page.summary
    assert page.summary.headline.text() == "No answers recorded (1 of 3 questions asked)."
    assert [page.summary.cell_text(r, 2) for r in range(3)] == ["skipped", "not reached", "not reached"]
    db, sid = w.services.store.db, c.session_id
    assert db.execute("SELECT status FROM sessions WHERE id = ?", [sid]).fetchone()[0] == "cancelled"
    assert [r[0] for r in db.execute("SELECT status FROM attempts WHERE session_id = ?", [sid])] == ["no_audio"]
    assert not list(w.services.store.audio_dir.rglob("q01-take*.wav"))
    w.close()


@pytest.mark.models
def test_end_session_asks_before_cutting_an_interview_short(qtbot: QtBot, services: Services,
                                                            speech: Callable[[str], Path],
                                                            audio_from_files: Callable[..., AudioIO]) -> None:
    w = MainWindow(services, audio=audio_from_files({(1, 1): speech("whisper_jfk.flac")}, realtime=False),
                   warm_models=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    c, page = w.controller, w.interview
    c.speak_questions = False
    w.start_interview("quick-3")
    with qtbot.waitSignal(c.answer_ready, timeout=MODEL_TIMEOUT_MS):
        page.answer_action.trigger()
    page.end_action.trigger()
    box = page.end_box
    assert box is not None and box.isVisible() and box.text() == "End this session now?"
    assert box.informativeText() == ("Your 1 answer so far is kept in History. 2 questions will not be asked.")
    assert box.defaultButton() is not page.end_confirm  # Enter keeps practising
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert page.end_box is None and c.active and c.phase is Phase.REVIEW
    page.end_action.trigger()
    assert page.end_confirm is not None
    with qtbot.waitSignal(c.finished):
        qtbot.mouseClick(page.end_confirm, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.summary and page.end_box is None
    assert w.services.store.session(c.session_id or 0).status == "cancelled"
    w.close()
