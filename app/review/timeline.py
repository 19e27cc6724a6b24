"""The answer over time, for the timeline strip: stretches of speech, the pauses between them, and fillers.

Speech is the words (neighbours closer than a marked pause run into one stretch); pauses are the delivery's
pauses that the transcript marks too (at least `MIN_MARKED_PAUSE_S`), long ones at the user's target; fillers
are the delivery's filler spans, drawn over the speech.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import Delivery, Transcript
from app.review.marks import MIN_MARKED_PAUSE_S

SPEECH, PAUSE, LONG_PAUSE, FILLER = "speech", "pause", "long_pause", "filler"


@dataclass(frozen=True)
class Stretch:
    start: float
    end: float
    kind: str  # speech | pause | long_pause | filler
    text: str = ""  # the filler's words

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Timeline:
    duration_s: float
    stretches: tuple[Stretch, ...]

    def of(self, kind: str) -> list[Stretch]:
        return [s for s in self.stretches if s.kind == kind]

    def at(self, seconds: float) -> Stretch | None:
        """What is drawn at `seconds`: a filler over speech, else the speech or pause there."""
        hits = [s for s in self.stretches if s.start <= seconds <= s.end]
        return next((s for s in hits if s.kind == FILLER), hits[0] if hits else None)


def timeline(transcript: Transcript, delivery: Delivery | None, long_pause_s: float = 2.0,
             min_pause_s: float = MIN_MARKED_PAUSE_S) -> Timeline:
    words = transcript.words
    duration = max(transcript.duration_s, words[-1].end if words else 0.0)
    out: list[Stretch] = []
    if words:
        start, end = words[0].start, words[0].end
        for w in words[1:]:
            if w.start - end >= min_pause_s:
                out.append(Stretch(start, end, SPEECH))
                start = w.start
            end = max(end, w.end)
        out.append(Stretch(start, end, SPEECH))
    if delivery is not None:
        for p in delivery.pauses:
            if p.duration >= min_pause_s:
                out.append(Stretch(p.start, p.end, LONG_PAUSE if p.duration >= long_pause_s else PAUSE))
        out += [Stretch(f.start, f.end, FILLER, f.text) for f in delivery.fillers]
    order = {SPEECH: 0, PAUSE: 1, LONG_PAUSE: 1, FILLER: 2}
    return Timeline(duration, tuple(sorted(out, key=lambda s: (order[s.kind], s.start))))
