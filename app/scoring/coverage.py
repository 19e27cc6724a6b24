"""Content coverage: which of a question's talking points the answer touches, with the sentence that does.

A talking point counts as covered when one sentence of the answer shares at least MIN_SHARED of its content
words (crudely stemmed: "monitoring" and "monitored" meet at "monitor") and at least MIN_SHARE of them.
It is a hint for the user ("you did not mention rollback"), not part of the structure score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.domain import Evidence
from app.scoring.features import normalise
from app.scoring.sentences import Sentence

MIN_SHARED = 2
MIN_SHARE = 0.3
_STOP = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "also", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "how", "i", "if", "in", "into", "is", "it", "its", "just", "like", "me",
    "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our",
    "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "way", "ways", "thing", "things", "something", "use", "used", "using", "well",
    "really", "get", "got", "make", "made", "one", "two", "first", "new", "good",
])


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z][a-z0-9\-]+", normalise(text)) if w not in _STOP and len(w) > 2}


@dataclass(frozen=True)
class PointCoverage:
    point: str
    covered: bool
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"point": self.point, "covered": self.covered,
                "evidence": [{"text": e.text, "start": e.start, "end": e.end} for e in self.evidence]}


def coverage(talking_points: Sequence[str], sentences: Sequence[Sentence]) -> list[PointCoverage]:
    words = [(s, content_words(s.text)) for s in sentences if not s.label]
    out = []
    for point in talking_points:
        want = content_words(point)
        best: tuple[int, Sentence | None] = (0, None)
        for s, have in words:
            shared = len(want & have)
            if shared > best[0]:
                best = (shared, s)
        shared, sentence = best
        covered = sentence is not None and shared >= MIN_SHARED and shared >= MIN_SHARE * len(want)
        out.append(PointCoverage(point, covered, (sentence.evidence(),) if covered and sentence else ()))
    return out
