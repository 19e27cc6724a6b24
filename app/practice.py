"""Use cases shared by the CLI and the GUI: analyse one answer, and run a whole practice session.

Each takes its components as arguments, reports progress through a callback and honours a cancel event.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from app.audio import SAMPLE_RATE, iter_audio_blocks
from app.config import Targets
from app.delivery import analyze_delivery
from app.delivery.confidence import share_uncertain
from app.domain import RUBRIC_FOR_KIND, Analysis, Question, RubricResult, Transcript, Word
from app.errors import ModelError, NoSpeechError
from app.recorder import LevelCallback, Recorder
from app.scoring.llm import Judge
from app.scoring.scorer import score_answer
from app.speech.streaming import StreamingTranscription, WordsCallback
from app.speech.transcribe import Transcriber
from app.store import Store
from app.store.locks import SessionLock
from app.tts import Speaker

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
UNSURE_SHARE = 0.15  # share of low-probability words above which verdicts come with a caveat


def _quiet(_: str) -> None:
    pass


def slices(audio: np.ndarray, block_s: float = 0.5) -> Iterator[np.ndarray]:
    step = int(block_s * SAMPLE_RATE)
    for i in range(0, len(audio), step):
        yield audio[i:i + step]


def transcribe_blocks(blocks: Iterable[np.ndarray], transcriber: Transcriber,
                      on_words: WordsCallback | None = None, check_every_s: float = 0.5) -> Transcript:
    """The same path as live recording: VAD segments transcribed by the streaming worker."""
    stream = StreamingTranscription(transcriber, on_words, check_every_s)
    for block in blocks:
        stream.feed(block)
    return stream.finish()


def analyze(audio: np.ndarray, transcriber: Transcriber, *, kind: str | None = None, question_text: str = "",
            judge: Judge | None = None, progress: Progress = _quiet, targets: Targets | None = None) -> Analysis:
    """Transcribe, measure delivery and (when `kind` is given) score structure. Silence -> NoSpeechError."""
    return _analyze_blocks(slices(audio), transcriber, kind=kind, question_text=question_text, judge=judge,
                           progress=progress, targets=targets)


def analyze_file(path: Path, transcriber: Transcriber, *, kind: str | None = None, question_text: str = "",
                 judge: Judge | None = None, progress: Progress = _quiet,
                 targets: Targets | None = None) -> Analysis:
    """Like `analyze`, decoding the file as it goes (bounded memory for long recordings)."""
    # Whole files don't need the live path's frequent pause checks: check every 3 s (cheaper VAD).
    return _analyze_blocks(iter_audio_blocks(path), transcriber, kind=kind, question_text=question_text,
                           judge=judge, progress=progress, targets=targets, check_every_s=3.0)


def _analyze_blocks(blocks: Iterable[np.ndarray], transcriber: Transcriber, *, kind: str | None,
                    question_text: str, judge: Judge | None, progress: Progress,
                    targets: Targets | None, check_every_s: float = 0.5) -> Analysis:
    progress("transcribing")
    t0 = time.perf_counter()
    transcript = transcribe_blocks(blocks, transcriber, check_every_s=check_every_s)
    return analyze_transcript(transcript, kind=kind, question_text=question_text, judge=judge,
                              progress=progress, timings={"transcribe_s": time.perf_counter() - t0},
                              targets=targets)


def analyze_transcript(transcript: Transcript, *, kind: str | None, question_text: str, judge: Judge | None,
                       progress: Progress = _quiet, timings: dict[str, float] | None = None,
                       targets: Targets | None = None) -> Analysis:
    if not transcript.words:
        raise NoSpeechError("no speech detected in the recording; check the microphone and speak up")
    timings = dict(timings or {})
    t0 = time.perf_counter()
    delivery = analyze_delivery(transcript, targets)
    timings["delivery_s"] = time.perf_counter() - t0
    rubric = None
    if kind:
        progress("scoring")
        t0 = time.perf_counter()
        rubric = _score(RUBRIC_FOR_KIND[kind], question_text, transcript.words, judge)
        timings["score_s"] = time.perf_counter() - t0
        unsure = share_uncertain(transcript.words)
        if unsure >= UNSURE_SHARE and any(not i.present for i in rubric.items):
            note = (f"{unsure:.0%} of the words were hard to make out, so a missing item may be a recognition "
                    "error rather than a gap in your answer: replay it to check.")
            rubric = replace(rubric, feedback=(*rubric.feedback, note))
    return Analysis(transcript, delivery, rubric, timings)


def _score(rubric_id: str, question_text: str, words: Sequence[Word], judge: Judge | None) -> RubricResult:
    """Score with the judge; a *remote* judge (a server on another host) that fails mid-interview must not
    cost the user their answer's feedback: it is scored from the transcript cues alone, saying so, and
    `viva rescore` can ask the server again later. A local model that is missing or broken stays an error."""
    try:
        return score_answer(rubric_id, question_text, words=words, judge=judge)
    except ModelError as e:
        if not getattr(judge, "remote", False):
            raise
        log.warning("judge endpoint failed, scoring from transcript cues alone: %s", e)
        result = score_answer(rubric_id, question_text, words=words, judge=None)
        note = f"Scored from the transcript cues alone (run `viva rescore` when the judge is back): {e}"
        return replace(result, feedback=(*result.feedback, note))


@dataclass(frozen=True)
class SessionComponents:
    store: Store
    transcriber: Transcriber
    judge: Judge | None
    speaker: Speaker | None
    play: Callable[[Path], None] | None  # plays a rendered question; None: questions go to files only
    targets: Targets | None = None


def speak_question(c: SessionComponents, q: Question, dest: Path) -> Path | None:
    """Render the question to `dest` and play it (when a player is configured). None without a speaker."""
    if c.speaker is None:
        return None
    c.speaker.render(q.text, dest)
    if c.play is not None:
        c.play(dest)
    return dest


def record_answer(c: SessionComponents, session_id: int, position: int, q: Question, recorder: Recorder,
                  stop: threading.Event, *, attempt_no: int = 1, on_level: LevelCallback | None = None,
                  on_words: WordsCallback | None = None, progress: Progress = _quiet) -> tuple[int, Analysis]:
    """Record one answer (transcribing while it is spoken), analyse it and store it as an attempt.

    Returns (attempt id, analysis). The audio is on disk before anything can fail; silence raises
    NoSpeechError with the recording kept."""
    dest = c.store.audio_path_for(session_id, position, attempt_no)
    attempt_id = c.store.begin_attempt(session_id, position, q, q.text, dest)
    stream = StreamingTranscription(c.transcriber, on_words)
    try:
        recorder.record(dest, stop, on_level=on_level, on_block=stream.feed)
        t0 = time.perf_counter()
        transcript = stream.finish()
        analysis = analyze_transcript(transcript, kind=q.kind, question_text=q.text, judge=c.judge,
                                      progress=progress, targets=c.targets,
                                      timings={"stop_to_transcript_s": time.perf_counter() - t0})
    except NoSpeechError:
        c.store.set_attempt_status(attempt_id, "no_speech")
        raise
    except Exception:
        c.store.set_attempt_status(attempt_id, "failed")  # the audio stays on disk, listed with the session
        raise
    c.store.complete_attempt(attempt_id, analysis)
    return attempt_id, analysis


def run_session(c: SessionComponents, questions: Sequence[Question], recorders: Sequence[Recorder], *,
                preset: str | None, prompts_dir: Path | None = None, progress: Progress = _quiet,
                cancel: threading.Event | None = None) -> int:
    """Ask each question (spoken), record the answer, analyse and store it. Returns the session id."""
    cancel = cancel or threading.Event()
    session_id = c.store.create_session(preset, title=preset or "practice")
    lock = SessionLock(c.store.data_dir, session_id)
    lock.acquire()  # held while this process runs the session; recovery skips locked sessions
    status = "completed"
    try:
        for position, (q, rec) in enumerate(zip(questions, recorders, strict=False), start=1):
            if cancel.is_set():
                status = "cancelled"
                break
            progress(f"question {position}/{len(questions)}: {q.text}")
            folder = prompts_dir or c.store.audio_dir / f"session-{session_id:05d}"
            speak_question(c, q, folder / f"q{position:02d}-question.wav")
            progress(f"recording answer {position}")
            try:
                _, analysis = record_answer(c, session_id, position, q, rec, cancel, progress=progress)
            except NoSpeechError as e:
                progress(f"answer {position}: {e}")
                continue
            progress(f"answer {position}: {analysis.delivery.word_count} words, "
                     f"{analysis.delivery.wpm:.0f} wpm, score {analysis.rubric.score if analysis.rubric else '-'}")
    except BaseException:
        c.store.finish_session(session_id, "interrupted")
        raise
    finally:
        lock.release()
    c.store.finish_session(session_id, status)
    return session_id
