"""What the review marks on each spoken word: fillers, hedges, the pause before it, and rubric evidence.

Plain data computed from the core's results (no Qt), so the marking rules are testable on their own. Words
are matched to fillers, pauses and evidence by their audio times, which all come from the same transcript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.domain import Delivery, Evidence, FillerItem, RubricResult, Transcript, Word
from app.errors import BankError

EPS = 0.02  # seconds: timestamps are rounded to milliseconds on the way through the core
MIN_MARKED_PAUSE_S = 1.0  # shorter gaps are ordinary breathing; the target says which ones are "long"


@dataclass(frozen=True)
class WordMark:
    index: int
    word: Word
    filler: str | None = None  # the filler's kind (filled_pause, discourse, repetition) when it is one
    hedge: bool = False
    pause_before_s: float = 0.0  # silence before this word, when at least MIN_MARKED_PAUSE_S
    evidence_for: tuple[str, ...] = ()  # rubric item ids whose evidence includes this word


def _inside(w: Word, start: float, end: float) -> bool:
    return w.start >= start - EPS and w.end <= end + EPS


def _covered(words: Sequence[Word], items: Sequence[FillerItem]) -> dict[int, FillerItem]:
    out: dict[int, FillerItem] = {}
    for item in items:
        for i, w in enumerate(words):
            if _inside(w, item.start, item.end):
                out.setdefault(i, item)
    return out


def evidence_words(words: Sequence[Word], evidence: Evidence) -> list[int]:
    """Indices of the words an evidence quote covers: by time when it has times, else by its text."""
    if evidence.start is not None and evidence.end is not None:
        return [i for i, w in enumerate(words) if _inside(w, evidence.start, evidence.end)]
    wanted = evidence.text.split()
    n = len(wanted)
    if not n:
        return []
    plain = [w.text for w in words]
    for i in range(len(plain) - n + 1):
        if plain[i:i + n] == wanted:
            return list(range(i, i + n))
    return []


def mark_words(transcript: Transcript, delivery: Delivery | None, rubric: RubricResult | None,
               min_pause_s: float = MIN_MARKED_PAUSE_S) -> list[WordMark]:
    words = transcript.words
    fillers = _covered(words, delivery.fillers) if delivery else {}
    hedges = _covered(words, delivery.hedges) if delivery else {}
    evidence: dict[int, list[str]] = {}
    for item in rubric.items if rubric else ():
        for ev in item.evidence:
            for i in evidence_words(words, ev):
                if item.id not in evidence.setdefault(i, []):
                    evidence[i].append(item.id)
    out = []
    for i, w in enumerate(words):
        gap = w.start - words[i - 1].end if i else 0.0
        out.append(WordMark(i, w, fillers[i].kind if i in fillers else None, i in hedges,
                            round(gap, 2) if gap >= min_pause_s else 0.0, tuple(evidence.get(i, ()))))
    return out


def word_at(words: Sequence[Word], seconds: float) -> int | None:
    """The word being said at `seconds` (or the last one started before it), None before the first."""
    current = None
    for i, w in enumerate(words):
        if w.start > seconds + EPS:
            break
        current = i
    return current


@lru_cache(maxsize=1)
def _item_names() -> dict[tuple[str, str], str]:
    from app.scoring.rubrics import default_rubrics

    try:
        rubrics = default_rubrics()
    except BankError:
        return {}
    return {(r.id, it.id): it.name for r in rubrics.values() for it in r.items}


def item_name(rubric_id: str, item_id: str) -> str:
    """The rubric item's display name ("Success metric"), or its id made readable."""
    return _item_names().get((rubric_id, item_id), item_id.replace("_", " ").capitalize())
