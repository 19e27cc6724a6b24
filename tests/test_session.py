"""The session use case (`app.session.PracticeSession`) with real recorded speech, the real Whisper tiny.en and a
real SQLite file: what is stored for each way a session can go, checked in the database itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.domain import Question
from app.errors import DeviceError, NoSpeechError
from app.modelstore import load_manifest, require
from app.recorder import BlockCallback, FileRecorder, LevelCallback, MicRecorder, part_path
from app.recovery import recover
from app.session import (
    ANSWERED,
    NOT_REACHED,
    SKIPPED,
    AnswerDiscarded,
    AnswerModels,
    PracticeSession,
)
from app.speech.transcribe import WhisperTranscriber
from app.store import Store
from app.store.locks import is_running

SPEECH = Path(__file__).parent / "data" / "speech"
SHORT = SPEECH / "mfa_youknow.flac"  # 4.8 s
LONG = SPEECH / "whisper_jfk.flac"  # 11 s
QUESTIONS = [Question("beh-1", "behavioral", "behavioral", "easy", 120, "Tell me about a project you led.", ()),
             Question("tech-1", "ml_fundamentals", "technical", "easy", 120, "What is overfitting?", ()),
             Question("beh-2", "behavioral", "behavioral", "easy", 120, "Tell me about a conflict.", ())]


@pytest.fixture(scope="module")
def models() -> AnswerModels:
    try:
        return AnswerModels(WhisperTranscriber(require(load_manifest()["whisper-tiny.en"])))
    except Exception as e:  # noqa: BLE001 - a missing model is a skip here, not a failure
        pytest.skip(f"Whisper tiny.en unavailable ({e}); run scripts/setup.sh")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    yield Store(tmp_path / "home")


def rows(store: Store, sid: int) -> list[tuple[int, str | None, str, str, str | None]]:
    """(position, question_id, question_text, status, audio_path) of every attempt row, in order."""
    return [tuple(r) for r in store.db.execute(
        "SELECT position, question_id, question_text, status, audio_path FROM attempts WHERE session_id = ? "
        "ORDER BY id", [sid]).fetchall()]


def session_status(store: Store, sid: int) -> str:
    return str(store.db.execute("SELECT status FROM sessions WHERE id = ?", [sid]).fetchone()[0])


def wavs(store: Store, sid: int) -> list[str]:
    return sorted(p.name for p in (store.audio_dir / f"session-{sid:05d}").glob("*.wav"))


class FailingRecorder:
    """A real file streamed through the recorder path, with the device failing after `blocks` blocks (or
    Ctrl+C when `error` is a KeyboardInterrupt)."""

    def __init__(self, source: Path, blocks: int, error: BaseException) -> None:
        self.inner = FileRecorder(source, realtime=False)
        self.blocks, self.error = blocks, error

    def record(self, dest: Path, stop: threading.Event, on_level: LevelCallback | None = None,
               on_block: BlockCallback | None = None) -> Path:
        seen = [0]

        def block(b: np.ndarray) -> None:
            seen[0] += 1
            if seen[0] > self.blocks:
                raise self.error
            if on_block:
                on_block(b)

        return self.inner.record(dest, stop, on_level=on_level, on_block=block)


def test_no_microphone_leaves_no_answer(store: Store, models: AnswerModels) -> None:
    """Defect: ending a session before any answer (no microphone) counted as one answer."""
    with PracticeSession(store, QUESTIONS, preset="quick-3") as s:
        s.ask(1)
        with pytest.raises(DeviceError, match="no usable microphone"):
            s.record(1, MicRecorder("no such microphone"), models, threading.Event())
        stopped = threading.Event()
        stopped.set()  # stopped before a single block arrived
        with pytest.raises(NoSpeechError, match="nothing was recorded"):
            s.record(1, FileRecorder(SHORT), models, stopped)
        summary = s.finish()
    sid = summary.session_id
    assert [r[3] for r in rows(store, sid)] == ["no_audio", "no_audio"]  # marked, never an answer
    assert wavs(store, sid) == []  # no empty recordings left behind
    assert summary.answered == 0 and summary.asked == 1
    assert [p.state for p in summary.positions] == [SKIPPED, NOT_REACHED, NOT_REACHED]
    assert session_status(store, sid) == "cancelled" and summary.status == "cancelled"


def test_each_position_is_answered_skipped_or_not_reached(store: Store, models: AnswerModels) -> None:
    """Defect: the summary said "(3 questions asked)" and listed 2 as "not reached"."""
    s = PracticeSession(store, QUESTIONS, preset="quick-3")
    sid = s.open()
    assert is_running(store.data_dir, sid)  # locked while it runs: `viva recover` leaves it alone
    s.ask(1)
    take = s.record(1, FileRecorder(SHORT, realtime=False), models, threading.Event())
    s.ask(2)
    s.skip(2)
    summary = s.finish()
    assert not is_running(store.data_dir, sid)
    assert [p.state for p in summary.positions] == [ANSWERED, SKIPPED, NOT_REACHED]
    assert (summary.total, summary.asked, summary.answered, summary.count(SKIPPED)) == (3, 2, 1, 1)
    assert summary.positions[0].latest is take and "montreal" in take.analysis.transcript.text.lower()
    assert rows(store, sid) == [(1, "beh-1", QUESTIONS[0].text, "analysed", "audio/session-00001/q01-take1.wav")]
    assert session_status(store, sid) == "cancelled"  # question 3 was never reached

    # Every question reached (the last one left unanswered): completed, the unanswered one skipped.
    with PracticeSession(store, QUESTIONS[:2]) as s2:
        s2.ask(1)
        s2.ask(2)
    assert s2.status == "completed" and [p.state for p in s2.summary().positions] == [SKIPPED, SKIPPED]


def test_ending_mid_answer_keeps_nothing_of_it(store: Store, models: AnswerModels) -> None:
    """Defect: ending while recording saved the fragment as an answer and marked the session completed."""
    s = PracticeSession(store, QUESTIONS, preset="quick-3")
    sid = s.open()
    s.ask(1)
    speaking = threading.Event()
    blocks = [0]

    def level(_db: float) -> None:
        blocks[0] += 1
        if blocks[0] == 20:  # two seconds into the answer, streamed at real-time pace
            speaking.set()

    outcome: list[BaseException] = []

    def answer() -> None:
        try:
            s.record(1, FileRecorder(LONG, realtime=True), models, threading.Event(), on_level=level)
        except BaseException as e:  # noqa: BLE001 - handed to the test thread
            outcome.append(e)

    worker = threading.Thread(target=answer)
    worker.start()
    assert speaking.wait(30)
    assert [r[3] for r in rows(store, sid)] == ["recording"]  # a crash now would leave it for `viva recover`
    s.cancel()
    worker.join(60)
    assert not worker.is_alive() and len(outcome) == 1 and isinstance(outcome[0], AnswerDiscarded)
    assert blocks[0] < 60  # it stopped there, not at the end of the 11 s file
    with pytest.raises(AnswerDiscarded):  # once cancelled, no further answer starts
        s.record(1, FileRecorder(SHORT, realtime=False), models, threading.Event())
    summary = s.finish()
    assert [r[3] for r in rows(store, sid)] == ["cancelled"]
    assert wavs(store, sid) == []  # the fragment's audio is removed
    assert summary.answered == 0 and summary.status == "cancelled" and session_status(store, sid) == "cancelled"


def test_a_follow_up_answer_is_an_attempt_of_its_own(store: Store, models: AnswerModels) -> None:
    """Defect: answers to the spoken follow-up were not recorded."""
    follow = "And what was the result?"
    with PracticeSession(store, QUESTIONS[:1]) as s:
        s.ask(1)
        first = s.record(1, FileRecorder(SHORT, realtime=False), models, threading.Event())
        answer = s.record(1, FileRecorder(LONG, realtime=False), models, threading.Event(), follow_up=follow)
        again = s.record(1, FileRecorder(SHORT, realtime=False), models, threading.Event())
    sid = s.session_id or 0
    assert (answer.follow_up, answer.question_text, answer.number) == (True, follow, 1)
    assert (again.follow_up, again.number) == (False, 2) and first.number == 1
    assert "country" in answer.analysis.transcript.text.lower()
    assert rows(store, sid) == [
        (1, "beh-1", QUESTIONS[0].text, "analysed", "audio/session-00001/q01-take1.wav"),
        (1, "beh-1", follow, "analysed", "audio/session-00001/q01-followup-take1.wav"),
        (1, "beh-1", QUESTIONS[0].text, "analysed", "audio/session-00001/q01-take2.wav")]
    [position] = s.summary().positions
    assert position.takes == (first, again) and position.follow_ups == (answer,)
    assert s.status == "completed"


def test_a_device_failure_ends_the_session_interrupted_with_the_audio_kept(store: Store,
                                                                         models: AnswerModels) -> None:
    with pytest.raises(DeviceError), PracticeSession(store, QUESTIONS) as s:
        s.ask(1)
        s.record(1, FailingRecorder(LONG, 30, DeviceError("the input device stopped")), models,
                 threading.Event())
    sid = s.session_id or 0
    assert [r[3] for r in rows(store, sid)] == ["failed"] and wavs(store, sid) == ["q01-take1.wav"]
    assert session_status(store, sid) == "interrupted"
    assert not is_running(store.data_dir, sid) and not s.running  # the lock is released however it ends


def test_ctrl_c_mid_answer_leaves_it_for_recover(store: Store, models: AnswerModels) -> None:
    with pytest.raises(KeyboardInterrupt), PracticeSession(store, QUESTIONS) as s:
        s.ask(1)
        s.record(1, FailingRecorder(LONG, 30, KeyboardInterrupt()), models, threading.Event())
    sid = s.session_id or 0
    assert [r[3] for r in rows(store, sid)] == ["recording"] and wavs(store, sid) == ["q01-take1.wav"]
    assert session_status(store, sid) == "interrupted" and not is_running(store.data_dir, sid)
    (done,) = recover(store, models.transcriber, judge=None)  # `viva recover` finishes the answer
    assert (done.session_id, done.status) == (sid, "analysed") and 2.5 < done.audio_s < 3.5
    assert [r[3] for r in rows(store, sid)] == ["analysed"] and session_status(store, sid) == "recovered"


def test_recover_removes_a_wav_killed_before_its_header_and_marks_the_answer_no_audio(
        store: Store, models: AnswerModels) -> None:
    with pytest.raises(KeyboardInterrupt), PracticeSession(store, QUESTIONS) as s:
        s.ask(1)
        s.record(1, FailingRecorder(LONG, 30, KeyboardInterrupt()), models, threading.Event())
    sid = s.session_id or 0
    wav = store.audio_dir / f"session-{sid:05d}" / "q01-take1.wav"
    wav.unlink()  # as a kill -9 between creating the file and writing its header leaves it (recorder._WavSink)
    part_path(wav).write_bytes(b"RIFF")
    (done,) = recover(store, models.transcriber, judge=None)
    assert (done.status, done.audio_s) == ("no_audio", 0.0) and session_status(store, sid) == "recovered"
    assert not part_path(wav).exists() and not list(wav.parent.iterdir())


def test_an_empty_import_style_session_is_removed(store: Store) -> None:
    with PracticeSession(store, title="import", keep_empty=False) as s:
        s.ask(1, text="nothing readable")
    assert s.removed and store.db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
