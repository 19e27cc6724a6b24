"""One recorded answer as the interview screen knows it: the question (or the follow-up) answered, the take, and
what the core made of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain import Analysis, Question


def take_label(take: int, follow_up: bool = False) -> str:
    """"Take 1", "Take 2", ...; answers to the follow-up: "Follow-up", "Follow-up, take 2", ..."""
    if follow_up:
        return "Follow-up" if take <= 1 else f"Follow-up, take {take}"
    return f"Take {take}"


@dataclass(frozen=True)
class AnswerRecord:
    position: int  # 1-based place of the question in the session
    question: Question
    take: int  # 1 for the first answer to this question, 2 for "try again", ...
    attempt_id: int
    analysis: Analysis
    audio: Path
    follow_up: str | None = None  # the interviewer's follow-up, when asked for and something was missing
    previous: AnswerRecord | None = None  # the take before this one, to compare against
    earlier_scores: tuple[tuple[str, int], ...] = ()  # (model, score) of results before the shown one, latest first
    answers_follow_up: bool = False  # an answer to the spoken follow-up (`question.text` is the follow-up then)

    @property
    def score(self) -> int | None:
        return self.analysis.rubric.score if self.analysis.rubric else None

    @property
    def suggested_s(self) -> int:
        """The answer time to measure it against: the question's; none for a follow-up (a short answer)."""
        return 0 if self.answers_follow_up else self.question.answer_time_s

    @property
    def label(self) -> str:
        return take_label(self.take, self.answers_follow_up)
