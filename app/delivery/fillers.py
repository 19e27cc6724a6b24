"""Fillers: filled pauses (um, uh), discourse fillers ("you know", filler "like"), hedges, repetitions."""

from __future__ import annotations

from collections.abc import Sequence

from app.delivery.discourse import discourse_fillers
from app.delivery.tokens import ends_clause, norm
from app.domain import FillerItem, Word

FILLED_PAUSES = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "ahh", "hmm", "hm", "mm", "mhm"})
HEDGES = (("i", "think"), ("i", "guess"), ("maybe",), ("i", "suppose"), ("probably",))


def is_filled_pause(word: str) -> bool:
    return norm(word) in FILLED_PAUSES


def _match(words: Sequence[Word], i: int, phrase: tuple[str, ...]) -> bool:
    return i + len(phrase) <= len(words) and all(norm(words[i + k].text) == p for k, p in enumerate(phrase))


def find_fillers(words: Sequence[Word]) -> list[FillerItem]:
    """Every filler, in time order. Hedges are kind 'hedge' (reported apart from the filler count)."""
    out: list[FillerItem] = []
    i = 0
    while i < len(words):
        w = words[i]
        n = norm(w.text)
        if (i > 0 and n and n not in FILLED_PAUSES and n == norm(words[i - 1].text)
                and not ends_clause(words[i - 1].text)):
            out.append(FillerItem(f"{n} {n}", words[i - 1].start, w.end, "repetition"))
        if n in FILLED_PAUSES:
            out.append(FillerItem(n, w.start, w.end, "filled_pause"))
            i += 1
            continue
        phrase = next((p for p in HEDGES if _match(words, i, p)), None)
        if phrase is not None:
            out.append(FillerItem(" ".join(phrase), w.start, words[i + len(phrase) - 1].end, "hedge"))
            i += len(phrase)
        else:
            i += 1
    return sorted([*out, *discourse_fillers(words)], key=lambda f: (f.start, f.end))
