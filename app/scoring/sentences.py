"""Splitting an answer into sentences that keep their audio timestamps, so evidence can point at audio."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain import Evidence, Word

_END = re.compile(r"[.?!]['\")\]]*$")
MAX_WORDS = 40  # long run-on speech is cut so one "sentence" never covers a whole answer


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    start: float | None
    end: float | None

    def evidence(self) -> Evidence:
        return Evidence(self.text, self.start, self.end)


def from_words(words: Sequence[Word]) -> list[Sentence]:
    out: list[Sentence] = []
    cur: list[Word] = []
    for w in words:
        cur.append(w)
        if _END.search(w.text) or len(cur) >= MAX_WORDS:
            out.append(Sentence(len(out), " ".join(x.text for x in cur), cur[0].start, cur[-1].end))
            cur = []
    if cur:
        out.append(Sentence(len(out), " ".join(x.text for x in cur), cur[0].start, cur[-1].end))
    return out


def from_text(text: str) -> list[Sentence]:
    """Sentences of a written answer (no timestamps)."""
    spoken = from_words([Word(t, 0.0, 0.0) for t in text.split()])
    return [Sentence(s.index, s.text, None, None) for s in spoken]
