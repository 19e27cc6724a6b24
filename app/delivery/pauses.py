"""Pauses: silent gaps between words."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain import Pause, Word

MIN_PAUSE_S = 0.25


def find_pauses(words: Sequence[Word], min_s: float = MIN_PAUSE_S) -> list[Pause]:
    return [Pause(a.end, b.start) for a, b in zip(words, words[1:], strict=False) if b.start - a.end > min_s]
