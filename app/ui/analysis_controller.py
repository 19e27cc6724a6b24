"""Analysing a recording made elsewhere, for the window: decode it into a WAV (so any format replays in the
review), analyse it against the chosen question, and on request save it to History as a session of its own
(through the import use case, `app.importing.save_analysed`, without analysing it again).

No widgets here: the analysis page shows what these signals say. Slow work runs on the models lane (Whisper
and the judge); saving runs on the background lane.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.domain import KINDS, Analysis, Question
from app.importing import convert_to_wav, save_analysed
from app.model_access import ModelAccess
from app.practice import analyze_file
from app.review.answer import AnswerRecord
from app.services import Services
from app.ui.tasks import MODELS, Task, TaskRunner


@dataclass(frozen=True)
class AnalysedFile:
    source: Path  # the user's file
    wav: Path  # its decoded 16 kHz WAV, analysed and replayed
    question: Question | None
    analysis: Analysis

    def record(self) -> AnswerRecord:
        """The review of it. Without a question there is no suggested length (0) and no structure score."""
        q = self.question or Question("recording", "", "technical", "", 0, self.source.name, ())
        return AnswerRecord(1, q, 1, 0, self.analysis, self.wav)


def session_title(source: Path) -> str:
    return f"Recording {source.name}"


class AnalysisController(QObject):
    finished = Signal(object)  # AnalysedFile
    failed = Signal(object, object)  # source Path, the exception
    saved = Signal(int)  # session id
    save_failed = Signal(object)  # the exception

    def __init__(self, services: Callable[[], Services], models: Callable[[], ModelAccess], runner: TaskRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services, self._models, self.runner = services, models, runner
        self._tmp = tempfile.TemporaryDirectory(prefix="viva-analysis-")
        self.current: AnalysedFile | None = None
        self.saved_session: int | None = None
        self.running = False
        self._n = 0

    def analyse(self, path: str | Path, question: Question | None = None,
                kind: str | None = None) -> Task[AnalysedFile]:
        """Transcribe `path`, measure delivery and score it against `question` (or as `kind`; neither: delivery
        only), in the background."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, got {kind!r}")
        source = Path(path)
        kind = question.kind if question is not None else kind
        models, targets = self._models(), self._services().config.targets
        self._n += 1
        wav = Path(self._tmp.name) / f"{self._n:03d}-{source.stem}.wav"

        def work() -> AnalysedFile:
            task.report("decoding")
            convert_to_wav(source, wav)
            judge = models.judge() if kind else None
            analysis = analyze_file(wav, models.transcriber(), kind=kind, judge=judge, progress=task.report,
                                    question_text=question.text if question else "", targets=targets)
            return AnalysedFile(source, wav, question, analysis)

        task: Task[AnalysedFile] = (Task(work).on_lane(MODELS).with_progress(f"Analysing {source.name}")
                                    .success(self._done).failure(lambda e: self._failed(source, e)))
        self.current, self.saved_session, self.running = None, None, True
        return task.run(self.runner)

    def save(self) -> Task[int] | None:
        """Keep the current analysis in History (once)."""
        done = self.current
        if done is None or self.saved_session is not None:
            return None
        store = self._services().store

        def work() -> int:
            return save_analysed(store, done.wav, done.analysis, question=done.question,
                                 title=session_title(done.source))

        task: Task[int] = (Task(work).with_progress(f"Saving {done.source.name} to History")
                           .success(self._saved).failure(self.save_failed.emit))
        return task.run(self.runner)

    def close(self) -> None:
        self._tmp.cleanup()

    def _done(self, result: AnalysedFile) -> None:
        self.running = False
        self.current = result
        self.finished.emit(result)

    def _failed(self, source: Path, error: Exception) -> None:
        self.running = False
        self.failed.emit(source, error)

    def _saved(self, session_id: int) -> None:
        self.saved_session = session_id
        self.saved.emit(session_id)
