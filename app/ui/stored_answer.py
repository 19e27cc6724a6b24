"""An answer from the store (a row of `Store.attempts()`) as the review shows it, so past answers can be
reviewed and replayed like fresh ones. Delivery figures are recomputed from the stored transcript with the
current targets (the store keeps them as JSON, which the core has no reader for)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from app.config import Targets
from app.delivery import analyze_delivery
from app.domain import KINDS, Analysis, Question, RubricResult, Transcript
from app.ui.answer_record import AnswerRecord

DEFAULT_ANSWER_TIME_S = 120


def _question(row: Mapping[str, Any], bank: Mapping[str, Question]) -> Question:
    known = bank.get(str(row.get("question_id") or ""))
    if known is not None:
        return known
    kind = row.get("kind") if row.get("kind") in KINDS else "technical"
    return Question(str(row.get("question_id") or "recording"), str(row.get("category") or ""), str(kind), "",
                    DEFAULT_ANSWER_TIME_S, str(row.get("question_text") or ""), ())


def stored_record(row: Mapping[str, Any], audio: Path | None, bank: Mapping[str, Question], targets: Targets,
                  take: int = 1, previous: AnswerRecord | None = None) -> AnswerRecord:
    transcript = Transcript.from_dict(row.get("transcript") or {})
    results = row.get("results") or []
    rubric = RubricResult.from_dict(results[-1]) if results else None
    analysis = Analysis(transcript, analyze_delivery(transcript, targets), rubric, dict(row.get("timings") or {}))
    earlier = tuple((str(r.get("model", {}).get("name", "")), int(r["score"])) for r in reversed(results[:-1]))
    return AnswerRecord(int(row.get("position") or 1), _question(row, bank), take, int(row["id"]), analysis,
                        audio or Path(), None, previous, earlier)


def stored_records(rows: Sequence[Mapping[str, Any]], audio_for: Callable[[str], Path], bank: Mapping[str, Question],
                   targets: Targets) -> list[AnswerRecord]:
    """Every attempt of a session, each linked to the previous take of the same question.
    `audio_for(stored_path)` turns a stored audio path into a file path."""
    out: list[AnswerRecord] = []
    latest: dict[int, AnswerRecord] = {}
    for row in rows:
        position = int(row.get("position") or 1)
        previous = latest.get(position)
        audio = audio_for(row["audio_path"]) if row.get("audio_path") else None
        record = stored_record(row, audio, bank, targets, previous.take + 1 if previous else 1, previous)
        latest[position] = record
        out.append(record)
    return out
