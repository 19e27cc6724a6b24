"""Low-confidence stretches: where the recogniser was unsure, so a weak verdict may come from the transcript
rather than from the answer."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain import Span, Word

LOW_PROBABILITY = 0.4


def low_confidence_spans(words: Sequence[Word], threshold: float = LOW_PROBABILITY) -> list[Span]:
    """Runs of consecutive words whose probability is below `threshold` (single words included)."""
    spans: list[Span] = []
    run: list[Word] = []
    for w in [*words, None]:
        if w is not None and w.probability < threshold:
            run.append(w)
            continue
        if run:
            mean = sum(x.probability for x in run) / len(run)
            spans.append(Span(run[0].start, run[-1].end, " ".join(x.text for x in run), round(mean, 3)))
            run = []
    return spans


def share_uncertain(words: Sequence[Word], threshold: float = LOW_PROBABILITY) -> float:
    return sum(1 for w in words if w.probability < threshold) / len(words) if words else 0.0
