"""Runs one mock interview for the window: ask (speak) each question, record answers, analyse, retake, finish.

No widgets here: the interview page shows what these signals say and calls these methods. Every slow step
goes through the task runner: the question's voice is rendered on the speech lane and played on the
playback lane (with a stop event, so it can be cut off); an answer is recorded, transcribed while it is
spoken, scored and stored by `app.practice.record_answer` on the recording lane. Callbacks from worker
threads (input level, live words) arrive as queued signals.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.domain import Question
from app.errors import NoSpeechError
from app.practice import SessionComponents, record_answer
from app.recorder import BlockCallback, LevelCallback, Recorder
from app.scoring.scorer import follow_up
from app.services import Services
from app.store.locks import SessionLock
from app.ui.answer_record import AnswerRecord
from app.ui.audio_io import AudioIO
from app.ui.errors import describe
from app.ui.model_access import ModelAccess
from app.ui.signals import emit, emitter
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
        self.session_id: int | None = None
        self._session_lock: SessionLock | None = None
        self.title = ""
        self.questions: list[Question] = []
        self.position = 0
        self.answers: dict[int, list[AnswerRecord]] = {}
        self.skipped: set[int] = set()
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

    def start(self, questions: Sequence[Question], preset: str | None, title: str) -> int:
        """Open a new session in the store and ask the first question. Returns the session id."""
        if self.active:
            raise RuntimeError("an interview is already running")
        if not questions:
            raise ValueError("an interview needs at least one question")
        self.session_id = self.services.store.create_session(preset, title=title)
        self._session_lock = SessionLock(self.services.store.data_dir, self.session_id)
        self._session_lock.acquire()  # while held, recovery (in any process) leaves this session alone
        self.title = title
        self.questions = list(questions)
        self.answers, self.skipped, self._voice_files = {}, set(), {}
        self._end_when_answered = False
        self._go_to(1)
        return self.session_id

    def next_question(self) -> None:
        """On to the next question (a question left unanswered counts as skipped); after the last: finish."""
        if self.phase not in (Phase.ASKING, Phase.REVIEW):
            return
        if not self.answers.get(self.position):
            self.skipped.add(self.position)
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
            self._set_phase(Phase.ASKING)

    def end(self) -> None:
        """Close the session (completed when the last question was reached) and show the summary."""
        if not self.active or self.session_id is None:
            return
        if self.phase is Phase.RECORDING or self.phase is Phase.ANALYSING:
            # Keep the answer being given: stop recording, and end once it is analysed and stored.
            self._end_when_answered = True
            self.stop_recording()
            return
        self._end_when_answered = False
        self.stop_speaking()
        if not self.answers.get(self.position):
            self.skipped.add(self.position)
        reached_end = self.position >= self.total
        self.services.store.finish_session(self.session_id, "completed" if reached_end else "cancelled")
        self._release_lock()
        self._set_phase(Phase.FINISHED)
        emit(self.finished, self.session_id)

    def _release_lock(self) -> None:
        if self._session_lock is not None:
            self._session_lock.release()
            self._session_lock = None

    def abort(self) -> None:
        """The window is closing: stop everything and mark an open session interrupted."""
        if self._record_task is not None:
            self._record_task.cancel()  # still stored by its worker, but nothing on screen to update
        self._record_stop.set()
        self._voice_stop.set()
        if self.active and self.session_id is not None:
            self.services.store.finish_session(self.session_id, "interrupted")
            self._release_lock()
            self._set_phase(Phase.IDLE)

    def reset(self) -> None:
        """Forget a finished session (back to no interview)."""
        if not self.active:
            self._set_phase(Phase.IDLE)

    def _go_to(self, position: int) -> None:
        self.stop_speaking()
        self.position = position
        self._set_phase(Phase.ASKING)
        emit(self.question_shown, position, self.total, self.question)
        if self.speak_questions:
            self.replay()

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        emit(self.phase_changed, phase)

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
        emit(self.speech_failed, f"Could not read the question aloud: {describe(error)} "
                                "The question is on screen; answer when you are ready.")

    def _set_speaking(self, speaking: bool) -> None:
        if speaking != self.speaking:
            self.speaking = speaking
            emit(self.speaking_changed, speaking)

    # -- recording -----------------------------------------------------------------------------------

    def toggle_recording(self) -> None:
        if self.phase is Phase.RECORDING:
            self.stop_recording()
        else:
            self.start_recording()

    def start_recording(self) -> None:
        if self.phase is not Phase.ASKING or self.session_id is None:
            return
        self.stop_speaking()
        position, question, session_id = self.position, self.question, self.session_id
        previous = self.latest(position)
        take = len(self.answers.get(position, [])) + 1
        stop = self._record_stop = threading.Event()
        recorder = _NotifyingRecorder(self.io.recorder_for(question, position, take), emitter(self.recording_ended))
        models, store, targets = self.models, self.services.store, self.services.config.targets
        follow = self.ask_follow_up
        level, words, analysing = emitter(self.level), emitter(self.words), emitter(self.analysing)

        def progress(message: str) -> None:
            task.report(message)
            analysing("Scoring the answer\u2026" if message == "scoring" else message)

        def work() -> AnswerRecord:
            transcriber, judge = models.transcriber(), models.judge()
            parts = SessionComponents(store, transcriber, judge, None, None, targets)
            attempt_id, analysis = record_answer(parts, session_id, position, question, recorder, stop,
                                                 attempt_no=take, on_level=level, on_words=words,
                                                 progress=progress)
            asked = None
            if follow and analysis.rubric is not None:
                asked = follow_up(analysis.rubric, judge=judge, question=question.text)
            audio = store.audio_path_for(session_id, position, take)
            return AnswerRecord(position, question, take, attempt_id, analysis, audio, asked, previous)

        task: Task[AnswerRecord] = (Task(work).on_lane(RECORD).with_progress(f"Answer {position}")
                                    .success(self._answer_done).failure(self._answer_failed))
        self._record_task = task
        self._set_phase(Phase.RECORDING)
        task.run(self.runner)

    def stop_recording(self) -> None:
        if self.phase is Phase.RECORDING:
            self._record_stop.set()

    def _on_recording_ended(self) -> None:
        if self.phase is Phase.RECORDING:
            self._set_phase(Phase.ANALYSING)
            emit(self.analysing, "Transcribing the end of your answer\u2026")

    def _answer_done(self, record: AnswerRecord) -> None:
        self._record_task = None
        self.answers.setdefault(record.position, []).append(record)
        self.skipped.discard(record.position)
        self._set_phase(Phase.REVIEW)
        emit(self.answer_ready, record)
        if self._end_when_answered:
            self.end()
        elif record.follow_up and self.speak_questions:
            self.say(record.follow_up, f"q{record.position:02d}-followup{record.take}.wav")

    def _answer_failed(self, error: Exception) -> None:
        self._record_task = None
        self._set_phase(Phase.ASKING)
        if self._end_when_answered:
            self.end()
            return
        if isinstance(error, NoSpeechError):
            emit(self.answer_failed, "No speech was heard in that answer. Check the microphone level and press "
                                    "Space to try again.")
        else:
            emit(self.answer_failed, f"The answer could not be recorded: {describe(error)}")
