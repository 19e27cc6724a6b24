"""What changed between two takes of the same question: pace, fillers, score and rubric items."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Targets
from app.domain import Analysis
from app.review.marks import item_name

MINUS = "\u2212"


@dataclass(frozen=True)
class Change:
    label: str
    before: float | None
    after: float | None
    better: bool | None  # None: neither better nor worse (or not comparable)
    unit: str = ""
    decimals: int = 0

    @property
    def text(self) -> str:
        def fmt(v: float | None) -> str:
            return "\u2014" if v is None else f"{v:.{self.decimals}f}"

        delta = ""
        if self.before is not None and self.after is not None:
            d = self.after - self.before
            sign = "+" if d >= 0 else MINUS
            delta = f" ({sign}{abs(d):.{self.decimals}f})"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.label}: {fmt(self.before)} \u2192 {fmt(self.after)}{unit}{delta}"


@dataclass(frozen=True)
class Comparison:
    changes: tuple[Change, ...]
    gained: tuple[str, ...]  # rubric item names present now, missing before
    lost: tuple[str, ...]


def _distance(wpm: float, t: Targets) -> float:
    return max(t.wpm_low - wpm, wpm - t.wpm_high, 0.0)


def compare(before: Analysis, after: Analysis, targets: Targets) -> Comparison:
    b, a = before.delivery, after.delivery
    wpm_better = None
    if _distance(a.wpm, targets) != _distance(b.wpm, targets):
        wpm_better = _distance(a.wpm, targets) < _distance(b.wpm, targets)
    f_better = None if a.fillers_per_100_words == b.fillers_per_100_words \
        else a.fillers_per_100_words < b.fillers_per_100_words
    changes = [Change("Pace", b.wpm, a.wpm, wpm_better, "wpm"),
               Change("Fillers", b.fillers_per_100_words, a.fillers_per_100_words, f_better, "per 100 words", 1)]
    gained: list[str] = []
    lost: list[str] = []
    if before.rubric and after.rubric:
        sb, sa = before.rubric.score, after.rubric.score
        changes.append(Change("Score", sb, sa, None if sa == sb else sa > sb))
        was = {i.id: i.present for i in before.rubric.items}
        for item in after.rubric.items:
            name = item_name(after.rubric.rubric, item.id)
            if item.present and not was.get(item.id, False):
                gained.append(name)
            elif not item.present and was.get(item.id, False):
                lost.append(name)
    return Comparison(tuple(changes), tuple(gained), tuple(lost))
