"""Runs one mock interview for the window: ask (speak) each question, record answers, analyse, retake,
answer the follow-up, finish.

A thin Qt adapter over `app.session.PracticeSession`, which owns the session's lifecycle (its record, lock,
attempts, what was answered or skipped, and how it ends); this class adds the window's phases, the
question's voice and the task lanes. No widgets here: the interview page shows what these signals say and
calls these methods. Every slow step goes through the task runner: the question's voice is rendered on the
speech lane and played on the playback lane (with a stop event, so it can be cut off); an answer is
recorded, transcribed while it is spoken, scored and stored by `PracticeSession.record` on the recording
lane. Callbacks from worker threads (input level, live words) arrive as queued signals.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.audio_io import AudioIO
from app.domain import Question
from app.errors import NoSpeechError, describe
from app.model_access import ModelAccess
from app.recorder import BlockCallback, LevelCallback, Recorder
from app.review.answer import AnswerRecord
from app.scoring.scorer import follow_up
from app.services import Services
from app.session import AnswerDiscarded, AnswerModels, PracticeSession, SessionSummary
from app.ui.signals import emitter
from app.ui.tasks import Task, TaskRunner

SPEECH = "speech"  # rendering text to speech (the engine is not thread-safe)
PLAYBACK = "playback"  # the question's voice on the output device
RECORD = "record"  # recording + transcribing + scoring one answer


class Phase(enum.Enum):
    IDLE = "idle"  # no interview
    ASKING = "asking"  # a question is on screen, waiting for the answer
    RECORDING = "recording"
    ANALYSING = "analysing"  # recording stopped; the tail is transcribed and the answer scored
    REVIEW = "review"  # the answer's review is on screen
    FINISHED = "finished"  # the session summary is on screen


class _NotifyingRecorder:
    """Wraps a recorder to say when recording has stopped (by the user, or because the source ended)."""

    def __init__(self, inner: Recorder, ended: Callable[[], None]) -> None:
        self.inner = inner
        self.ended = ended

    def record(self, dest: Path, stop: threading.Event, on_level: LevelCallback | None = None,
               on_block: BlockCallback | None = None) -> Path:
        try:
            return self.inner.record(dest, stop, on_level=on_level, on_block=on_block)
        finally:
            self.ended()


class InterviewController(QObject):
    phase_changed = Signal(object)  # Phase
    question_shown = Signal(int, int, object)  # position, total, Question
    speaking_changed = Signal(bool)
    speech_failed = Signal(str)
    level = Signal(float)  # input level in dBFS, about ten times a second while recording
    words = Signal(object)  # list[Word] recognised while the answer is spoken
    analysing = Signal(str)  # what is still running after recording stopped
    answer_ready = Signal(object)  # AnswerRecord
    answer_failed = Signal(str)
    finished = Signal(int)  # session id, after the session is closed
    recording_ended = Signal()  # from the recording worker

    def __init__(self, services: Services, models: ModelAccess, runner: TaskRunner, io: AudioIO,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.models = models
        self.runner = runner
        self.io = io
        self.speak_questions = True
        self.ask_follow_up = False
        self.phase = Phase.IDLE
        self.session: PracticeSession | None = None
        self.session_id: int | None = None
        self.title = ""
        self.questions: list[Question] = []
        self.position = 0
        self.answers: dict[int, list[AnswerRecord]] = {}  # answers to each question itself, oldest first
        self.follow_up_answers: dict[int, list[AnswerRecord]] = {}
        self.pending_follow_up: str | None = None  # asked after the latest answer here, not answered yet
        self.answering_follow_up: str | None = None  # the follow-up being (or last) answered here
        self.speaking = False
        self._voice_stop = threading.Event()
        self._record_stop = threading.Event()
        self._record_task: Task[AnswerRecord] | None = None
        self._end_when_answered = False
        self._voice_files: dict[str, Path] = {}
        self.recording_ended.connect(self._on_recording_ended)

    # -- session -------------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.phase not in (Phase.IDLE, Phase.FINISHED)

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def question(self) -> Question:
        return self.questions[self.position - 1]

    def latest(self, position: int | None = None) -> AnswerRecord | None:
        takes = self.answers.get(position or self.position, [])
        return takes[-1] if takes else None

    def summary(self) -> SessionSummary | None:
        """What was answered, skipped and not reached, as the session tracked it."""
        return self.session.summary() if self.session is not None else None

    def start(self, questions: Sequence[Question], preset: str | None, title: str) -> int:
        """Open a new session in the store and ask the first question. Returns the session id."""
        if self.active:
            raise RuntimeError("an interview is already running")
        if not questions:
            raise ValueError("an interview needs at least one question")
        session = PracticeSession(self.services.store, questions, preset=preset, title=title)
        self.session_id = session.open()
        self.session = session
        self.title = title
        self.questions = list(questions)
        self.answers, self.follow_up_answers, self._voice_files = {}, {}, {}
        self._end_when_answered = False
        self._go_to(1)
        return self.session_id

    def next_question(self) -> None:
        """On to the next question (a question left unanswered counts as skipped); after the last: finish."""
        if self.phase not in (Phase.ASKING, Phase.REVIEW) or self.session is None:
            return
        if not self.answers.get(self.position):
            self.session.skip(self.position)
        if self.position >= self.total:
            self.end()
        else:
            self._go_to(self.position + 1)

    def skip(self) -> None:
        self.next_question()

    def retake(self) -> None:
        """Back to the same question for another take; the previous one stays stored for comparison."""
        if self.phase is Phase.REVIEW:
            self.stop_speaking()
            self.pending_follow_up = self.answering_follow_up = None
            self._set_phase(Phase.ASKING)

    def end(self) -> None:
        """Close the session and show the summary. Pressed during an answer it means "stop, I'm done": the
        recording stops and is not kept, and the session is cancelled. Once recording has stopped the answer is
        kept, and the session ends when it is analysed and stored."""
        if not self.active or self.session is None:
            return
        if self.phase is Phase.RECORDING or self.phase is Phase.ANALYSING:
            self._end_when_answered = True
            if self.phase is Phase.RECORDING:
                self.session.cancel()
            return
        self._finish()

    def _finish(self) -> None:
        assert self.session is not None and self.session_id is not None
        self._end_when_answered = False
        self.stop_speaking()
        self.session.finish()
        self._set_phase(Phase.FINISHED)
        self.finished.emit(self.session_id)

    def abort(self) -> None:
        """The window is closing: stop everything (an answer being recorded is not kept) and mark an open
        session interrupted."""
        if self._record_task is not None:
            self._record_task.cancel()  # its worker still settles the attempt, but nothing on screen changes
        self._voice_stop.set()
        if self.session is not None and self.session.running:
            self.session.cancel()
            self.session.interrupt()
        self._record_stop.set()
        if self.active:
            self._set_phase(Phase.IDLE)

    def reset(self) -> None:
        """Forget a finished session (back to no interview)."""
        if not self.active:
            self._set_phase(Phase.IDLE)

    def _go_to(self, position: int) -> None:
        assert self.session is not None
        self.stop_speaking()
        self.position = position
        self.pending_follow_up = self.answering_follow_up = None
        self.session.ask(position)
        self._set_phase(Phase.ASKING)
        self.question_shown.emit(position, self.total, self.question)
        if self.speak_questions:
            self.replay()

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase)

    # -- the question's voice --------------------------------------------------------------------------

    def replay(self) -> None:
        """Read the current question aloud (again)."""
        if self.phase in (Phase.ASKING, Phase.REVIEW):
            self.say(self.question.text, f"q{self.position:02d}-question.wav")

    def say(self, text: str, filename: str) -> None:
        """Render `text` (once; kept beside the session's audio) and play it, stopping anything playing."""
        self.stop_speaking()
        stop = self._voice_stop = threading.Event()
        cached = self._voice_files.get(filename)
        if cached is not None:
            self._play_voice(cached, stop)
            return
        assert self.session_id is not None
        dest = self.services.store.audio_dir / f"session-{self.session_id:05d}" / filename
        speaker = self.io.speaker or self.services.speaker

        def render() -> Path:
            return speaker.render(text, dest)

        def rendered(path: Path) -> None:
            self._voice_files[filename] = path
            if not stop.is_set():
                self._play_voice(path, stop)

        Task(render).on_lane(SPEECH).with_progress("Preparing the spoken question") \
            .success(rendered).failure(self._voice_failed).run(self.runner)

    def stop_speaking(self) -> None:
        self._voice_stop.set()
        self._set_speaking(False)

    def _play_voice(self, path: Path, stop: threading.Event) -> None:
        self._set_speaking(True)
        play = self.io.play_voice

        def done(_: object) -> None:
            if stop is self._voice_stop:
                self._set_speaking(False)

        def failed(error: Exception) -> None:
            done(None)
            self._voice_failed(error)

        Task(lambda: play(path, stop)).on_lane(PLAYBACK).success(done).failure(failed).run(self.runner)

    def _voice_failed(self, error: Exception) -> None:
        self.speech_failed.emit(f"Could not read the question aloud: {describe(error).rstrip('.')}. "
                                "The question is on screen; answer when you are ready.")

    def _set_speaking(self, speaking: bool) -> None:
        if speaking != self.speaking:
            self.speaking = speaking
            self.speaking_changed.emit(speaking)

    # -- recording -----------------------------------------------------------------------------------

    def toggle_recording(self) -> None:
        if self.phase is Phase.RECORDING:
            self.stop_recording()
        else:
            self.start_recording()

    def start_recording(self) -> None:
        """Answer the question on screen."""
        if self.phase is Phase.ASKING:
            self.answering_follow_up = None
            self._record(None)

    def answer_follow_up(self) -> None:
        """Answer the follow-up asked after the latest answer: stored as an attempt of its own at this
        question's position, with the follow-up as its question text."""
        if self.phase in (Phase.ASKING, Phase.REVIEW) and self.pending_follow_up:
            self.answering_follow_up = self.pending_follow_up
            self._record(self.pending_follow_up)

    def _record(self, follow_up_text: str | None) -> None:
        session = self.session
        if session is None:
            return
        self.stop_speaking()
        position, question = self.position, self.question
        takes, extra = self.answers.get(position, []), self.follow_up_answers.get(position, [])
        asked = replace(question, text=follow_up_text) if follow_up_text else question
        previous = (extra[-1] if extra else None) if follow_up_text else self.latest(position)
        stop = self._record_stop = threading.Event()
        recorder = _NotifyingRecorder(self.io.recorder_for(asked, position, len(takes) + len(extra) + 1),
                                      emitter(self.recording_ended))
        access, targets = self.models, self.services.config.targets
        ask = self.ask_follow_up and follow_up_text is None
        level, words, analysing = emitter(self.level), emitter(self.words), emitter(self.analysing)

        def progress(message: str) -> None:
            task.report(message)
            analysing("Scoring the answer\u2026" if message == "scoring" else message)

        def work() -> AnswerRecord:
            models = AnswerModels(access.transcriber(), access.judge(), targets)
            take = session.record(position, recorder, models, stop, follow_up=follow_up_text, on_level=level,
                                  on_words=words, progress=progress)
            then = None
            if ask and take.analysis.rubric is not None:
                then = follow_up(take.analysis.rubric, judge=models.judge, question=question.text)
            return AnswerRecord(position, asked, take.number, take.attempt_id, take.analysis, take.audio, then,
                                previous, answers_follow_up=follow_up_text is not None)

        task: Task[AnswerRecord] = (Task(work).on_lane(RECORD).with_progress(f"Answer {position}")
                                    .success(self._answer_done).failure(self._answer_failed))
        self._record_task = task
        self._set_phase(Phase.RECORDING)
        task.run(self.runner)

    def stop_recording(self) -> None:
        """The answer is done: stop recording and analyse it."""
        if self.phase is Phase.RECORDING:
            self._record_stop.set()

    def _on_recording_ended(self) -> None:
        if self.phase is Phase.RECORDING:
            self._set_phase(Phase.ANALYSING)
            self.analysing.emit("Transcribing the end of your answer\u2026")

    def _answer_done(self, record: AnswerRecord) -> None:
        self._record_task = None
        if record.answers_follow_up:
            self.follow_up_answers.setdefault(record.position, []).append(record)
            self.pending_follow_up = None
        else:
            self.answers.setdefault(record.position, []).append(record)
            self.pending_follow_up = record.follow_up
        self._set_phase(Phase.REVIEW)
        self.answer_ready.emit(record)
        if self._end_when_answered:
            self._finish()
        elif record.follow_up and self.speak_questions:
            self.say(record.follow_up, f"q{record.position:02d}-followup{record.take}.wav")

    def _answer_failed(self, error: Exception) -> None:
        self._record_task = None
        self._set_phase(Phase.ASKING)
        if self._end_when_answered:
            self._finish()
        elif isinstance(error, NoSpeechError):
            again = "press Answer follow-up" if self.answering_follow_up else "press Space"
            self.answer_failed.emit(f"No speech was heard in that answer. Check the microphone level and {again} "
                                     "to try again.")
        elif not isinstance(error, AnswerDiscarded):
            self.answer_failed.emit(f"The answer could not be recorded: {describe(error)}")
