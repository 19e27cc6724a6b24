"""All delivery figures for one transcript."""

from __future__ import annotations

from app.delivery.fillers import find_fillers
from app.delivery.pace import articulation_wpm, content_words, span_s, wpm
from app.delivery.pauses import find_pauses
from app.domain import Delivery, Transcript


def analyze_delivery(t: Transcript) -> Delivery:
    words = t.words
    items = find_fillers(words)
    fillers = tuple(f for f in items if f.kind != "hedge")
    pauses = find_pauses(words)
    n = len(content_words(words))
    span = span_s(words)
    silence = sum(p.duration for p in pauses)
    return Delivery(
        duration_s=t.duration_s,
        speaking_s=max(0.0, span - silence),
        word_count=n,
        wpm=wpm(words),
        articulation_wpm=articulation_wpm(words, pauses),
        fillers=fillers,
        hedges=tuple(f for f in items if f.kind == "hedge"),
        fillers_per_100_words=len(fillers) / n * 100.0 if n else 0.0,
        pauses=tuple(pauses),
        long_pauses_1s=sum(1 for p in pauses if p.duration > 1.0),
        long_pauses_2s=sum(1 for p in pauses if p.duration > 2.0),
        longest_pause_s=max((p.duration for p in pauses), default=0.0),
        silence_share=silence / span if span > 0 else 0.0,
    )
