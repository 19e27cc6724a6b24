"""The cue signal: which sentences of the answer match an item's cue patterns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.scoring.rubrics import RubricItem
from app.scoring.sentences import Sentence


@dataclass(frozen=True)
class CueHit:
    sentence: Sentence
    matches: int  # distinct cue patterns matched in this sentence


def cue_hits(item: RubricItem, sentences: Sequence[Sentence]) -> list[CueHit]:
    """Sentences with at least one cue for `item`, strongest first."""
    hits = [CueHit(s, sum(1 for c in item.cues if c.search(s.text))) for s in sentences]
    return sorted((h for h in hits if h.matches), key=lambda h: (-h.matches, h.sentence.index))


def cue_strength(hits: Sequence[CueHit]) -> float:
    """0 with no cue; 0.5 for one cue in one sentence; up to 1.0 with several cues or sentences."""
    if not hits:
        return 0.0
    total = sum(h.matches for h in hits)
    return min(1.0, 0.5 + 0.25 * (total - 1))
