"""Spaced repetition for interview questions, the way Anki schedules cards (SuperMemo's SM-2).

Each scored answer is a review of its question. Its quality (0-5) is how much of the question's rubric the
answer covered (at least three of four items to pass). A question answered well comes back after a growing
interval (1 day, 6 days, then the last interval times the question's ease); one answered poorly comes back
the next day and its ease drops. Several answers to one question on one day (retakes) count once, as the
last of them: the day's final verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

START_EASE = 2.5
MIN_EASE = 1.3
PASS = 3  # a quality from here up is a successful review


@dataclass(frozen=True)
class Review:
    """One scored answer to a question."""
    question_id: str
    day: date
    quality: int  # 0 (nothing covered) .. 5 (everything covered)


@dataclass(frozen=True)
class Schedule:
    """Where a question stands after its reviews."""
    question_id: str
    repetitions: int  # successful reviews in a row
    interval_days: int
    ease: float
    last_day: date
    last_quality: int
    reviews: int  # days it was answered

    @property
    def due(self) -> date:
        return self.last_day + timedelta(days=self.interval_days)


def quality(covered: int, total: int) -> int:
    """SM-2's 0-5 grade from the share of rubric items an answer covered."""
    if total <= 0:
        raise ValueError("an answer scored on no rubric items has no quality")
    return min(5, int(5 * covered / total + 0.25))  # 4 items: 0, 1, 2, 4, 5 (half of STAR is no pass)


def review(state: Schedule | None, r: Review) -> Schedule:
    """The schedule after one more review (SM-2: intervals 1, 6, then interval x ease; a failed review
    starts the repetitions again; ease moves with the quality and never falls below 1.3)."""
    if not 0 <= r.quality <= 5:
        raise ValueError(f"quality must be 0-5, got {r.quality}")
    if state is None:
        state = Schedule(r.question_id, 0, 0, START_EASE, r.day, r.quality, 0)
    miss = 5 - r.quality
    ease = max(MIN_EASE, state.ease + 0.1 - miss * (0.08 + miss * 0.02))
    if r.quality < PASS:
        repetitions, interval = 0, 1
    else:
        repetitions = state.repetitions + 1
        interval = 1 if repetitions == 1 else 6 if repetitions == 2 else round(state.interval_days * ease)
    return replace(state, repetitions=repetitions, interval_days=interval, ease=ease, last_day=r.day,
                   last_quality=r.quality, reviews=state.reviews + 1)


def schedules(reviews: Iterable[Review]) -> dict[str, Schedule]:
    """Every reviewed question's schedule, replaying its reviews in day order (the last review of a day
    stands for that day)."""
    by_day: dict[tuple[str, date], Review] = {}
    for r in reviews:  # oldest first: a later answer on the same day replaces the earlier one
        by_day[(r.question_id, r.day)] = r
    out: dict[str, Schedule] = {}
    for (qid, _day), r in sorted(by_day.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        out[qid] = review(out.get(qid), r)
    return out
