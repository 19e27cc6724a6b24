"""An answer from the store (an `Attempt`) as the review shows it, so past answers can be reviewed and replayed
like fresh ones: with the delivery figures stored when it was analysed (not recomputed with today's targets)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from app.domain import KINDS, Analysis, Attempt, Question
from app.review.answer import AnswerRecord

DEFAULT_ANSWER_TIME_S = 120


def _question(a: Attempt, bank: Mapping[str, Question]) -> Question:
    known = bank.get(a.question_id or "")
    if known is not None:
        return known
    kind = a.kind if a.kind in KINDS else "technical"
    return Question(a.question_id or "recording", a.category or "", str(kind), "", DEFAULT_ANSWER_TIME_S,
                    a.question_text, ())


def stored_record(a: Attempt, audio: Path | None, bank: Mapping[str, Question], take: int = 1,
                  previous: AnswerRecord | None = None) -> AnswerRecord | None:
    """The review of a stored answer; None when it was never analysed (nothing to review)."""
    if not a.analysed or a.transcript is None or a.delivery is None:
        return None
    analysis = Analysis(a.transcript, a.delivery, a.latest.result if a.latest else None, dict(a.timings))
    earlier = tuple((str(r.result.model.get("name", "")), r.result.score) for r in reversed(a.results[:-1]))
    return AnswerRecord(a.position, _question(a, bank), take, a.id, analysis, audio or Path(), None, previous,
                        earlier)


def stored_records(attempts: Sequence[Attempt], audio_for: Callable[[str], Path],
                   bank: Mapping[str, Question]) -> list[AnswerRecord]:
    """Every analysed attempt of a session, each linked to the previous analysed take of the same question.
    `audio_for(stored_path)` turns a stored audio path into a file path."""
    out: list[AnswerRecord] = []
    latest: dict[int, AnswerRecord] = {}
    for a in attempts:
        previous = latest.get(a.position)
        audio = audio_for(a.audio_path) if a.audio_path else None
        record = stored_record(a, audio, bank, previous.take + 1 if previous else 1, previous)
        if record is not None:
            latest[a.position] = record
            out.append(record)
    return out
