"""Importing recordings made elsewhere (a phone, a video call) as the answers of a new session.

Each file, in any format FFmpeg reads (wav, flac, mp3, m4a, ogg, webm, ...), is decoded with PyAV and
saved as a 16 kHz mono WAV in the data directory, then analysed from that WAV through the same path as any
other file (`practice.analyze_file`) and stored as an attempt of a `PracticeSession`, so it shows up in history
like a practised answer. Files are streamed block by block: memory stays bounded however long a recording is.
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
from app.session import AnswerModels, PracticeSession, Take
from app.speech.transcribe import Transcriber
from app.store import Store

SESSION_TITLE = "import"
Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


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


def answer_from_file(session: PracticeSession, position: int, source: Path, models: AnswerModels | None, *,
                     question: Question | None = None, question_text: str = "", kind: str | None = None,
                     progress: Progress = _quiet, analysed: Analysis | None = None) -> Take:
    """Decode `source` once, into the session's WAV for `position`, then analyse that WAV and store it as the
    answer at `position`. AudioError: not readable audio (nothing kept). NoSpeechError: the WAV is kept with
    its attempt marked 'no_speech' (`session.last_attempt`). `analysed`: an analysis already made of `source`
    (the window analyses first and saves on request), stored as it is instead of analysing again."""
    if analysed is None and models is None:
        raise ValueError("answer_from_file needs the models to analyse with, or an analysis")
    dest = session.audio_path(position)
    convert_to_wav(source, dest)
    session.ask(position, question, question_text or source.name)
    # Stored before analysis: an interrupted import leaves an answer `viva recover` can finish.
    attempt_id = session.begin(position, dest)

    def analyse() -> Analysis:
        if analysed is not None:
            return analysed
        assert models is not None
        return analyze_file(dest, models.transcriber, kind=kind, question_text=question_text, judge=models.judge,
                            progress=progress, targets=models.targets)

    return session.complete(attempt_id, position, dest, analyse)


def save_analysed(store: Store, source: Path, analysis: Analysis, *, question: Question | None = None,
                  question_text: str = "", title: str = SESSION_TITLE) -> int:
    """Keep a recording already analysed (the window's "Save to History") as the one answer of a new session,
    through the same steps as an import. Returns the session id."""
    session = PracticeSession(store, title=title, keep_empty=False)
    with session:
        answer_from_file(session, 1, source, None, question=question,
                         question_text=question_text or (question.text if question else ""), analysed=analysis)
    assert session.session_id is not None
    return session.session_id


def import_recordings(paths: Sequence[Path], store: Store, transcriber: Transcriber, *,
                      question: Question | None = None, question_text: str = "", kind: str | None = None,
                      judge: Judge | None = None, targets: Targets | None = None, progress: Progress = _quiet,
                      cancel: threading.Event | None = None) -> ImportResult:
    """Store each recording as an attempt (positions 1..N) of one new session titled "import".

    A file that cannot be decoded is reported and skipped; one with no speech is kept with status
    'no_speech'. `question` (from the bank) sets the question text and kind; otherwise `question_text`
    and `kind` do, and without a kind only delivery is measured. An import that stores nothing leaves no
    session behind; one interrupted (Ctrl+C) is kept for `viva recover`."""
    if question is not None:
        question_text, kind = question.text, kind or question.kind
    models = AnswerModels(transcriber, judge, targets)
    session = PracticeSession(store, title=SESSION_TITLE, cancel=cancel, keep_empty=False)
    items: list[Imported] = []
    with session:
        for n, source in enumerate(paths, start=1):
            if session.cancelled.is_set():
                break
            progress(f"importing {source.name} ({n}/{len(paths)})")
            position = sum(i.attempt_id is not None for i in items) + 1
            try:
                take = answer_from_file(session, position, source, models, question=question,
                                        question_text=question_text, kind=kind, progress=progress)
            except NoSpeechError as e:  # (an AudioError too: caught first)
                attempt_id, audio = session.last_attempt or (None, None)
                items.append(Imported(source, "no_speech", attempt_id, audio, error=str(e)))
            except AudioError as e:
                items.append(Imported(source, "unreadable", error=str(e)))
            else:
                items.append(Imported(source, "analysed", take.attempt_id, take.audio, take.analysis))
    return ImportResult(None if session.removed else session.session_id, tuple(items))
