"""One practice session from start to end: the single headless place that `viva practice`, `viva analyze
--save`, `viva import` and the window's interview all go through.

    create the session -> take its lock -> ask each question -> store each answer as an attempt
    -> finish 'completed' or 'cancelled', or 'interrupted' when an exception ends it; the lock is always released

Every recording is an attempt of its own at its question's position: retakes, and answers to the spoken
follow-up (stored with the follow-up as their question text). Only an attempt with status 'analysed' is an
answer. One whose recording never produced a sample (no microphone) is marked 'no_audio', its empty file
removed. Ending the session while an answer is being recorded means "stop, I'm done": that fragment is not
analysed, its attempt is marked 'cancelled' and its audio removed, and the session is 'cancelled'.

What happened at each position (answered, skipped, not reached) is tracked here; the summary is computed
from it rather than pieced together by each caller.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import numpy as np

from app.config import Targets
from app.domain import Analysis, Question
from app.errors import NoSpeechError, StoreError
from app.practice import Progress, analyze_transcript
from app.recorder import LevelCallback, Recorder
from app.scoring.llm import Judge
from app.speech.streaming import StreamingTranscription, WordsCallback
from app.speech.transcribe import Transcriber
from app.store import Store
from app.store.locks import SessionLock

COMPLETED, CANCELLED, INTERRUPTED, IN_PROGRESS = "completed", "cancelled", "interrupted", "in_progress"
ANSWERED, SKIPPED, NOT_REACHED, ASKED = "answered", "skipped", "not_reached", "asked"
# Attempt statuses that make a session worth keeping when it is dropped-if-empty (imports, `analyze --save`):
# on a normal end any stored recording counts; after an error only an answer, or one `viva recover` can finish.
_KEPT_ON_FINISH = frozenset({"analysed", "no_speech", "recording"})
_KEPT_ON_ERROR = frozenset({"analysed", "recording"})


def _quiet(_: str) -> None:
    pass


class AnswerDiscarded(Exception):  # noqa: N818 - an outcome, not a fault
    """The session was ended while this answer was being recorded: nothing of it was analysed or kept."""


@dataclass(frozen=True)
class AnswerModels:
    """What analysing an answer needs: Whisper, the judge (None: transcript cues only) and the targets."""

    transcriber: Transcriber
    judge: Judge | None = None
    targets: Targets | None = None


@dataclass(frozen=True)
class Take:
    """One answer, analysed and stored."""

    position: int
    question: Question | None
    question_text: str  # what was answered: the question's text, or the follow-up's
    number: int  # 1, 2, ... among the answers to the question itself (follow-up answers numbered on their own)
    follow_up: bool  # an answer to the spoken follow-up rather than to the question
    attempt_id: int
    audio: Path
    analysis: Analysis


@dataclass(frozen=True)
class PositionSummary:
    position: int
    question: Question | None
    question_text: str
    state: str  # answered | skipped | not_reached, or asked (on screen, no answer yet) while the session runs
    takes: tuple[Take, ...] = ()  # answers to the question itself, oldest first
    follow_ups: tuple[Take, ...] = ()

    @property
    def latest(self) -> Take | None:
        return self.takes[-1] if self.takes else None


@dataclass(frozen=True)
class SessionSummary:
    session_id: int
    status: str  # 'in_progress' until finished
    positions: tuple[PositionSummary, ...]

    def count(self, state: str) -> int:
        return sum(p.state == state for p in self.positions)

    @property
    def total(self) -> int:
        return len(self.positions)

    @property
    def asked(self) -> int:
        return self.total - self.count(NOT_REACHED)

    @property
    def answered(self) -> int:
        return self.count(ANSWERED)

    def latest_takes(self) -> list[Take]:
        return [t for p in self.positions if (t := p.latest) is not None]


@dataclass
class _Slot:
    question: Question | None
    text: str
    asked: bool = False
    skipped: bool = False
    takes: list[Take] = field(default_factory=list)
    follow_ups: list[Take] = field(default_factory=list)


class PracticeSession:
    """A session in the store, held (locked) while it runs. Use as a context manager, or call `open()` and then
    `finish()` / `interrupt()` (the window does, across events). Safe to `cancel()` from another thread while an
    answer is recorded on a worker thread.

    `questions` are the positions known up front (an interview); an import names each position as it goes
    (`ask(position, question, text)`). `keep_empty=False` (import, `analyze --save`) removes a session that
    ends with nothing worth keeping instead of leaving an empty one behind."""

    def __init__(self, store: Store, questions: Sequence[Question] = (), *, preset: str | None = None,
                 title: str = "", cancel: threading.Event | None = None, keep_empty: bool = True) -> None:
        self.store = store
        self.preset = preset
        self.title = title or preset or "practice"
        self.cancelled = cancel or threading.Event()
        self.keep_empty = keep_empty
        self.session_id: int | None = None
        self.status: str | None = None  # set once finished
        self.removed = False  # finished with nothing worth keeping, and deleted (keep_empty=False)
        self.last_attempt: tuple[int, Path] | None = None  # (attempt id, audio) of the latest attempt begun
        self._slots = {p: _Slot(q, q.text) for p, q in enumerate(questions, start=1)}
        self._rows: dict[tuple[int, bool], int] = {}  # (position, follow-up?) -> attempt rows begun
        self._attempts: dict[int, str] = {}  # attempt id -> status, for every row this session made
        self._lock: SessionLock | None = None
        self._state = threading.Lock()
        self._answer_stop: threading.Event | None = None

    # -- start and end -----------------------------------------------------------------------------------

    def open(self) -> int:
        """Create the session and take its lock (while held, `viva recover` in any process leaves it alone)."""
        if self.session_id is not None:
            raise RuntimeError("the session is already open")
        sid = self.store.create_session(self.preset, title=self.title)
        lock = SessionLock(self.store.data_dir, sid)
        try:
            locked = lock.acquire()
        except OSError as e:
            self.store.delete_session(sid)
            raise StoreError(f"cannot lock session {sid}: {e.strerror}") from None
        if not locked:
            self.store.delete_session(sid)
            raise StoreError(f"session {sid} is locked by another process")
        self.session_id, self._lock = sid, lock
        return sid

    def __enter__(self) -> PracticeSession:
        self.open()
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        if self.status is not None or self.session_id is None:
            return
        if e is None:
            self.finish()
        else:
            self.interrupt()

    @property
    def running(self) -> bool:
        return self.session_id is not None and self.status is None

    def cancel(self) -> None:
        """End the session now ("stop, I'm done"): an answer being recorded stops and is thrown away."""
        self.cancelled.set()
        with self._state:
            stop = self._answer_stop
        if stop is not None:
            stop.set()

    def finish(self, status: str | None = None) -> SessionSummary:
        """Close the session. Asked questions left without an answer count as skipped. The status, unless
        given: 'cancelled' when it was cancelled or a question was never reached, else 'completed'."""
        with self._state:
            for slot in self._slots.values():
                if slot.asked and not slot.takes:
                    slot.skipped = True
            if status is None:
                unreached = any(not s.asked for s in self._slots.values())
                status = CANCELLED if self.cancelled.is_set() or unreached else COMPLETED
        self._close(status, _KEPT_ON_FINISH)
        return self.summary()

    def interrupt(self) -> None:
        """An exception (or the window closing) ended the session: 'interrupted', so `viva recover` can finish
        an answer left mid-recording."""
        self._close(INTERRUPTED, _KEPT_ON_ERROR)

    def _close(self, status: str, worth_keeping: frozenset[str]) -> None:
        sid = self._require_open()
        try:
            with self._state:
                empty = not any(s in worth_keeping for s in self._attempts.values())
            if empty and not self.keep_empty:
                self.store.delete_session(sid)
                self.removed = True
            else:
                self.store.finish_session(sid, status)
        finally:
            self.status = status
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def _require_open(self) -> int:
        if self.session_id is None or self.status is not None:
            raise RuntimeError("the session is not open")
        return self.session_id

    # -- positions ---------------------------------------------------------------------------------------

    def ask(self, position: int, question: Question | None = None, text: str = "") -> None:
        """The question at `position` is being asked. `question`/`text` name it where the session was not given
        its questions up front (an import)."""
        with self._state:
            slot = self._slots.get(position)
            if slot is None:
                slot = self._slots[position] = _Slot(question, text or (question.text if question else ""))
            slot.asked = True

    def skip(self, position: int) -> None:
        """Moving on from `position` without an answer."""
        with self._state:
            slot = self._slot(position)
            slot.skipped = not slot.takes

    def _slot(self, position: int) -> _Slot:
        slot = self._slots.get(position)
        if slot is None or not slot.asked:
            raise RuntimeError(f"question {position} has not been asked")
        return slot

    def summary(self) -> SessionSummary:
        """Per position: answered (with its takes), skipped, not reached (or asked, while running)."""
        with self._state:
            positions = tuple(
                PositionSummary(p, s.question, s.text,
                                ANSWERED if s.takes else SKIPPED if s.skipped else ASKED if s.asked else NOT_REACHED,
                                tuple(s.takes), tuple(s.follow_ups))
                for p, s in sorted(self._slots.items()))
        return SessionSummary(self.session_id or 0, self.status or IN_PROGRESS, positions)

    # -- attempts ----------------------------------------------------------------------------------------

    def audio_path(self, position: int, follow_up: bool = False) -> Path:
        """Where the next recording at `position` goes: q01-take1.wav, q01-take2.wav, q01-followup-take1.wav ..."""
        sid = self._require_open()
        with self._state:
            n = self._rows.get((position, follow_up), 0) + 1
        while True:
            path = self.store.audio_path_for(sid, position, n)
            if follow_up:
                path = path.with_name(f"q{position:02d}-followup-take{n}.wav")
            if not path.exists():
                return path
            n += 1

    def begin(self, position: int, audio: Path, *, follow_up: str | None = None) -> int:
        """Store that an answer at `position` has audio at `audio` (status 'recording', which `viva recover`
        finishes should the process die before `complete`)."""
        sid = self._require_open()
        with self._state:
            slot = self._slot(position)
        attempt_id = self.store.begin_attempt(sid, position, slot.question, follow_up or slot.text, audio)
        with self._state:
            key = (position, follow_up is not None)
            self._rows[key] = self._rows.get(key, 0) + 1
            self._attempts[attempt_id] = "recording"
            self.last_attempt = (attempt_id, audio)
        return attempt_id

    def complete(self, attempt_id: int, position: int, audio: Path, analyse: Callable[[], Analysis], *,
                 follow_up: str | None = None) -> Take:
        """Run `analyse` for a begun attempt and store the result. No speech: the attempt is 'no_speech' (audio
        kept) and NoSpeechError is raised; another error: 'failed'. Ctrl+C leaves it for `viva recover`."""
        try:
            analysis = analyse()
        except NoSpeechError:
            self._set_status(attempt_id, "no_speech")
            raise
        except Exception:
            self._set_status(attempt_id, "failed")  # the audio stays on disk, listed with the session
            raise
        self.store.complete_attempt(attempt_id, analysis)
        with self._state:
            self._attempts[attempt_id] = "analysed"
            slot = self._slot(position)
            answers = slot.follow_ups if follow_up else slot.takes
            take = Take(position, slot.question, follow_up or slot.text, len(answers) + 1, follow_up is not None,
                        attempt_id, audio, analysis)
            answers.append(take)
            slot.skipped = False
        return take

    def _set_status(self, attempt_id: int, status: str) -> None:
        self.store.set_attempt_status(attempt_id, status)
        with self._state:
            self._attempts[attempt_id] = status

    def record(self, position: int, recorder: Recorder, models: AnswerModels, stop: threading.Event, *,
               follow_up: str | None = None, on_level: LevelCallback | None = None,
               on_words: WordsCallback | None = None, progress: Progress = _quiet) -> Take:
        """Record an answer to the question at `position` (or to its `follow_up`) until `stop` is set or the
        source ends, transcribing while it is spoken; then analyse and store it.

        Raises AnswerDiscarded when the session is cancelled meanwhile (attempt 'cancelled', audio removed);
        NoSpeechError when no audio came at all (attempt 'no_audio', empty file removed) or nothing was said
        (attempt 'no_speech', audio kept); or the recorder's error (attempt 'failed' with the audio so far, or
        'no_audio'). Ctrl+C leaves the attempt 'recording', for `viva recover`."""
        with self._state:
            slot = self._slot(position)
            self._answer_stop = stop  # from here on, cancel() stops this recording
        try:
            if self.cancelled.is_set():
                raise AnswerDiscarded("the session was ended before this answer began")
            dest = self.audio_path(position, follow_up is not None)
            # Stored before any audio exists, so a crash mid-answer leaves a row `viva recover` can finish.
            attempt_id = self.begin(position, dest, follow_up=follow_up)
            stream = StreamingTranscription(models.transcriber, on_words)
            heard = [0]

            def on_block(block: np.ndarray) -> None:
                heard[0] += len(block)
                stream.feed(block)

            try:
                recorder.record(dest, stop, on_level=on_level, on_block=on_block)
            except BaseException as e:
                stream.cancel()
                if isinstance(e, Exception):
                    self._unfinished(attempt_id, dest, "failed" if heard[0] else "no_audio")
                raise
        finally:
            with self._state:
                self._answer_stop = None
        if self.cancelled.is_set():
            stream.cancel()
            self._unfinished(attempt_id, dest, "cancelled")
            raise AnswerDiscarded("the session was ended during this answer, so it was not kept")
        if not heard[0]:
            stream.cancel()
            self._unfinished(attempt_id, dest, "no_audio")
            raise NoSpeechError("nothing was recorded; check the microphone")
        question = slot.question

        def analyse() -> Analysis:
            t0 = time.perf_counter()
            transcript = stream.finish()
            return analyze_transcript(transcript, kind=question.kind if question else None,
                                      question_text=follow_up or slot.text, judge=models.judge,
                                      progress=progress, targets=models.targets,
                                      timings={"stop_to_transcript_s": time.perf_counter() - t0})

        return self.complete(attempt_id, position, dest, analyse, follow_up=follow_up)

    def _unfinished(self, attempt_id: int, audio: Path, status: str) -> None:
        """An attempt that is no answer: 'failed' keeps what was recorded (listed with the session); 'no_audio'
        and 'cancelled' have their (empty, or thrown away) audio removed."""
        if status != "failed":
            audio.unlink(missing_ok=True)
        self._set_status(attempt_id, status)
