"""What to practise next, from the stored verdicts: questions that are due again (spaced as Anki spaces its
reviews: app/spacing.py), then new questions aimed at the rubric items the user keeps missing and at the
weakest categories. Qt-free and deterministic for a given history, bank and day.

A question answered well comes back later and later; one answered poorly comes back the next day. An item
such as STAR's Task counts as weak when it was missing in at least half (and at least two) of the last
answers of its kind; the plan then asks new questions of that kind and says why.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from app.domain import KINDS, Question
from app.errors import BankError
from app.formatting import plural
from app.spacing import Review, Schedule, quality, schedules
from app.store.repo import TrendPoint

PLAN_SIZE = 3
RECENT = 5  # answers of a kind (or a category) that say how it is going
WEAK_SHARE = 0.5
KIND_WORDS = {"behavioral": "behavioral", "technical": "technical", "design": "system design"}


@dataclass(frozen=True)
class Weakness:
    """A rubric item missing from many recent answers of one kind."""
    kind: str
    item: str
    name: str  # the item's display name, e.g. "Task"
    missed: int
    of: int

    @property
    def reason(self) -> str:
        answers = "answer" if self.of == 1 else "answers"
        return f"{self.name} was missing in {self.missed} of your last {self.of} {KIND_WORDS[self.kind]} {answers}"


@dataclass(frozen=True)
class WeakCategory:
    category: str
    average: float  # mean structure score of its recent answers
    answers: int


@dataclass(frozen=True)
class PlanItem:
    question: Question
    reason: str  # why it is in the plan, one sentence without the full stop
    due: date | None = None  # when it came due (questions answered before)


@dataclass(frozen=True)
class Plan:
    items: tuple[PlanItem, ...]
    weaknesses: tuple[Weakness, ...]  # weakest first
    next_due: date | None  # the next day a question comes back, when none is due today
    answered: int  # scored answers the plan is based on

    @property
    def questions(self) -> list[Question]:
        return [i.question for i in self.items]

    def headline(self, today: date) -> str:
        if not self.answered:
            return "A first mix to start with. The plan adapts as you answer."
        due = sum(1 for i in self.items if i.due is not None)
        new = len(self.items) - due
        fresh = f"{plural(new, 'new question')} for your weak spots"
        if due:
            return f"{plural(due, 'question')} due for review today" + (f", and {fresh}." if new else ".")
        later = f" (the next comes back {day_text(self.next_due, today)})" if self.next_due else ""
        verb = "is" if new == 1 else "are"
        return f"Nothing is due for review today{later}. Here {verb} {fresh}." if new else "Nothing to plan yet."


def day_text(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"on {day.day} {day:%b}" if day.year == today.year else f"on {day.day} {day:%b %Y}"


def answer_day(created_at: str, tz: tzinfo | None = None) -> date:
    """The (local) day an answer was given."""
    return datetime.fromisoformat(created_at).astimezone(tz).date()


def item_names() -> dict[str, str]:
    """Item id -> display name from the built-in rubrics (ids stand in when they cannot be read)."""
    try:
        from app.scoring.rubrics import default_rubrics

        return {it.id: it.name for r in default_rubrics().values() for it in r.items}
    except BankError:
        return {}


def weaknesses(points: Sequence[TrendPoint], names: Mapping[str, str]) -> list[Weakness]:
    """Items missing in at least half (and at least two) of the last `RECENT` scored answers of each kind."""
    out = []
    for kind in KINDS:
        recent = [p for p in points if p.kind == kind and p.items][-RECENT:]
        for item in dict.fromkeys(i for p in recent for i in p.items):
            scored = [p.items[item] for p in recent if item in p.items]
            missed = scored.count(False)
            if missed >= 2 and missed >= WEAK_SHARE * len(scored):
                out.append(Weakness(kind, item, names.get(item, item.replace("_", " ").capitalize()), missed,
                                    len(scored)))
    return sorted(out, key=lambda w: (-w.missed / w.of, -w.missed, w.kind, w.item))


def weak_categories(points: Sequence[TrendPoint]) -> list[WeakCategory]:
    """Categories by their recent average structure score, weakest first."""
    scores: dict[str, list[int]] = {}
    for p in points:
        if p.category and p.score is not None:
            scores.setdefault(p.category, []).append(p.score)
    cats = [WeakCategory(c, sum(s[-RECENT:]) / len(s[-RECENT:]), len(s[-RECENT:])) for c, s in scores.items()]
    return sorted(cats, key=lambda c: (c.average, c.category))


def reviews_of(points: Sequence[TrendPoint], tz: tzinfo | None = None) -> list[Review]:
    """The scored answers to bank questions as reviews, oldest first."""
    return [Review(p.question_id, answer_day(p.created_at, tz), quality(sum(p.items.values()), len(p.items)))
            for p in points if p.question_id and p.items]


def make_plan(points: Sequence[TrendPoint], bank: Mapping[str, Question], today: date, *,
              categories: Mapping[str, str] | None = None, size: int = PLAN_SIZE, tz: tzinfo | None = None,
              names: Mapping[str, str] | None = None) -> Plan:
    """Up to `size` questions for today: due reviews first (most overdue, then hardest), then new questions
    of the kinds whose items are weakest, then new questions from the weakest categories; with no history,
    one question of each kind. `points` are `Store.trend()`, oldest first; `bank` maps ids to questions."""
    names = item_names() if names is None else names
    categories = categories or {}
    scored = [p for p in points if p.items]
    plan: dict[str, PlanItem] = {}
    sched = {qid: s for qid, s in schedules(reviews_of(points, tz)).items() if qid in bank}
    weak = weaknesses(points, names)

    due = sorted((s for s in sched.values() if s.due <= today), key=lambda s: (s.due, s.ease, s.question_id))
    for s in due[:size]:
        plan[s.question_id] = PlanItem(bank[s.question_id], _due_reason(s, today), s.due)

    def fresh(pool: list[Question]) -> list[Question]:
        """Questions never answered, in an order that changes from day to day but not within one."""
        return sorted((q for q in pool if q.id not in sched and q.id not in plan),
                      key=lambda q: (zlib.crc32(f"{today.isoformat()} {q.id}".encode()), q.id))

    cats = weak_categories(points)
    for w in weak:
        if len(plan) >= size:
            break
        if any(i.question.kind == w.kind and i.due is None for i in plan.values()):
            continue  # one new question per weak kind, so the plan stays varied
        weakest_cat = [c.category for c in cats if any(q.category == c.category and q.kind == w.kind
                                                      for q in bank.values())]
        pool = [q for q in bank.values() if q.kind == w.kind]
        ranked = sorted(fresh(pool), key=lambda q: weakest_cat.index(q.category) if q.category in weakest_cat
                        else len(weakest_cat))
        if ranked:
            plan[ranked[0].id] = PlanItem(ranked[0], w.reason)
    for c in cats:
        if len(plan) >= size:
            break
        if c.average >= 75 or any(i.question.category == c.category for i in plan.values()):
            continue
        pool = fresh([q for q in bank.values() if q.category == c.category])
        if pool:
            name = categories.get(c.category, c.category.replace("_", " "))
            plan[pool[0].id] = PlanItem(pool[0], f"{name} is one of your weakest categories "
                                                 f"({c.average:.0f} average over {plural(c.answers, 'answer')})")
    if not scored or len(plan) < size:
        for kind in KINDS:  # a first mix, or filling up: kinds not in the plan yet
            if len(plan) >= size:
                break
            if any(i.question.kind == kind for i in plan.values()):
                continue
            pool = fresh([q for q in bank.values() if q.kind == kind])
            if pool:
                plan[pool[0].id] = PlanItem(pool[0], f"A {KIND_WORDS[kind]} question you have not answered yet")
    later = [s.due for s in sched.values() if s.due > today]
    return Plan(tuple(plan.values()), tuple(weak), min(later) if later and not due else None, len(scored))


def _due_reason(s: Schedule, today: date) -> str:
    when = day_text(s.last_day, today)
    if s.last_quality < 3:
        return f"Back for another try: your answer {when} missed too much of its rubric"
    return f"Due for review: last answered {when}, it comes back later each time you cover it well"
