"""Analysing one answer, shared by the CLI, the GUI, import and recovery: transcribe (through the same
streaming path as live recording), measure delivery, score structure.

Each takes its components as arguments and reports progress through a callback. A whole session (its record
in the store, its lock, its attempts and its end) is `app.session.PracticeSession`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.audio import SAMPLE_RATE, iter_audio_blocks
from app.config import Targets
from app.delivery import analyze_delivery
from app.delivery.confidence import share_uncertain
from app.domain import RUBRIC_FOR_KIND, Analysis, RubricResult, Transcript, Word
from app.errors import ModelError, NoSpeechError
from app.scoring.llm import Judge
from app.scoring.scorer import score_answer
from app.speech.streaming import StreamingTranscription, WordsCallback
from app.speech.transcribe import Transcriber

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
