"""Fillers: filled pauses (um, uh), discourse fillers ("you know", filler "like"), hedges, repetitions."""

from __future__ import annotations

from collections.abc import Sequence

from app.delivery.tokens import ends_clause, norm
from app.domain import FillerItem, Word

FILLED_PAUSES = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "ahh", "hmm", "hm", "mm", "mhm"})
DISCOURSE = (("you", "know"), ("i", "mean"), ("kind", "of"), ("sort", "of"), ("basically",), ("actually",),
             ("yknow",), ("like",))
HEDGES = (("i", "think"), ("i", "guess"), ("maybe",), ("i", "suppose"), ("probably",))
# "like" is a verb or preposition after these words ("I like", "looks like", "something like").
_LIKE_CONTENT_BEFORE = frozenset({
    "i", "you", "we", "they", "he", "she", "would", "'d", "i'd", "we'd", "you'd", "they'd", "don't",
    "didn't", "look", "looks", "looked", "feel", "feels", "felt", "sound", "sounds", "seem", "seems",
    "something", "things", "anything", "nothing", "more", "much", "just", "is", "was", "be", "not",
    "really", "also", "do", "did", "does", "to",
})


def is_filled_pause(word: str) -> bool:
    return norm(word) in FILLED_PAUSES


def _match(words: Sequence[Word], i: int, phrase: tuple[str, ...]) -> bool:
    return i + len(phrase) <= len(words) and all(norm(words[i + k].text) == p for k, p in enumerate(phrase))


def _like_is_filler(words: Sequence[Word], i: int) -> bool:
    if i == 0 or ends_clause(words[i - 1].text) or ends_clause(words[i].text):
        return True
    return norm(words[i - 1].text) not in _LIKE_CONTENT_BEFORE


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
        hit = False
        for kind, phrases in (("discourse", DISCOURSE), ("hedge", HEDGES)):
            for phrase in phrases:
                if _match(words, i, phrase) and (phrase != ("like",) or _like_is_filler(words, i)):
                    last = words[i + len(phrase) - 1]
                    out.append(FillerItem(" ".join(phrase), w.start, last.end, kind))
                    i += len(phrase)
                    hit = True
                    break
            if hit:
                break
        if not hit:
            i += 1
    return out
