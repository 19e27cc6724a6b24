"""The Qt-free review model: the length verdict, the coaching summary, comparison by direction toward the
target, the timeline strip's stretches, take numbering of stored answers, and problems in plain words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.config import Targets
from app.delivery import analyze_delivery
from app.domain import Analysis, Attempt, Evidence, ItemVerdict, RubricResult, Transcript, Word
from app.errors import AudioError, ModelError, NoSpeechError
from app.review.coaching import (
    ABOUT_RIGHT,
    NO_TARGET,
    TOO_LONG,
    TOO_SHORT,
    coach,
    length_verdict,
    session_advice,
)
from app.review.compare import BETTER, OVERSHOT, SAME, WORSE, compare, fillers_change, length_change, pace_change
from app.review.problems import NO_SPEECH, UNREADABLE, analysis_problem
from app.review.stored import follow_up_flags, take_labels, take_numbers
from app.review.timeline import timeline

T = Targets()


def spoken(text: str, step: float = 0.4, gap_after: int | None = None) -> Transcript:
    words, t = [], 0.0
    for i, w in enumerate(text.split()):
        words.append(Word(w, round(t, 3), round(t + step * 0.75, 3)))
        t += step + (2.5 if i == gap_after else 0.0)
    return Transcript(tuple(words), duration_s=t, model="test")


def analysis(text: str, step: float = 0.4, gap_after: int | None = None,
             rubric: RubricResult | None = None) -> Analysis:
    tr = spoken(text, step, gap_after)
    return Analysis(tr, analyze_delivery(tr), rubric, {})


def star(present: tuple[bool, bool, bool, bool]) -> RubricResult:
    ids = ("situation", "task", "action", "result")
    items = tuple(ItemVerdict(i, p, 0.9 if p else 0.1, (Evidence("we",),) if p else (), "" if p else f"Say the {i}.")
                  for i, p in zip(ids, present, strict=True))
    return RubricResult("star", items, 25 * sum(present), (), {"name": "test"}, "1")


# -- length ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("seconds", "state"), [(17, TOO_SHORT), (59, TOO_SHORT), (60, ABOUT_RIGHT),
                                                (150, ABOUT_RIGHT), (151, TOO_LONG)])
def test_length_against_the_suggested_time(seconds: float, state: str) -> None:
    assert length_verdict(seconds, 120).state == state


def test_a_17_second_answer_against_two_minutes_reads_too_short() -> None:
    v = length_verdict(17.2, 120)
    assert not v.ok and v.text == "Too short: 0:17 of 2:00 suggested"
    assert length_verdict(17.2, 0).state == NO_TARGET and length_verdict(17.2, 0).ok


# -- coaching ----------------------------------------------------------------------------------------

ON_PACE = " ".join(["we built a model that ranks the results for users"] * 10)  # 100 words at 0.4 s: 150 wpm


def test_a_good_answer_has_nothing_to_fix() -> None:
    c = coach(analysis(ON_PACE, rubric=star((True,) * 4)), 40, T)
    assert c.fix_next is None and c.also == ()
    assert c.fix_text == "Nothing off target: keep answering like this."
    assert c.fix_headline == "Nothing off target"
    assert c.went_well == ("Covered Situation, Task, Action and Result.", "No fillers.",
                           "Pace on target: 150 words a minute.", "No long pauses.",
                           "Length about right: 0:39 of 0:40 suggested.")


def test_the_one_thing_to_fix_is_content_before_delivery() -> None:
    # fillers far over the target, slow, and a missing rubric point
    slow_um = " ".join(["um we", "um built", "um a", "um model"] * 5)
    a = analysis(slow_um, step=0.8, rubric=star((True, True, True, False)))
    c = coach(a, 30, T)
    assert c.fix_next is not None and c.fix_next.area == "structure"
    assert c.fix_next.text == "Add the result. Say the result."
    assert c.fix_headline == "Add the result" and [p.headline for p in c.also] == ["Cut the fillers",
                                                                                   "Speed up a little"]
    assert [p.area for p in c.also] == ["fillers", "pace"]
    assert c.also[0].text.startswith("Cut the fillers: 20 fillers (100.0 per 100 words, target at most 3), mostly "
                                     "\u201cum\u201d.")
    assert c.also[1].text == "Speed up a little: 38 words a minute, target 130\u2013160."
    assert c.went_well[0] == "Covered Situation, Task and Action."


def test_too_short_comes_first_and_pauses_and_length_are_counted_against_the_targets() -> None:
    a = analysis(" ".join(ON_PACE.split()[:40]), gap_after=10, rubric=star((False, True, True, True)))
    c = coach(a, 120, T)
    assert c.fix_next is not None and c.fix_next.area == "length"
    assert c.fix_next.text == "Say more: the answer ran 0:18 of the 2:00 suggested, too short to cover the question."
    assert [p.area for p in c.also] == ["structure", "pauses"]
    assert c.also[0].text == "Add the situation. Say the situation."
    assert c.also[1].text == "Shorten the long pauses: 1 pause of 2 s or more (longest 2.6 s)."
    long = coach(analysis(ON_PACE), 20, T)
    assert long.fix_next is not None and long.fix_next.text == "Tighten it: the answer ran 0:39 against 0:20 suggested."


def test_session_advice_names_the_most_common_fix() -> None:
    slow = coach(analysis(ON_PACE, step=0.8), 80, T)
    fast = coach(analysis(ON_PACE, step=0.3), 30, T)
    good = coach(analysis(ON_PACE), 40, T)
    assert session_advice([slow, fast, good]) == "Practise your pace next: the thing to fix in 2 of 3 answers."
    assert session_advice([good]) == "Every answer was on target. Try a harder set of questions next."
    assert session_advice([]) == ""


# -- comparison --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("before", "after", "direction", "note"), [
    (100, 190, OVERSHOT, "was too slow, now too fast"),  # slow to too fast is no improvement
    (190, 100, OVERSHOT, "was too fast, now too slow"),
    (100, 140, BETTER, "now on target"),
    (100, 120, BETTER, ""),
    (120, 100, WORSE, ""),
    (140, 150, SAME, ""),  # both within the band
    (150, 175, WORSE, "now too fast"),
    (175, 165, BETTER, ""),
])
def test_pace_change_is_judged_by_direction_toward_the_band(before: float, after: float, direction: str,
                                                             note: str) -> None:
    c = pace_change(before, after, T)
    assert (c.direction, c.note) == (direction, note)
    assert c.better is {BETTER: True, WORSE: False}.get(direction)


def test_fillers_and_length_changes() -> None:
    assert fillers_change(2.0, 0.5, T).direction == SAME  # within the target either way
    assert fillers_change(8.0, 4.0, T).direction == BETTER and fillers_change(8.0, 4.0, T).note == ""
    assert fillers_change(8.0, 2.0, T).note == "now within the target"
    assert fillers_change(2.0, 4.0, T).direction == WORSE and fillers_change(2.0, 4.0, T).note == "now over the target"
    assert length_change(17, 90, 120).direction == BETTER
    assert length_change(17, 90, 120).text == "Length: 0:17 \u2192 1:30, now about right"
    assert length_change(17, 200, 120).direction == OVERSHOT
    assert length_change(80, 100, 120).direction == SAME


def test_compare_lists_pace_fillers_length_and_score() -> None:
    before = analysis(ON_PACE, step=0.8, rubric=star((True, False, False, False)))
    after = analysis(ON_PACE, rubric=star((True, True, False, True)))
    c = compare(before, after, T, 60)
    assert [ch.label for ch in c.changes] == ["Pace", "Fillers", "Length", "Score"]
    assert c.change("Pace").direction == BETTER and c.change("Score").text == "Score: 25 \u2192 75 (+50)"
    assert c.gained == ("Task", "Result") and c.lost == ()
    assert [ch.label for ch in compare(before, after, T).changes] == ["Pace", "Fillers", "Score"]


# -- timeline ----------------------------------------------------------------------------------------

def test_timeline_stretches() -> None:
    a = analysis("um so we shipped it and then you know it failed", gap_after=4)
    t = timeline(a.transcript, a.delivery, long_pause_s=2.0)
    assert [(s.start, s.end) for s in t.of("speech")] == [(0.0, 1.9), (4.5, 6.8)]
    assert [(s.start, s.end) for s in t.of("long_pause")] == [(1.9, 4.5)]
    assert [s.text for s in t.of("filler")] == ["um", "you know"]
    assert t.at(0.1) is not None and t.at(0.1).kind == "filler"  # type: ignore[union-attr]
    assert t.at(3.0) is not None and t.at(3.0).kind == "long_pause"  # type: ignore[union-attr]
    short = timeline(a.transcript, a.delivery, long_pause_s=5.0)
    assert short.of("long_pause") == [] and len(short.of("pause")) == 1
    assert timeline(Transcript((), 3.0), None).stretches == ()


# -- stored takes ------------------------------------------------------------------------------------

def attempt(n: int, position: int, text: str, status: str = "analysed") -> Attempt:
    tr = spoken("we did it")
    return Attempt(n, 1, position, "q", text, "c", "behavioral", None, "2026-01-01", status,
                   transcript=tr if status == "analysed" else None,
                   delivery=analyze_delivery(tr) if status == "analysed" else None)


def test_takes_and_follow_ups_are_numbered_apart() -> None:
    rows = [attempt(1, 1, "Q1"), attempt(2, 1, "Q1"), attempt(3, 1, "Why that metric?"),
            attempt(4, 2, "Q2", "no_speech"), attempt(5, 2, "Q2"), attempt(6, 1, "Why that metric?")]
    assert follow_up_flags(rows) == [False, False, True, False, False, True]
    assert take_numbers(rows) == [1, 2, 1, None, 1, 2]
    assert take_labels(rows) == ["Take 1", "Take 2", "Follow-up", "\u2014", "Take 1", "Follow-up, take 2"]
    assert replace(rows[0], status="failed").analysed is False


# -- problems ----------------------------------------------------------------------------------------

def test_problems_in_plain_words() -> None:
    raw = AudioError("/tmp/x.wav: not a readable audio file (InvalidDataError: [Errno 1094995529] Invalid data)")
    assert analysis_problem(raw) == UNREADABLE and "Errno" not in UNREADABLE
    assert analysis_problem(NoSpeechError("no speech detected; check the microphone")) == NO_SPEECH
    assert "microphone" not in NO_SPEECH
    missing = ModelError("whisper model missing; run make setup")
    assert analysis_problem(missing) == "Whisper model missing; run make setup"
    assert analysis_problem(KeyError("x")).startswith("Unexpected error (KeyError")
