"""All delivery figures for one transcript, each with its target."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.config import Targets
from app.delivery.confidence import low_confidence_spans
from app.delivery.fillers import find_fillers, is_filled_pause
from app.delivery.pace import articulation_wpm, content_words, pace_windows, span_s, wpm
from app.delivery.pauses import find_pauses
from app.delivery.tokens import norm
from app.domain import Delivery, Transcript, Word

# Words that warm up an answer without content ("So, well, okay...").
_WARM_UP = frozenset({"so", "well", "okay", "ok", "right", "yeah", "yes", "alright", "sure", "and", "like",
                      "basically", "actually", "great", "question", "good", "hmm", "let", "me", "think"})


def first_substantive_s(words: Sequence[Word]) -> float | None:
    for w in words:
        n = norm(w.text)
        if n and not is_filled_pause(w.text) and n not in _WARM_UP:
            return w.start
    return None


def _target(value: float, low: float | None, high: float | None, unit: str) -> dict[str, Any]:
    met = (low is None or value >= low) and (high is None or value <= high)
    return {"value": round(value, 2), "low": low, "high": high, "unit": unit, "met": met}


def analyze_delivery(t: Transcript, targets: Targets | None = None) -> Delivery:
    targets = targets or Targets()
    words = t.words
    items = find_fillers(words)
    fillers = tuple(f for f in items if f.kind != "hedge")
    pauses = find_pauses(words)
    n = len(content_words(words))
    span = span_s(words)
    silence = sum(p.duration for p in pauses)
    pace = wpm(words)
    per_100 = len(fillers) / n * 100.0 if n else 0.0
    longest = max((p.duration for p in pauses), default=0.0)
    return Delivery(
        duration_s=t.duration_s,
        speaking_s=max(0.0, span - silence),
        word_count=n,
        wpm=pace,
        articulation_wpm=articulation_wpm(words, pauses),
        fillers=fillers,
        hedges=tuple(f for f in items if f.kind == "hedge"),
        fillers_per_100_words=per_100,
        pauses=tuple(pauses),
        long_pauses_1s=sum(1 for p in pauses if p.duration > 1.0),
        long_pauses_2s=sum(1 for p in pauses if p.duration > 2.0),
        longest_pause_s=longest,
        silence_share=silence / span if span > 0 else 0.0,
        pace_windows=tuple(pace_windows(words)),
        first_substantive_s=first_substantive_s(words),
        low_confidence=tuple(low_confidence_spans(words)),
        targets={
            "wpm": _target(pace, targets.wpm_low, targets.wpm_high, "words per minute"),
            "fillers_per_100_words": _target(per_100, None, targets.fillers_per_100_max, "per 100 words"),
            "longest_pause_s": _target(longest, None, targets.long_pause_s, "seconds"),
        } if n else {},
    )
