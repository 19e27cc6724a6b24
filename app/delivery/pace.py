"""Pace: words per minute over the answer and over speaking time, and pace within the answer."""

from __future__ import annotations

from collections.abc import Sequence

from app.delivery.fillers import is_filled_pause
from app.domain import Pause, Word


def content_words(words: Sequence[Word]) -> list[Word]:
    return [w for w in words if not is_filled_pause(w.text)]


def span_s(words: Sequence[Word]) -> float:
    """From the first word's start to the last word's end (leading/trailing silence is not the answer)."""
    return max(0.0, words[-1].end - words[0].start) if words else 0.0


def wpm(words: Sequence[Word]) -> float:
    span = span_s(words)
    return len(content_words(words)) / span * 60.0 if span > 0 else 0.0


def articulation_wpm(words: Sequence[Word], pauses: Sequence[Pause]) -> float:
    speaking = span_s(words) - sum(p.duration for p in pauses)
    return len(content_words(words)) / speaking * 60.0 if speaking > 0 else 0.0


def pace_windows(words: Sequence[Word], window_s: float = 15.0) -> list[tuple[float, float]]:
    """(window start, wpm) for consecutive windows over the answer, counting words by their midpoint."""
    if not words:
        return []
    start = words[0].start
    out = []
    t = start
    while t < words[-1].end:
        n = sum(1 for w in content_words(words) if t <= (w.start + w.end) / 2 < t + window_s)
        length = min(window_s, words[-1].end - t)
        if length >= window_s / 3:
            out.append((round(t, 2), n / length * 60.0))
        t += window_s
    return out
