"""Shared by the structure-scoring benches: the figures (macro balanced accuracy with bootstrap intervals, deleted
components still called present, off-topic answers keeping more than one item) and verdicts through the real
scoring paths. Prints nothing itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain import RubricResult  # noqa: E402
from app.scoring.corpus import Example  # noqa: E402
from app.scoring.learn import balanced_accuracy, bootstrap_interval  # noqa: E402

Verdicts = dict[str, np.ndarray]  # item -> per-example verdict
OFF = ("offtopic", "nonstory")  # answers to another question: counted as off-topic, not in balanced accuracy


def macro(verdicts: Verdicts, examples: Sequence[Example], idx: np.ndarray) -> float:
    return float(np.mean([balanced_accuracy(np.array([examples[int(i)].labels[item] for i in idx]), v[idx])
                          for item, v in verdicts.items()]))


@dataclass(frozen=True)
class Figures:
    written: float
    written_ci: tuple[float, float]
    spoken: float
    spoken_ci: tuple[float, float]
    deleted: float  # share of deleted components still called present (written)
    deletions: int
    offtopic: float  # share of off-topic pairings keeping more than one item (nan: none)
    pairings: int
    # item -> (written balanced accuracy, share of its deleted copies still calling it present)
    items: dict[str, tuple[float, float]] = field(default_factory=dict)

    def line(self) -> str:
        off = f"{self.offtopic:.0%} of {self.pairings}" if self.pairings else "n/a"
        return (f"written {self.written:.3f} [{self.written_ci[0]:.2f}, {self.written_ci[1]:.2f}]  "
                f"spoken {self.spoken:.3f} [{self.spoken_ci[0]:.2f}, {self.spoken_ci[1]:.2f}]  "
                f"deleted still present {self.deleted:.0%} of {self.deletions}  off-topic >1 item {off}")

    def items_line(self) -> str:
        return "  ".join(f"{i} {ba:.3f} (deleted still present {d:.0%})" for i, (ba, d) in self.items.items())


def _ba(verdicts: Verdicts, examples: Sequence[Example], mask: np.ndarray) -> tuple[float, tuple[float, float]]:
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return float("nan"), (float("nan"), float("nan"))
    roots = [examples[int(i)].root for i in idx]
    ci = bootstrap_interval(idx, roots, lambda sub: macro(verdicts, examples, idx[sub]))
    return macro(verdicts, examples, idx), ci


def figures(verdicts: Verdicts, examples: Sequence[Example]) -> Figures:
    written = np.array([e.path == "written" and e.how not in OFF for e in examples])
    spoken = np.array([e.path != "written" and e.how not in OFF for e in examples])
    cuts = {item: [bool(v[k]) for k, e in enumerate(examples) if written[k] and e.how == "ablated"
                   and item in e.ablated] for item, v in verdicts.items()}  # each item's deleted copies
    calls = [c for cut in cuts.values() for c in cut]
    kept = [sum(bool(v[k]) for v in verdicts.values()) for k, e in enumerate(examples) if e.how in OFF]
    w, wci = _ba(verdicts, examples, written)
    s, sci = _ba(verdicts, examples, spoken)
    idx = np.flatnonzero(written)
    items = {item: (macro({item: v}, examples, idx), float(np.mean(cuts[item])) if cuts[item] else float("nan"))
             for item, v in verdicts.items()}
    return Figures(w, wci, s, sci, float(np.mean(calls)) if calls else float("nan"), len(calls),
                   float(np.mean([n > 1 for n in kept])) if kept else float("nan"), len(kept), items)


OFFTOPIC_MAX = 0.10  # the most off-topic pairings keeping more than one item a default may allow
BA_TIE = 0.01


def choose(candidates: dict[str, Figures]) -> str:
    """The scorer to use by default, from figures on the same answers: among the candidates that keep off-topic
    answers to at most one item often enough (OFFTOPIC_MAX, where there are pairings; all of them if none
    does), the one with the highest macro balanced accuracy (written and spoken together); within BA_TIE of
    it, the one calling fewer deleted components present."""
    ok = {n: f for n, f in candidates.items() if not f.pairings or f.offtopic <= OFFTOPIC_MAX} or candidates
    ba = {n: (f.written + f.spoken) / 2 for n, f in ok.items()}
    top = max(ba.values())
    near = [n for n in ok if ba[n] >= top - BA_TIE]
    return min(near, key=lambda n: (ok[n].deleted, -ba[n]))


def path_verdicts(examples: Sequence[Example], score: Callable[..., RubricResult]) -> Verdicts:
    """Verdicts from a real scoring function `score(rubric, question, text=... | words=...)`: written examples
    as text (their sentences joined by blank lines), spoken ones as words."""
    out: dict[str, list[bool]] = {}
    for e in examples:
        if e.path == "written":
            r = score(e.rubric, e.question, text="\n\n".join(s.text for s in e.sentences))
        else:
            r = score(e.rubric, e.question, words=list(e.words))
        for v in r.items:
            out.setdefault(v.id, []).append(v.present)
    return {k: np.array(v) for k, v in out.items()}
