"""What changed between two takes of the same question: pace, fillers, length, score and rubric items.

Each change is judged by whether it moves toward the target, not by its sign: pace toward the band is better,
away from it worse, and from one side of the band to the other (slow to too fast) is an overshoot, not an
improvement; fillers and length within their targets are fine either way. The colour for each verdict lives
here too, so every screen that shows a comparison colours it the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Targets
from app.domain import Analysis
from app.formatting import clock
from app.review.coaching import ABOUT_RIGHT, length_verdict, pace_side
from app.review.marks import item_name

MINUS = "\u2212"
BETTER, WORSE, OVERSHOT, SAME = "better", "worse", "overshot", "same"
COLOURS = {BETTER: "#137333", WORSE: "#a50e0e", OVERSHOT: "#9a5b00", SAME: "#3c4043"}


@dataclass(frozen=True)
class Change:
    label: str
    before: float | None
    after: float | None
    direction: str  # better | worse | overshot (past the target to its other side) | same
    unit: str = ""
    decimals: int = 0
    as_clock: bool = False  # seconds shown as m:ss
    note: str = ""  # what the verdict means, e.g. "was slow, now too fast"

    @property
    def better(self) -> bool | None:
        """True/False for a clear improvement or setback; None when neither (same, or an overshoot)."""
        return {BETTER: True, WORSE: False}.get(self.direction)

    @property
    def colour(self) -> str:
        return COLOURS[self.direction]

    def _fmt(self, v: float | None) -> str:
        if v is None:
            return "\u2014"
        return clock(v) if self.as_clock else f"{v:.{self.decimals}f}"

    @property
    def text(self) -> str:
        delta = ""
        if self.before is not None and self.after is not None and not self.as_clock:
            d = self.after - self.before
            sign = "+" if d >= 0 else MINUS
            delta = f" ({sign}{abs(d):.{self.decimals}f})"
        unit = f" {self.unit}" if self.unit else ""
        note = f", {self.note}" if self.note else ""
        return f"{self.label}: {self._fmt(self.before)} \u2192 {self._fmt(self.after)}{unit}{delta}{note}"


@dataclass(frozen=True)
class Comparison:
    changes: tuple[Change, ...]
    gained: tuple[str, ...]  # rubric item names present now, missing before
    lost: tuple[str, ...]

    def change(self, label: str) -> Change:
        return next(c for c in self.changes if c.label == label)


def _toward(before: float, after: float) -> str:
    """Distances from a target: smaller is better."""
    if after == before:
        return SAME
    return BETTER if after < before else WORSE


def pace_change(before: float, after: float, targets: Targets) -> Change:
    b_side, a_side = pace_side(before, targets), pace_side(after, targets)

    def distance(wpm: float) -> float:
        return max(targets.wpm_low - wpm, wpm - targets.wpm_high, 0.0)

    note = ""
    if {b_side, a_side} == {"slow", "fast"}:
        direction = OVERSHOT
        note = f"was too {b_side}, now too {a_side}"
    elif b_side == a_side == "on target":
        direction = SAME
    else:
        direction = _toward(distance(before), distance(after))
        if a_side == "on target":
            note = "now on target"
        elif b_side == "on target":
            note = f"now too {a_side}"
    return Change("Pace", before, after, direction, "wpm", note=note)


def fillers_change(before: float, after: float, targets: Targets) -> Change:
    limit = targets.fillers_per_100_max
    # both within the target: no verdict on small moves
    direction = SAME if before <= limit and after <= limit else _toward(before, after)
    note = "now within the target" if before > limit >= after else \
        "now over the target" if after > limit >= before else ""
    return Change("Fillers", before, after, direction, "per 100 words", 1, note=note)


def length_change(before_s: float, after_s: float, suggested_s: int) -> Change:
    b, a = length_verdict(before_s, suggested_s), length_verdict(after_s, suggested_s)
    low, high = suggested_s * 0.5, suggested_s * 1.25

    def distance(s: float) -> float:
        return max(low - s, s - high, 0.0)

    if {b.state, a.state} == {"too_short", "too_long"}:
        direction = OVERSHOT
    elif b.state == a.state == ABOUT_RIGHT:
        direction = SAME
    else:
        direction = _toward(distance(before_s), distance(after_s))
    note = "" if a.state == b.state else f"now {a.text.split(':')[0].lower()}"
    return Change("Length", before_s, after_s, direction, as_clock=True, note=note)


def compare(before: Analysis, after: Analysis, targets: Targets, suggested_s: int | None = None) -> Comparison:
    b, a = before.delivery, after.delivery
    changes = [pace_change(b.wpm, a.wpm, targets),
               fillers_change(b.fillers_per_100_words, a.fillers_per_100_words, targets)]
    if suggested_s:
        changes.append(length_change(b.duration_s, a.duration_s, suggested_s))
    gained: list[str] = []
    lost: list[str] = []
    if before.rubric and after.rubric:
        sb, sa = before.rubric.score, after.rubric.score
        changes.append(Change("Score", sb, sa, SAME if sa == sb else BETTER if sa > sb else WORSE))
        was = {i.id: i.present for i in before.rubric.items}
        for item in after.rubric.items:
            name = item_name(after.rubric.rubric, item.id)
            if item.present and not was.get(item.id, False):
                gained.append(name)
            elif not item.present and was.get(item.id, False):
                lost.append(name)
    return Comparison(tuple(changes), tuple(gained), tuple(lost))
