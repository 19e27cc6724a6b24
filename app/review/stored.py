"""An answer from the store (an `Attempt`) as the review shows it, so past answers can be reviewed and replayed
like fresh ones: with the delivery figures stored when it was analysed (not recomputed with today's targets).

Takes are numbered as the interview numbers them: analysed answers to the question itself 1, 2, ...; answers
to the spoken follow-up (stored at the question's position with the follow-up as their question text) on their
own. The first attempt at a position always answers the question itself, so a later attempt there with another
question text answers a follow-up."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from app.domain import KINDS, Analysis, Attempt, Question
from app.formatting import DASH
from app.review.answer import AnswerRecord, take_label

DEFAULT_ANSWER_TIME_S = 120


def _question(a: Attempt, bank: Mapping[str, Question]) -> Question:
    known = bank.get(a.question_id or "")
    if known is not None:
        return known
    kind = a.kind if a.kind in KINDS else "technical"
    return Question(a.question_id or "recording", a.category or "", str(kind), "", DEFAULT_ANSWER_TIME_S,
                    a.question_text, ())


def follow_up_flags(attempts: Sequence[Attempt]) -> list[bool]:
    """For each attempt: does it answer a follow-up (rather than the question at its position)?"""
    first_text: dict[int, str] = {}
    out = []
    for a in attempts:
        asked = first_text.setdefault(a.position, a.question_text)
        out.append(a.question_text != asked)
    return out


def take_numbers(attempts: Sequence[Attempt]) -> list[int | None]:
    """Each analysed attempt's take number (per position, follow-up answers counted apart); None for the others."""
    counts: dict[tuple[int, bool], int] = {}
    out: list[int | None] = []
    for a, follow_up in zip(attempts, follow_up_flags(attempts), strict=True):
        if not a.analysed:
            out.append(None)
            continue
        key = (a.position, follow_up)
        counts[key] = counts.get(key, 0) + 1
        out.append(counts[key])
    return out


def take_labels(attempts: Sequence[Attempt]) -> list[str]:
    """"Take 1", "Take 2", "Follow-up" ... for History's rows; a dash for attempts that are no answer."""
    return [DASH if n is None else take_label(n, f)
            for n, f in zip(take_numbers(attempts), follow_up_flags(attempts), strict=True)]


def stored_record(a: Attempt, audio: Path | None, bank: Mapping[str, Question], take: int = 1,
                  previous: AnswerRecord | None = None, follow_up: bool = False) -> AnswerRecord | None:
    """The review of a stored answer; None when it was never analysed (nothing to review)."""
    if not a.analysed or a.transcript is None or a.delivery is None:
        return None
    analysis = Analysis(a.transcript, a.delivery, a.latest.result if a.latest else None, dict(a.timings))
    earlier = tuple((str(r.result.model.get("name", "")), r.result.score) for r in reversed(a.results[:-1]))
    question = _question(a, bank)
    if follow_up:
        question = replace(question, text=a.question_text)
    return AnswerRecord(a.position, question, take, a.id, analysis, audio or Path(), None, previous,
                        earlier, answers_follow_up=follow_up)


def stored_records(attempts: Sequence[Attempt], audio_for: Callable[[str], Path],
                   bank: Mapping[str, Question]) -> list[AnswerRecord]:
    """Every analysed attempt of a session, each linked to the previous analysed take of the same question (a
    follow-up answer to the previous answer of the same follow-up). `audio_for(stored_path)` turns a stored
    audio path into a file path."""
    out: list[AnswerRecord] = []
    latest: dict[tuple[int, bool], AnswerRecord] = {}
    for a, n, follow_up in zip(attempts, take_numbers(attempts), follow_up_flags(attempts), strict=True):
        if n is None:
            continue
        key = (a.position, follow_up)
        audio = audio_for(a.audio_path) if a.audio_path else None
        record = stored_record(a, audio, bank, n, latest.get(key), follow_up)
        if record is not None:
            latest[key] = record
            out.append(record)
    return out
