"""Whisper transcription with word timestamps (faster-whisper / CTranslate2), loaded lazily, one at a time."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from app.audio import SAMPLE_RATE, rms_dbfs
from app.domain import Transcript, Word
from app.errors import ModelError
from app.modelstore import fix_hint
from app.speech.merge import merge_fillers

# The usual filler prompt: the "prompted" method, kept as the baseline the benches compare against.
FILLER_PROMPT = "Um, uh, hmm, er, ah."
# Viva's filler-aware pass is prompted with a disfluent sentence instead of a bare filler list: Whisper takes
# the prompt as the style of the transcript, and a sentence with fillers between its words makes it keep them
# between the words of the answer too. Measured on espeak-ng answers with 74 fillers, in voices none of the
# prompts was chosen on: filled-pause recall 0.89 -> 0.99 (precision 1.00 -> 0.99), with the plain pass's
# words kept, so no change in word errors; on the recorded clips, 11 of 12 with either prompt.
VIVA_FILLER_PROMPT = "Uh, so, um, I think, uh, we, um, trained it and, uh, uh, it worked."
METHODS = ("viva", "plain", "prompted")
PROMPTED_BEAM = 5
TOKENS_PER_SECOND = 7.0  # fast speech is ~4.5 text tokens/s
MAX_TOKENS_PER_WINDOW = 220  # Whisper's decoder holds 448 tokens, half of them for the prompt

# Below this level a whole recording is treated as silence without running the model (which would
# otherwise happily "hear" phrases like "Thank you." in room noise).
SILENCE_DBFS = -55.0


class Transcriber(Protocol):
    name: str

    def transcribe(self, audio: np.ndarray) -> Transcript: ...


class WhisperTranscriber:
    """faster-whisper over a local CTranslate2 model directory.

    Every load and transcription runs on one long-lived worker thread, whichever thread asks: CTranslate2
    is not thread-safe, and its OpenMP pool, when driven from a new thread per answer, left earlier pools
    spinning and made each later answer 5-10x slower (measured: an 11 s clip took 2.5 s, then 18-26 s)."""

    def __init__(self, model_dir: Path, device: str = "cpu", compute_type: str = "int8",
                 cpu_threads: int = 2, method: str = "viva") -> None:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        self.method = method
        self.model_dir = model_dir
        self.device = device
        self.compute_type = compute_type
        self.cpu_threads = cpu_threads
        self.name = f"whisper:{model_dir.name}"
        self._model: Any = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="viva-whisper")
        self.load_s = 0.0

    def load(self) -> None:
        self._worker.submit(self._load).result()

    def _load(self) -> None:
        if self._model is not None:
            return
        if not (self.model_dir / "model.bin").exists():
            raise ModelError(f"Whisper model not found in {self.model_dir}; {fix_hint()} (whisper_model may "
                             "also name a CTranslate2 Whisper directory)")
        from faster_whisper import WhisperModel

        t0 = time.perf_counter()
        try:
            self._model = WhisperModel(str(self.model_dir), device=self.device,
                                       compute_type=self.compute_type, cpu_threads=self.cpu_threads,
                                       local_files_only=True)
        except Exception as e:
            raise ModelError(f"cannot load Whisper model from {self.model_dir} ({e}); "
                             f"{fix_hint()}") from None
        self.load_s = time.perf_counter() - t0

    def _pass(self, audio: np.ndarray, prompt: str | None, vad: bool, beam_size: int = 5) -> tuple[list[Word], str]:
        segments, info = self._model.transcribe(
            audio,
            language="en",
            beam_size=beam_size,
            word_timestamps=True,
            vad_filter=vad,
            condition_on_previous_text=False,
            initial_prompt=prompt,
            # One fallback at most (the default tries six temperatures), and no more tokens than fast speech
            # can produce: a decoder stuck repeating "uh, uh, ..." stops early instead of running for minutes.
            temperature=(0.0, 0.4),
            max_new_tokens=min(MAX_TOKENS_PER_WINDOW, int(TOKENS_PER_SECOND * len(audio) / SAMPLE_RATE) + 16),
        )
        words = [
            Word(w.word.strip(), round(float(w.start), 3), round(float(w.end), 3), round(float(w.probability), 4))
            for seg in segments
            for w in (seg.words or [])
            if w.word.strip()
        ]
        return words, info.language

    def transcribe(self, audio: np.ndarray) -> Transcript:
        duration = len(audio) / SAMPLE_RATE
        if audio.size == 0 or rms_dbfs(audio) < SILENCE_DBFS:
            return Transcript(words=(), duration_s=duration, model=self.name)
        return self._worker.submit(self._transcribe, audio, duration).result()

    def _transcribe(self, audio: np.ndarray, duration: float) -> Transcript:
        self._load()
        if self.method == "prompted":
            words, language = self._pass(audio, FILLER_PROMPT, vad=True)
        else:
            words, language = self._pass(audio, None, vad=True)
            if self.method == "viva" and words:
                # Only its filled pauses are used; a full beam measured better than greedy (11 vs 10 of 12).
                prompted, _ = self._pass(audio, VIVA_FILLER_PROMPT, vad=False, beam_size=PROMPTED_BEAM)
                words = merge_fillers(words, prompted, audio)
        return Transcript(words=tuple(words), duration_s=duration, language=language, model=self.name)
