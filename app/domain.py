"""Plain, frozen data that flows through Viva: question -> audio -> transcript -> delivery -> rubric -> store.

Every stage is a function over these types; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["behavioral", "technical", "design"]
KINDS: tuple[str, ...] = ("behavioral", "technical", "design")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
RUBRIC_FOR_KIND: dict[str, str] = {"behavioral": "star", "design": "design", "technical": "concept"}


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    kind: str
    difficulty: str
    answer_time_s: int
    text: str
    talking_points: tuple[str, ...]
    source: str = ""  # "file:line" it was loaded from

    @property
    def rubric(self) -> str:
        return RUBRIC_FOR_KIND[self.kind]


@dataclass(frozen=True)
class PresetSlot:
    category: str
    count: int
    kind: str | None = None
    difficulty: str | None = None


@dataclass(frozen=True)
class Preset:
    id: str
    name: str
    description: str
    slots: tuple[PresetSlot, ...]


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    duration_s: float
    language: str = "en"
    model: str = ""

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "words": [asdict(w) for w in self.words],
            "duration_s": self.duration_s,
            "language": self.language,
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Transcript:
        return cls(
            words=tuple(Word(**w) for w in d.get("words", [])),
            duration_s=float(d.get("duration_s", 0.0)),
            language=d.get("language", "en"),
            model=d.get("model", ""),
        )


@dataclass(frozen=True)
class FillerItem:
    text: str
    start: float
    end: float
    kind: str  # filled_pause | discourse | hedge | repetition


@dataclass(frozen=True)
class Pause:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Span:
    start: float
    end: float
    text: str
    probability: float  # mean word probability over the stretch


@dataclass(frozen=True)
class Delivery:
    duration_s: float
    speaking_s: float
    word_count: int
    wpm: float
    articulation_wpm: float
    fillers: tuple[FillerItem, ...]  # filled pauses, discourse fillers, repetitions
    hedges: tuple[FillerItem, ...]
    fillers_per_100_words: float
    pauses: tuple[Pause, ...]
    long_pauses_1s: int
    long_pauses_2s: int
    longest_pause_s: float
    silence_share: float
    pace_windows: tuple[tuple[float, float], ...] = ()  # (window start s, wpm) per 15 s
    first_substantive_s: float | None = None  # when the first real content word starts
    low_confidence: tuple[Span, ...] = ()  # stretches the recogniser was unsure of
    targets: dict[str, Any] = field(default_factory=dict)  # each figure's target and whether it is met

    def to_dict(self) -> dict[str, Any]:
        return {
            "duration_s": round(self.duration_s, 3),
            "speaking_s": round(self.speaking_s, 3),
            "word_count": self.word_count,
            "wpm": round(self.wpm, 1),
            "articulation_wpm": round(self.articulation_wpm, 1),
            "fillers": {
                "total": len(self.fillers),
                "per_100_words": round(self.fillers_per_100_words, 2),
                "items": [asdict(f) for f in self.fillers],
            },
            "hedges": {"total": len(self.hedges), "items": [asdict(f) for f in self.hedges]},
            "pauses": {
                "count": len(self.pauses),
                "over_1s": self.long_pauses_1s,
                "over_2s": self.long_pauses_2s,
                "longest_s": round(self.longest_pause_s, 3),
                "silence_share": round(self.silence_share, 3),
                "items": [{"start": p.start, "end": p.end} for p in self.pauses],
            },
            "pace_windows": [{"start": s, "wpm": round(w, 1)} for s, w in self.pace_windows],
            "first_substantive_s": self.first_substantive_s,
            "low_confidence": [asdict(s) for s in self.low_confidence],
            "targets": self.targets,
        }


@dataclass(frozen=True)
class Evidence:
    text: str
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class ItemVerdict:
    id: str
    present: bool
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    advice: str = ""


@dataclass(frozen=True)
class RubricResult:
    rubric: str
    items: tuple[ItemVerdict, ...]
    score: int
    feedback: tuple[str, ...]
    model: dict[str, Any] = field(default_factory=dict)
    prompt_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "items": [
                {
                    "id": i.id,
                    "present": i.present,
                    "confidence": round(i.confidence, 3),
                    "evidence": [asdict(e) for e in i.evidence],
                    "advice": i.advice,
                }
                for i in self.items
            ],
            "score": self.score,
            "feedback": list(self.feedback),
            "model": dict(self.model),
            "prompt_version": self.prompt_version,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RubricResult:
        return cls(
            rubric=d["rubric"],
            items=tuple(
                ItemVerdict(
                    id=i["id"],
                    present=bool(i["present"]),
                    confidence=float(i["confidence"]),
                    evidence=tuple(Evidence(**e) for e in i.get("evidence", [])),
                    advice=i.get("advice", ""),
                )
                for i in d["items"]
            ),
            score=int(d["score"]),
            feedback=tuple(d.get("feedback", [])),
            model=dict(d.get("model", {})),
            prompt_version=d.get("prompt_version", ""),
        )


@dataclass(frozen=True)
class Analysis:
    """Everything Viva derives from one spoken answer."""

    transcript: Transcript
    delivery: Delivery
    rubric: RubricResult | None
    timings: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "transcript": self.transcript.to_dict(),
            "delivery": self.delivery.to_dict(),
            "rubric": self.rubric.to_dict() if self.rubric else None,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }
