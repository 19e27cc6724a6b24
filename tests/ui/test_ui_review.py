"""The review of one answer, from plain data (no models, and verdicts given rather than scored, so these test the
review and not the scorer): coaching summary, length verdict, marks, evidence, the timeline strip, playback
following the words, click-to-seek, the comparison with the previous take and both takes side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.audio import write_wav
from app.config import Targets
from app.delivery import analyze_delivery
from app.domain import Analysis, Evidence, ItemVerdict, Question, RubricResult, Transcript, Word
from app.player import ClockPlayer
from app.review.answer import AnswerRecord
from app.review.compare import compare
from app.review.marks import mark_words, word_at
from app.scoring.rubrics import default_rubrics
from app.ui.widgets.review_panel import ReviewPanel

QUESTION = Question("q", "behavioral", "behavioral", "medium", 60, "Tell me about a failure.", ("a",))
FIRST = "um so models can be you know slow and I think that is hard"
SECOND = ("Last year at my previous job our fraud model was too slow. My goal was to cut latency in half. "
          "I profiled the service and I rewrote the batching. As a result latency dropped by forty percent.")
STAR_QUOTES = {"situation": "Last year at my previous job our fraud model was too slow.",
               "task": "My goal was to cut latency in half.",
               "action": "I profiled the service and I rewrote the batching.",
               "result": "As a result latency dropped by forty percent."}


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def spoken(text: str, gap_after: int | None = None) -> Transcript:
    """Words 0.4 s apart (0.3 s long), with a 2.5 s pause after word `gap_after`."""
    words, t = [], 0.0
    for i, w in enumerate(text.split()):
        words.append(Word(w, round(t, 3), round(t + 0.3, 3)))
        t += 0.4 + (2.5 if i == gap_after else 0.0)
    return Transcript(tuple(words), duration_s=t + 0.5, model="test")


def star_verdicts(tr: Transcript) -> RubricResult:
    """Each STAR point present where its quote is in the transcript (with the quote's audio times), else missing
    with the rubric's own advice."""
    star = default_rubrics()["star"]
    words = [w.text for w in tr.words]
    items = []
    for item in star.items:
        quote = STAR_QUOTES[item.id].split()
        at = next((i for i in range(len(words)) if words[i:i + len(quote)] == quote), None)
        if at is None:
            items.append(ItemVerdict(item.id, False, 0.1, (), item.advice))
        else:
            ev = Evidence(" ".join(quote), tr.words[at].start, tr.words[at + len(quote) - 1].end)
            items.append(ItemVerdict(item.id, True, 0.9, (ev,)))
    score = round(100 * sum(i.present for i in items) / len(items))
    return RubricResult("star", tuple(items), score, (), {"name": "none"}, "test")


def record(text: str, audio: Path, take: int = 1, previous: AnswerRecord | None = None,
           gap_after: int | None = None) -> AnswerRecord:
    tr = spoken(text, gap_after)
    rubric = star_verdicts(tr)
    write_wav(audio, np.zeros(int(16000 * tr.duration_s), dtype=np.float32))
    return AnswerRecord(1, QUESTION, take, take, Analysis(tr, analyze_delivery(tr), rubric, {}), audio, None, previous)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def panel(qtbot: QtBot, clock: FakeClock) -> ReviewPanel:
    p = ReviewPanel(lambda: ClockPlayer(clock), Targets())
    qtbot.addWidget(p)
    p.resize(1200, 600)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_marks_fillers_hedges_pauses_and_evidence(tmp_path: Path) -> None:
    r = record("um I think we shipped it and then you know it failed", tmp_path / "a.wav", gap_after=4)
    marks = mark_words(r.analysis.transcript, r.analysis.delivery, r.analysis.rubric)
    assert [m.word.text for m in marks if m.filler] == ["um", "you", "know"]
    assert [m.word.text for m in marks if m.hedge] == ["I", "think"]
    assert [(m.word.text, m.pause_before_s) for m in marks if m.pause_before_s] == [("it", 2.6)]
    assert word_at(r.analysis.transcript.words, 0.0) == 0 and word_at(r.analysis.transcript.words, 0.45) == 1


def test_review_shows_marks_checklist_and_cards(panel: ReviewPanel, tmp_path: Path) -> None:
    panel.show_answer(record(FIRST, tmp_path / "a.wav", gap_after=7))
    view = panel.transcript
    assert view.toPlainText() == "um so models can be you know slow (pause 2.6 s) and I think that is hard"
    assert view.marked_words("filler") == ["um", "you", "know"]
    assert view.marked_words("hedge") == ["I", "think"]
    assert view.pause_marks() == [2.6]
    assert panel.cards.text("pause") == "2.6 s (1 pause of 2 s or more)"
    assert panel.cards.text("fillers").startswith("15.4 / 100 words (2 fillers \u00b7")
    assert [t.split("\n")[0] for t in panel.checklist.texts()] == ["\u2717 Situation", "\u2717 Task",
                                                                   "\u2717 Action", "\u2717 Result"]
    assert "Finish with the outcome" in panel.checklist.texts()[3]
    panel.checklist.setCurrentRow(3)
    assert panel.evidence_note.text() == "Nothing in this answer shows this point yet."
    assert panel.comparison.isHidden()


def test_playback_follows_the_words_and_a_click_seeks(panel: ReviewPanel, clock: FakeClock, qtbot: QtBot,
                                                      tmp_path: Path) -> None:
    panel.show_answer(record(FIRST, tmp_path / "a.wav"))
    view, bar = panel.transcript, panel.player
    assert view.current is None and bar.time.text() == "0:00 / 0:06"
    qtbot.mouseClick(bar.play_button, Qt.MouseButton.LeftButton)
    assert bar.playing
    clock.now += 1.25  # word 3 ("can") starts at 1.2 s
    qtbot.waitUntil(lambda: view.current == 3)
    assert [s.cursor.selectedText() for s in view.extraSelections()] == ["can"]
    qtbot.mouseClick(bar.play_button, Qt.MouseButton.LeftButton)
    assert not bar.playing

    rect = view.word_rect(8)  # "and"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert bar.playing and bar.player.position() == pytest.approx(3.2)
    qtbot.waitUntil(lambda: view.current == 8)
    clock.now += 60  # past the end: playback stops by itself
    qtbot.waitUntil(lambda: not bar.playing)
    assert bar.time.text() == "0:06 / 0:06"


def test_evidence_and_the_comparison_with_the_previous_take(panel: ReviewPanel, tmp_path: Path) -> None:
    first = record(FIRST, tmp_path / "a.wav")
    second = record(SECOND, tmp_path / "b.wav", take=2, previous=first)
    panel.show_answer(second)
    assert panel.heading.text() == "Your answer \u00b7 Take 2"
    text = panel.comparison.text()
    assert "Compared with take 1" in text and "Score: 0 \u2192 100 (+100)" in text
    assert "Fillers: 15.4 \u2192 0.0 per 100 words (\u221215.4)" in text
    assert "Now covered: Situation, Task, Action, Result" in text
    panel.checklist.setCurrentRow(panel.checklist.row_of("task"))
    assert panel.transcript.highlighted_text() == "My goal was to cut latency in half."
    assert panel.evidence_note.text() == "Highlighted in green in the transcript."


def test_compare_reports_pace_toward_the_target_band() -> None:
    def analysis(wpm_words: int) -> Analysis:
        tr = Transcript(tuple(Word("word", i * 60 / wpm_words, i * 60 / wpm_words + 0.1) for i in range(wpm_words)),
                        duration_s=60.0)
        return Analysis(tr, analyze_delivery(tr), None, {})

    c = compare(analysis(200), analysis(150), Targets())
    pace = c.changes[0]
    assert pace.label == "Pace" and pace.better is True and pace.after is not None and pace.after < 170
    assert [ch.label for ch in c.changes] == ["Pace", "Fillers"] and c.gained == () and c.lost == ()


def test_a_rescored_answer_lists_its_other_results(panel: ReviewPanel, tmp_path: Path) -> None:
    """An answer scored again (`viva rescore`) shows its latest result and names the earlier ones."""
    from dataclasses import replace

    from app.review.stored import stored_records
    from app.store import Store

    store = Store(tmp_path / "home")
    sid = store.create_session(None, "t")
    first = record(SECOND, tmp_path / "a.wav")
    attempt_id = store.add_attempt(sid, 1, QUESTION, QUESTION.text, first.audio, first.analysis)
    assert first.analysis.rubric is not None
    later = replace(first.analysis.rubric, score=75, model={"name": "<i>big</i>@gpu:8080"})
    store.add_result(attempt_id, later)

    (rec,) = stored_records(store.attempts(sid), store.absolute, {QUESTION.id: QUESTION})
    assert rec.score == 75 and rec.earlier_scores == (("none", 100),)
    panel.show_answer(rec)
    assert panel.earlier_scores.isVisible()
    assert panel.earlier_scores.text() == "Shown: 75/100 by <i>big</i>@gpu:8080 (latest). Earlier: 100/100 by none."

    panel.show_answer(first)  # a fresh answer has one result: nothing to list
    assert panel.earlier_scores.isHidden()


LONG_QUESTION = Question("q2", "behavioral", "behavioral", "medium", 120, "Tell me about a project.", ("a",))


def test_a_short_answer_is_flagged_and_the_summary_says_what_to_fix(panel: ReviewPanel, tmp_path: Path) -> None:
    from dataclasses import replace

    r = record(SECOND, tmp_path / "a.wav")  # a complete STAR answer, spoken in about 17 s
    r = replace(r, question=LONG_QUESTION)
    panel.show_answer(r)
    assert r.analysis.delivery.duration_s < 20
    assert panel.cards.text("length").startswith("0:1") and "Too short \u00b7 2:00 suggested" in \
        panel.cards.text("length")
    assert panel.coaching.fix_text().startswith("Say more: the answer ran 0:1")
    assert "of the 2:00 suggested" in panel.coaching.fix_text()
    assert panel.coaching.well_text().startswith("Covered Situation, Task, Action and Result.")
    assert "No fillers." in panel.coaching.well_text()
    assert panel.coaching.fix.text().startswith('<b style="color:#b3261e">Fix next:</b>')


def test_the_timeline_shows_pauses_and_fillers_and_a_click_plays_from_there(panel: ReviewPanel, clock: FakeClock,
                                                                           qtbot: QtBot, tmp_path: Path) -> None:
    panel.show_answer(record(FIRST, tmp_path / "a.wav", gap_after=7))
    strip, bar = panel.timeline, panel.player
    timeline = strip.timeline
    assert [(s.start, s.end) for s in timeline.of("long_pause")] == [(3.1, 5.7)]
    assert [s.text for s in timeline.of("filler")] == ["um", "you know"]
    assert len(timeline.of("speech")) == 2  # split by the pause
    x = int(strip.x_for(5.8))  # "and", just after the pause
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(x, strip.height() // 2))
    assert bar.playing and bar.player.position() == pytest.approx(5.8, abs=0.1)
    qtbot.waitUntil(lambda: panel.transcript.current == 8)
    assert strip.position == pytest.approx(bar.player.position(), abs=0.1)
    bar.pause()


def test_two_takes_side_by_side_with_playback_of_either(panel: ReviewPanel, clock: FakeClock, qtbot: QtBot,
                                                         tmp_path: Path) -> None:
    first = record(FIRST, tmp_path / "a.wav")
    panel.show_answer(first)
    assert panel.tabs.tabBar().isHidden() and not panel.tabs.isTabEnabled(1)
    second = record(SECOND, tmp_path / "b.wav", take=2, previous=first)
    panel.show_answer(second)
    assert panel.tabs.tabBar().isVisible() and panel.tabs.tabText(1) == "Take 1 and take 2 side by side"
    panel.show_side_by_side()
    before, after = panel.takes.before, panel.takes.after
    assert before.isVisible() and after.isVisible()
    assert (before.title(), after.title()) == ("Take 1", "Take 2")
    assert before.transcript.toPlainText().startswith("um so models") and before.transcript.marked_words("filler")
    assert after.transcript.toPlainText().startswith("Last year")
    assert "structure 0/100" in before.figures.text() and "structure 100/100" in after.figures.text()
    qtbot.mouseClick(before.player.play_button, Qt.MouseButton.LeftButton)
    clock.now += 1.25
    qtbot.waitUntil(lambda: before.transcript.current == 3)
    qtbot.mouseClick(after.player.play_button, Qt.MouseButton.LeftButton)
    assert after.player.playing and not before.player.playing  # one take at a time
    panel.toggle_playback()  # Space / Ctrl+P act on the take playing
    assert not after.player.playing
    panel.tabs.setCurrentIndex(0)
    assert not panel.player.playing


def test_pace_from_slow_to_too_fast_is_not_coloured_as_better(panel: ReviewPanel, tmp_path: Path) -> None:
    from dataclasses import replace

    from app.review.compare import COLOURS

    first = record(FIRST, tmp_path / "a.wav")
    slow = replace(first, analysis=replace(first.analysis, delivery=replace(first.analysis.delivery, wpm=100.0)))
    fast_analysis = replace(first.analysis, delivery=replace(first.analysis.delivery, wpm=190.0))
    panel.show_answer(replace(first, take=2, previous=slow, analysis=fast_analysis))
    text = panel.comparison.text()
    assert (f'<span style="color:{COLOURS["overshot"]}">Pace: 100 \u2192 190 wpm (+90), was too slow, now too fast'
            '</span>') in text
    assert COLOURS["overshot"] != COLOURS["better"]


def test_a_recording_that_cannot_be_replayed_is_said_plainly(panel: ReviewPanel, tmp_path: Path) -> None:
    from dataclasses import replace

    r = record(FIRST, tmp_path / "a.wav")
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF not really")
    panel.show_answer(replace(r, audio=broken))
    assert not panel.player.play_button.isEnabled()
    assert panel.audio_note.text() == ("This recording could not be opened for replay; its transcript and figures "
                                       "are all here.")
    assert panel.transcript.toPlainText().startswith("um so models")
