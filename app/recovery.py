"""Finding and finishing sessions that were interrupted mid-answer (crash, kill -9, power cut).

The audio written before the interruption is kept (at most about a second is lost), repaired, then
transcribed, scored and stored like any other answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.audio import repair_wav
from app.config import Targets
from app.domain import RUBRIC_FOR_KIND, Session
from app.errors import AudioError, NoSpeechError
from app.practice import analyze_file
from app.recorder import part_path
from app.scoring.llm import Judge
from app.speech.transcribe import Transcriber
from app.store import Store
from app.store.locks import is_running


@dataclass(frozen=True)
class Recovered:
    session_id: int
    attempt_id: int
    audio_s: float
    status: str  # analysed | no_speech | no_audio


def interrupted_sessions(store: Store) -> list[Session]:
    """Sessions left in progress (or interrupted) that no running process owns, oldest first."""
    found = sorted(store.sessions(("in_progress", "interrupted")), key=lambda s: s.id)
    return [s for s in found if not is_running(store.data_dir, s.id)]


def recover(store: Store, transcriber: Transcriber, judge: Judge | None, targets: Targets | None = None,
            progress: Callable[[str], None] = lambda _: None) -> list[Recovered]:
    """Finish every interrupted session: analyse its unfinished answers, then mark it 'recovered'."""
    out: list[Recovered] = []
    for session in interrupted_sessions(store):
        sid = session.id
        for a in store.unfinished_attempts(sid):
            path = store.absolute(a.audio_path) if a.audio_path else None
            if path is None or not path.exists():
                if path is not None:  # killed before the WAV's header was written: a file with no audio
                    part_path(path).unlink(missing_ok=True)
                store.set_attempt_status(a.id, "no_audio")
                out.append(Recovered(sid, a.id, 0.0, "no_audio"))
                continue
            try:
                seconds = repair_wav(path)
                progress(f"recovering session {sid}, answer {a.position} ({seconds:.1f} s of audio)")
                kind = a.kind if a.kind in RUBRIC_FOR_KIND else None
                analysis = analyze_file(path, transcriber, kind=kind, question_text=a.question_text,
                                        judge=judge, targets=targets)
            except NoSpeechError:
                store.set_attempt_status(a.id, "no_speech")
                out.append(Recovered(sid, a.id, seconds, "no_speech"))
                continue
            except AudioError:
                store.set_attempt_status(a.id, "no_audio")
                out.append(Recovered(sid, a.id, 0.0, "no_audio"))
                continue
            store.complete_attempt(a.id, analysis)
            out.append(Recovered(sid, a.id, seconds, "analysed"))
        store.finish_session(sid, "recovered")
    return out
