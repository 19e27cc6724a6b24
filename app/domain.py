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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Delivery:
        """The delivery `to_dict` wrote (as stored with an answer). Figures added after an answer was stored
        (pace windows, low-confidence stretches, targets, ...) read as their defaults."""
        fillers, hedges, pauses = d["fillers"], d.get("hedges") or {}, d["pauses"]
        return cls(
            duration_s=float(d["duration_s"]),
            speaking_s=float(d["speaking_s"]),
            word_count=int(d["word_count"]),
            wpm=float(d["wpm"]),
            articulation_wpm=float(d["articulation_wpm"]),
            fillers=tuple(FillerItem(**f) for f in fillers.get("items", [])),
            hedges=tuple(FillerItem(**f) for f in hedges.get("items", [])),
            fillers_per_100_words=float(fillers["per_100_words"]),
            pauses=tuple(Pause(float(p["start"]), float(p["end"])) for p in pauses.get("items", [])),
            long_pauses_1s=int(pauses["over_1s"]),
            long_pauses_2s=int(pauses["over_2s"]),
            longest_pause_s=float(pauses["longest_s"]),
            silence_share=float(pauses["silence_share"]),
            pace_windows=tuple((float(w["start"]), float(w["wpm"])) for w in d.get("pace_windows", [])),
            first_substantive_s=None if d.get("first_substantive_s") is None else float(d["first_substantive_s"]),
            low_confidence=tuple(Span(**s) for s in d.get("low_confidence", [])),
            targets=dict(d.get("targets") or {}),
        )


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


# -- what the store keeps ---------------------------------------------------------------------------------------

ATTEMPT_OUTCOMES: dict[str, str] = {
    "recording": "not finished (the app stopped while recording; `viva recover` analyses it)",
    "no_speech": "no speech heard",
    "no_audio": "not recorded",
    "failed": "analysis failed (the recording is kept)",
    "cancelled": "not kept (the session was ended while recording)",
}


@dataclass(frozen=True)
class StoredResult:
    """One rubric result kept for an answer: re-scoring adds results and keeps the earlier ones."""

    result_id: int
    created_at: str
    result: RubricResult

    def to_dict(self) -> dict[str, Any]:
        return {**self.result.to_dict(), "result_id": self.result_id, "created_at": self.created_at}


@dataclass(frozen=True)
class Session:
    """A stored session, with figures over its analysed answers (no averages when it has none)."""

    id: int
    started_at: str
    ended_at: str | None
    preset: str | None
    title: str
    status: str  # in_progress | completed | cancelled | interrupted | recovered
    answers: int = 0  # analysed answers only: an answer that was never heard is not counted
    avg_wpm: float | None = None
    avg_fillers_per_100: float | None = None

    @property
    def name(self) -> str:
        return self.preset or self.title

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["attempts"] = d.pop("answers")  # the JSON key `viva sessions --json` has always used
        return d


@dataclass(frozen=True)
class Attempt:
    """One stored answer. Its figures, transcript and delivery exist once it is 'analysed'; other statuses
    (see `ATTEMPT_OUTCOMES`) keep only the question and, where there is one, the recording."""

    id: int
    session_id: int
    position: int
    question_id: str | None
    question_text: str
    category: str | None
    kind: str | None
    audio_path: str | None  # relative to the data directory
    created_at: str
    status: str
    duration_s: float | None = None
    word_count: int | None = None
    wpm: float | None = None
    articulation_wpm: float | None = None
    filler_count: int | None = None
    fillers_per_100: float | None = None
    longest_pause_s: float | None = None
    pauses_over_2s: int | None = None
    silence_share: float | None = None
    transcript: Transcript | None = None
    delivery: Delivery | None = None
    timings: dict[str, float] = field(default_factory=dict)
    results: tuple[StoredResult, ...] = ()  # oldest first: the last is the latest

    @property
    def analysed(self) -> bool:
        return self.status == "analysed" and self.transcript is not None and self.delivery is not None

    @property
    def outcome(self) -> str:
        """'analysed', or in plain words why there are no figures."""
        if self.analysed:
            return "analysed"
        return ATTEMPT_OUTCOMES.get(self.status, self.status.replace("_", " "))

    @property
    def latest(self) -> StoredResult | None:
        return self.results[-1] if self.results else None

    @property
    def text(self) -> str:
        return self.transcript.text if self.transcript else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            **{f: getattr(self, f) for f in _ATTEMPT_COLUMNS},
            "transcript": self.transcript.to_dict() if self.transcript else None,
            "delivery": self.delivery.to_dict() if self.delivery else None,
            "timings": dict(self.timings),
            "results": [r.to_dict() for r in self.results],
        }


_ATTEMPT_COLUMNS = ("id", "session_id", "position", "question_id", "question_text", "category", "kind",
                    "audio_path", "created_at", "status", "duration_s", "word_count", "wpm", "articulation_wpm",
                    "filler_count", "fillers_per_100", "longest_pause_s", "pauses_over_2s", "silence_share")
