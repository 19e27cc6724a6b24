"""Whisper transcription with word timestamps (faster-whisper / CTranslate2), loaded lazily, one at a time."""

from __future__ import annotations

import hashlib
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from app.audio import SAMPLE_RATE, rms_dbfs
from app.delivery.tokens import norm
from app.domain import Transcript, Word
from app.errors import ModelError
from app.modelstore import fix_hint
from app.speech.recipes import FILLER_PROMPT, LOOP_RATIO, METHODS, RECIPES, SENTENCE_PROMPT, Decode, Pass, Recipe

__all__ = ["FILLER_PROMPT", "METHODS", "SENTENCE_PROMPT", "Transcriber", "WhisperTranscriber"]

TOKENS_PER_SECOND = 7.0  # fast speech is ~4.5 text tokens/s
MAX_TOKENS_PER_WINDOW = 220  # Whisper's decoder holds 448 tokens, half of them for the prompt

# Below this level a whole recording is treated as silence without running the model (which would
# otherwise happily "hear" phrases like "Thank you." in room noise).
SILENCE_DBFS = -55.0


def _compression_ratio(words: Sequence[Word]) -> float:
    text = " ".join(w.text for w in words).encode()
    return len(text) / len(zlib.compress(text)) if text else 0.0


def _says_thrice(words: Sequence[Word], shortest: int = 4) -> bool:
    """Whether some run of `shortest` or more words comes three times in a row (a decoder loop; people
    restart a phrase once, not twice word for word)."""
    t = [norm(w.text) for w in words]
    for k in range(shortest, len(t) // 3 + 1):
        for i in range(len(t) - 3 * k + 1):
            if t[i:i + k] == t[i + k:i + 2 * k] == t[i + 2 * k:i + 3 * k]:
                return True
    return False


def _token_budget(audio: np.ndarray) -> int:
    return min(MAX_TOKENS_PER_WINDOW, int(TOKENS_PER_SECOND * len(audio) / SAMPLE_RATE) + 16)


class _WindowLimit(Exception):
    """Raised by the encoder hook instead of starting a window a pass skips (see `Pass.min_tail_s`)."""


def _shared_encoder_model(model_dir: Path, **kwargs: Any) -> Any:
    """faster-whisper's WhisperModel whose encoder runs once per distinct 30-s window of features within a
    `sharing()` block: the passes of one segment that feed Whisper the same audio (the plain pass and its
    loop retry; every pass when faster-whisper's voice filter keeps the whole segment) get the encoder output
    of the first, which also serves their word alignment. The passes may run on two threads at once (the model
    is loaded with two CTranslate2 workers): a pass that needs a window the other is encoding waits for it.
    The cache is keyed by the encoder's exact input, so every decode sees the same encoder output it would have
    computed itself: the words cannot change."""
    from faster_whisper import WhisperModel

    class SharedEncoderModel(WhisperModel):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self._shared: dict[tuple[Any, ...], Future[Any]] | None = None
            self._lock = threading.Lock()
            self._local = threading.local()  # each thread's window limit (its own pass)
            self.encoded = 0  # windows run through the encoder (for the tests and benches)
            self.reused = 0  # ... and windows whose encoder output was reused

        @contextmanager
        def sharing(self, on: bool = True) -> Iterator[None]:
            """Share encoder outputs among the decodes inside (one segment's passes, on any thread), then
            forget them."""
            self._shared = {} if on else None
            try:
                yield
            finally:
                self._shared = None

        @contextmanager
        def windows(self, stop: Callable[[], bool] | None) -> Iterator[None]:
            """Inside, this thread's decode raises _WindowLimit where it would start a window after its first,
            if `stop()`."""
            self._local.stop, self._local.windows = stop, 0
            try:
                yield
            finally:
                self._local.stop = None

        def encode(self, features: np.ndarray) -> Any:
            local = self._local
            local.windows = getattr(local, "windows", 0) + 1  # faster-whisper encodes once per window, at its start
            stop = getattr(local, "stop", None)
            if local.windows > 1 and stop is not None and stop():
                raise _WindowLimit
            shared = self._shared
            if shared is None:
                with self._lock:
                    self.encoded += 1
                return super().encode(features)
            f = np.ascontiguousarray(features)
            key = (f.shape, f.dtype.str, hashlib.blake2b(f.tobytes(), digest_size=20).digest())
            with self._lock:
                future, mine = shared.get(key), key not in shared
                if future is None:
                    future = shared[key] = Future()
                    self.encoded += 1
                else:
                    self.reused += 1
            if mine:
                try:
                    future.set_result(super().encode(features))
                except BaseException as e:
                    future.set_exception(e)
                    raise
            return future.result()

    return SharedEncoderModel(str(model_dir), **kwargs)


class Transcriber(Protocol):
    name: str

    def transcribe(self, audio: np.ndarray) -> Transcript: ...


class WhisperTranscriber:
    """faster-whisper over a local CTranslate2 model directory.

    Every load and transcription runs on one long-lived worker thread, whichever thread asks: a CTranslate2
    worker runs one call at a time, and its OpenMP pool, when driven from a new thread per answer, left earlier
    pools spinning and made each later answer 5-10x slower (measured: an 11 s clip took 2.5 s, then 18-26 s).
    A method with a second pass runs it at the same time as the first, on a second long-lived thread and a
    second CTranslate2 worker (on a GPU, a second replica: unchecked, like the CUDA path itself). The words are
    the same, and the segment is ready sooner: a 12.6 s segment's two passes, tiny.en at 2 threads on 2 cores,
    took 2.1-2.4 s one after the other and 1.4-1.6 s side by side. The weights are not copied, but peak memory
    while analysing a 60 s answer rose by about 115 MB with tiny.en and 130 MB with base
    (bench/speech_latency.py --serial compares)."""

    def __init__(self, model_dir: Path, device: str = "cpu", compute_type: str = "int8",
                 cpu_threads: int = 2, method: str = "viva", recipe: Recipe | None = None) -> None:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        self.method = method
        self.recipe = recipe or RECIPES[method]
        self.model_dir = model_dir
        self.device = device
        self.compute_type = compute_type
        self.cpu_threads = cpu_threads
        self.name = f"whisper:{model_dir.name}"
        self._model: Any = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="viva-whisper")
        # Whether a second pass runs beside the first (turn it off before loading for the serial passes), and
        # its thread once loaded.
        self.parallel = self.recipe.fillers is not None
        self._side: ThreadPoolExecutor | None = None
        self.load_s = 0.0
        self.share_encoder = True  # off: every decode runs the encoder itself (same words, for the tests)

    def load(self) -> None:
        self._worker.submit(self._load).result()

    def _load(self) -> None:
        if self._model is not None:
            return
        if not (self.model_dir / "model.bin").exists():
            raise ModelError(f"Whisper model not found in {self.model_dir}; {fix_hint()} (whisper_model may "
                             "also name a CTranslate2 Whisper directory)")
        t0 = time.perf_counter()
        try:
            self._model = _shared_encoder_model(self.model_dir, device=self.device, compute_type=self.compute_type,
                                                cpu_threads=self.cpu_threads, num_workers=2 if self.parallel else 1,
                                                local_files_only=True)
        except Exception as e:
            raise ModelError(f"cannot load Whisper model from {self.model_dir} ({e}); "
                             f"{fix_hint()}") from None
        self.load_s = time.perf_counter() - t0
        if self.parallel:
            self._side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="viva-whisper-side")

    def run_pass(self, audio: np.ndarray, p: Pass) -> list[Word]:
        """One decode of `audio` (for the benches, which cache passes and try the rules on them)."""
        return list(self.decode_pass(audio, p).words)

    def decode_pass(self, audio: np.ndarray, p: Pass) -> Decode:
        """One decode of `audio` with its average log-probability (for the benches)."""
        if audio.size == 0 or rms_dbfs(audio) < SILENCE_DBFS:
            return Decode((), None)
        d: Decode = self._worker.submit(self._run_pass, audio, p).result()
        return d

    def _run_pass(self, audio: np.ndarray, p: Pass) -> Decode:
        self._load()
        with self._model.sharing(self.share_encoder):
            return self._pass(audio, p)[0]

    def _pass(self, audio: np.ndarray, p: Pass) -> tuple[Decode, str]:
        d, language = self._decode(audio, p, p.beam)
        words = d.words
        if p.prompt is None and (_compression_ratio(words) > LOOP_RATIO or _says_thrice(words)):
            # A decoder stuck in a loop ("I don't know if it's true, but I don't know if it's true, but...").
            # Instead of the default fallback (sampling at rising temperatures, a different transcript on every
            # run), decode again greedily with repeated 4-grams barred, and keep that unless it loops too and
            # compresses more.
            retry, _ = self._decode(audio, p, 1, no_repeat_ngram_size=4)
            if _compression_ratio(retry.words) < _compression_ratio(words) or not _says_thrice(retry.words):
                d = retry
        return d, language

    def _decode(self, audio: np.ndarray, p: Pass, beam: int, **options: Any) -> tuple[Decode, str]:
        segments, info = self._model.transcribe(
            audio,
            language="en",
            beam_size=beam,
            word_timestamps=True,
            vad_filter=p.vad,
            condition_on_previous_text=False,
            initial_prompt=p.prompt,
            # One temperature: the same audio always gives the same words. The token budget stops a stuck
            # decoder early (no more tokens than fast speech produces).
            temperature=0.0,
            max_new_tokens=_token_budget(audio),
            **options,
        )
        words: list[Word] = []
        duration, tail = len(audio) / SAMPLE_RATE, p.min_tail_s
        left = duration  # audio after the last word placed so far (s)
        logprob, tokens = 0.0, 0  # summed over the decoded tokens, as Whisper's log_prob_threshold reads it
        with self._model.windows(None if tail is None else lambda: left < tail):
            try:
                for seg in segments:
                    words += [Word(w.word.strip(), round(float(w.start), 3), round(float(w.end), 3),
                                   round(float(w.probability), 4)) for w in (seg.words or []) if w.word.strip()]
                    left = duration - max([seg.end, *(w.end for w in seg.words or [])])
                    n = max(1, len(seg.tokens))
                    logprob, tokens = logprob + float(seg.avg_logprob) * n, tokens + n
            except _WindowLimit:
                pass
        return Decode(tuple(words), round(logprob / tokens, 4) if tokens else None), info.language

    def draft(self, audio: np.ndarray) -> list[Word]:
        """A cheap first guess at the words of an open segment, for the live transcript: one greedy pass
        without word alignment (each segment's time is shared among its words)."""
        if audio.size == 0 or rms_dbfs(audio) < SILENCE_DBFS:
            return []
        result: list[Word] = self._worker.submit(self._draft, audio).result()
        return result

    def _draft(self, audio: np.ndarray) -> list[Word]:
        self._load()
        segments, _ = self._model.transcribe(audio, language="en", beam_size=1, temperature=0.0,
                                             condition_on_previous_text=False, vad_filter=True,
                                             without_timestamps=True, max_new_tokens=_token_budget(audio))
        words: list[Word] = []
        for seg in segments:
            parts = seg.text.split()
            step = (seg.end - seg.start) / max(1, len(parts))
            words += [Word(p, round(seg.start + k * step, 3), round(seg.start + (k + 1) * step, 3), 0.0)
                      for k, p in enumerate(parts)]
        return words

    def transcribe(self, audio: np.ndarray) -> Transcript:
        duration = len(audio) / SAMPLE_RATE
        if audio.size == 0 or rms_dbfs(audio) < SILENCE_DBFS:
            return Transcript(words=(), duration_s=duration, model=self.name)
        return self._worker.submit(self._transcribe, audio, duration).result()

    def _transcribe(self, audio: np.ndarray, duration: float) -> Transcript:
        self._load()
        second = self.recipe.fillers
        with self._model.sharing(self.share_encoder):  # passes fed the same audio share its encoder output
            side = self._side.submit(self._pass, audio, second) if second is not None and self._side else None
            try:
                words, language = self._pass(audio, self.recipe.words)
            except BaseException:
                if side is not None:
                    wait([side])  # never left running on the model
                raise
            fillers = side.result()[0] if side is not None else None
            if second is not None and side is None and words.words:
                fillers, _ = self._pass(audio, second)
        out = self.recipe.combine(words, fillers if words.words else None, audio)
        return Transcript(words=tuple(out), duration_s=duration, language=language, model=self.name)
