"""Importing recordings made elsewhere (a phone, a video call) as the answers of a new session.

Each file, in any format FFmpeg reads (wav, flac, mp3, m4a, ogg, webm, ...), is decoded with PyAV and
saved as a 16 kHz mono WAV in the data directory, then analysed from that WAV through the same path as any
other file (`practice.analyze_file`) and stored as an attempt, so it shows up in history like a practised
answer. Files are streamed block by block: memory stays bounded however long a recording is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import soundfile as sf

from app.audio import SAMPLE_RATE, iter_audio_blocks
from app.config import Targets
from app.domain import Analysis, Question
from app.errors import AudioError, NoSpeechError
from app.practice import analyze_file
from app.scoring.llm import Judge
from app.speech.transcribe import Transcriber
from app.store import Store
from app.store.locks import SessionLock

SESSION_TITLE = "import"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Imported:
    """What happened to one file: 'analysed', 'no_speech' (kept, nothing to score) or 'unreadable'."""

    source: Path
    status: str
    attempt_id: int | None = None
    audio_path: Path | None = None
    analysis: Analysis | None = None
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.source), "status": self.status, "attempt_id": self.attempt_id,
                "audio_path": str(self.audio_path) if self.audio_path else None, "error": self.error or None,
                "analysis": self.analysis.to_dict() if self.analysis else None}


@dataclass(frozen=True)
class ImportResult:
    session_id: int | None  # None when no file could be read (no empty session is left behind)
    items: tuple[Imported, ...]

    @property
    def ok(self) -> bool:
        return all(i.status == "analysed" for i in self.items)


def convert_to_wav(source: Path, dest: Path) -> float:
    """Decode `source` (any format) into a 16 kHz mono 16-bit WAV at `dest`; returns its length in seconds.
    Raises AudioError (and leaves no file) when `source` is not readable audio."""
    frames = 0
    try:
        with sf.SoundFile(str(dest), "w", samplerate=SAMPLE_RATE, channels=1, subtype="PCM_16") as out:
            for block in iter_audio_blocks(source):
                out.write(block)
                frames += len(block)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return frames / SAMPLE_RATE


def import_recordings(paths: Sequence[Path], store: Store, transcriber: Transcriber, *,
                      question: Question | None = None, question_text: str = "", kind: str | None = None,
                      judge: Judge | None = None, targets: Targets | None = None,
                      progress: Progress = lambda _: None, cancel: threading.Event | None = None) -> ImportResult:
    """Store each recording as an attempt (positions 1..N) of one new session titled "import".

    A file that cannot be decoded is reported and skipped; one with no speech is kept with status
    'no_speech'. `question` (from the bank) sets the question text and kind; otherwise `question_text`
    and `kind` do, and without a kind only delivery is measured."""
    if question is not None:
        question_text, kind = question.text, kind or question.kind
    cancel = cancel or threading.Event()
    session_id = store.create_session(None, title=SESSION_TITLE)
    lock = SessionLock(store.data_dir, session_id)
    lock.acquire()  # a concurrent `viva recover` must not take this session for an interrupted one
    items: list[Imported] = []
    status = "completed"
    try:
        position = 0
        for n, source in enumerate(paths, start=1):
            if cancel.is_set():
                status = "cancelled"
                break
            progress(f"importing {source.name} ({n}/{len(paths)})")
            dest = store.audio_path_for(session_id, position + 1)
            try:
                convert_to_wav(source, dest)
            except AudioError as e:
                items.append(Imported(source, "unreadable", error=str(e)))
                continue
            position += 1
            # Recorded before analysis: an interrupted import leaves an answer `viva recover` can finish.
            attempt_id = store.begin_attempt(session_id, position, question, question_text or source.name, dest)
            try:
                analysis = analyze_file(dest, transcriber, kind=kind, question_text=question_text, judge=judge,
                                        progress=progress, targets=targets)
            except NoSpeechError as e:
                store.set_attempt_status(attempt_id, "no_speech")
                items.append(Imported(source, "no_speech", attempt_id, dest, error=str(e)))
                continue
            except Exception:
                store.set_attempt_status(attempt_id, "failed")  # the WAV stays, listed with the session
                raise
            store.complete_attempt(attempt_id, analysis)
            items.append(Imported(source, "analysed", attempt_id, dest, analysis))
    except Exception:
        lock.release()
        if any(i.status == "analysed" for i in items):
            store.finish_session(session_id, "interrupted")
        else:  # e.g. the model is missing: leave nothing half-made behind
            store.delete_session(session_id)
        raise
    except BaseException:  # Ctrl+C: keep what was recorded for `viva recover`
        lock.release()
        store.finish_session(session_id, "interrupted")
        raise
    lock.release()
    if not any(i.attempt_id for i in items):
        store.delete_session(session_id)
        return ImportResult(None, tuple(items))
    store.finish_session(session_id, status)
    return ImportResult(session_id, tuple(items))
