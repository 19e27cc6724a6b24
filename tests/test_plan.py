"""The practice plan: SM-2 spacing per question from its verdicts, weak rubric items and categories, and
the questions Home proposes, deterministic for a fixed day."""

from __future__ import annotations

from datetime import UTC, date

import pytest

from app.domain import Question
from app.plan import answer_day, make_plan, weaknesses
from app.spacing import Review, quality, review, schedules
from app.store.repo import TrendPoint

TODAY = date(2025, 12, 10)
NAMES = {"situation": "Situation", "task": "Task", "action": "Action", "result": "Result",
         "metric": "Success metric", "baseline": "Simple baseline"}


def q(qid: str, category: str, kind: str) -> Question:
    return Question(qid, category, kind, "medium", 120, f"Question {qid}?", ())


BANK = {x.id: x for x in (
    q("b-conflict", "behavioral", "behavioral"), q("b-failure", "behavioral", "behavioral"),
    q("b-ambiguity", "behavioral", "behavioral"), q("b-ownership", "behavioral", "behavioral"),
    q("d-fraud", "ml_system_design", "design"), q("d-feed", "ml_system_design", "design"),
    q("t-dropout", "deep_learning", "technical"), q("t-bias", "ml_fundamentals", "technical"),
)}


def star(task: bool, result: bool = True) -> dict[str, bool]:
    return {"situation": True, "task": task, "action": True, "result": result}


def answer(qid: str, day: int, items: dict[str, bool], hour: int = 9) -> TrendPoint:
    question = BANK[qid]
    score = round(100 * sum(items.values()) / len(items))
    return TrendPoint(0, day, f"2025-12-{day:02d}T{hour:02d}:00:00+00:00", question.category, 140.0, 1.0, 1.0, 0,
                      score, items, qid, question.text, question.kind, 1)


def test_quality_is_the_share_of_the_rubric_covered() -> None:
    assert [quality(c, 4) for c in range(5)] == [0, 1, 2, 4, 5]
    assert [quality(c, 3) for c in range(4)] == [0, 1, 3, 5]
    with pytest.raises(ValueError):
        quality(0, 0)


def test_questions_answered_well_come_back_later_and_later() -> None:
    days = [date(2025, 12, d) for d in (1, 2, 8)]
    s = None
    intervals = []
    for d in days:
        s = review(s, Review("b-conflict", d, 5))
        intervals.append(s.interval_days)
    assert intervals == [1, 6, 17]  # SM-2: 1 day, 6 days, then 6 x ease (2.8)
    assert s is not None and s.due == date(2025, 12, 25) and s.ease == pytest.approx(2.8)
    failed = review(s, Review("b-conflict", date(2025, 12, 25), 1))
    assert failed.interval_days == 1 and failed.repetitions == 0 and failed.ease == pytest.approx(2.26)
    low = review(None, Review("x", date(2025, 12, 1), 0))
    for _ in range(5):
        low = review(low, Review("x", date(2025, 12, 1), 0))
    assert low.ease == 1.3  # never below SM-2's floor


def test_retakes_on_one_day_count_once_as_the_last() -> None:
    day = date(2025, 12, 3)
    s = schedules([Review("b-failure", day, 1), Review("b-failure", day, 5)])["b-failure"]
    assert s.reviews == 1 and s.last_quality == 5 and s.interval_days == 1


def test_a_weak_item_is_named_with_how_often_it_was_missed() -> None:
    points = [answer("b-conflict", 1, star(True)), answer("b-failure", 2, star(False)),
              answer("b-conflict", 3, star(False)), answer("b-failure", 4, star(False, result=False))]
    weak = weaknesses(points, NAMES)
    assert weak[0].reason == "Task was missing in 3 of your last 4 behavioral answers"
    assert [w.item for w in weak] == ["task"]  # Result missed once: not weak


def test_the_plan_puts_due_reviews_first_then_new_questions_for_weak_spots() -> None:
    points = [
        answer("b-conflict", 1, star(True)), answer("b-conflict", 2, star(True)),  # right twice: back on the 8th
        answer("d-fraud", 3, {"metric": True, "baseline": True}),  # right twice: back on the 10th
        answer("d-fraud", 4, {"metric": True, "baseline": True}),
        answer("b-conflict", 8, star(False)),  # 3 of 4 still passes: back 16 days later
        answer("b-failure", 9, star(False, result=False), hour=8),  # a retake on the same day replaces this
        answer("b-failure", 9, star(False, result=False)),  # half of STAR: tomorrow again
    ]
    plan = make_plan(points, BANK, TODAY, tz=UTC, names=NAMES)
    ids = [i.question.id for i in plan.items]
    assert ids[:2] == ["b-failure", "d-fraud"]  # both due today, the harder (lower ease) first
    assert "b-conflict" not in ids  # kept getting it right: it comes back later
    assert plan.items[0].reason == "Back for another try: your answer yesterday missed too much of its rubric"
    assert plan.items[1].reason.startswith("Due for review: last answered on 4 Dec, it comes back later")
    third = plan.items[2]
    assert third.due is None and third.question.id in ("b-ambiguity", "b-ownership")
    assert third.reason == "Task was missing in 3 of your last 5 behavioral answers"
    assert plan.headline(TODAY) == "2 questions due for review today, and 1 new question for your weak spots."
    assert make_plan(points, BANK, TODAY, tz=UTC, names=NAMES) == plan  # the same day, the same plan


def test_no_history_gives_a_first_mix_of_each_kind() -> None:
    plan = make_plan([], BANK, TODAY, names=NAMES)
    assert sorted(i.question.kind for i in plan.items) == ["behavioral", "design", "technical"]
    assert plan.headline(TODAY) == "A first mix to start with. The plan adapts as you answer."
    assert all(i.reason.endswith("question you have not answered yet") for i in plan.items)


def test_nothing_due_says_when_the_next_review_is() -> None:
    points = [answer("d-fraud", 9, {"metric": True, "baseline": True})]  # good yesterday: back tomorrow... today
    plan = make_plan(points, BANK, date(2025, 12, 9), tz=UTC, names=NAMES)
    assert all(i.due is None for i in plan.items) and "d-fraud" not in [i.question.id for i in plan.items]
    assert plan.next_due == date(2025, 12, 10)
    assert plan.headline(date(2025, 12, 9)).startswith(
        "Nothing is due for review today (the next comes back tomorrow). Here are 3 new questions")
    assert answer_day("2025-12-09T23:30:00+00:00", UTC) == date(2025, 12, 9)
