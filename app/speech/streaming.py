"""Transcribing while the user speaks.

Audio is fed in as it is recorded; a voice-activity detector (Silero, bundled with faster-whisper) cuts it at
pauses, and each finished segment is transcribed by one background worker. When the user stops, only the tail
since the last pause remains to be transcribed. Memory is bounded: only the untranscribed audio is kept.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from app.audio import SAMPLE_RATE
from app.domain import Transcript, Word
from app.speech.transcribe import Transcriber

MIN_PAUSE_TO_CUT_S = 0.6  # trailing silence that ends a segment
MIN_SEGMENT_S = 8.0  # shorter segments give Whisper too little context (measured: more word errors)
CUT_PAD_S = 0.2  # silence kept after the last speech in a segment
MAX_SEGMENT_S = 28.0  # Whisper's window is 30 s: cut at the longest pause before that
CHECK_EVERY_S = 0.5

WordsCallback = Callable[[list[Word]], None]


def speech_spans(audio: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) sample indices of speech in `audio`."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(min_silence_duration_ms=300, speech_pad_ms=100)
    return [(s["start"], s["end"]) for s in get_speech_timestamps(audio, opts)]


def find_cut(pending: np.ndarray, final: bool = False) -> tuple[int, bool] | None:
    """Where to end the next segment of `pending` audio (a sample index) and whether it holds speech,
    or None to keep listening."""
    length = len(pending)
    long = length >= MAX_SEGMENT_S * SAMPLE_RATE
    spans = speech_spans(pending)
    if not spans:
        # All silence so far: drop it once it is long (or at the end), keeping the last pause's worth.
        if final:
            return length, False
        return (length - int(CUT_PAD_S * SAMPLE_RATE), False) if long else None
    last_end = spans[-1][1]
    if length >= MIN_SEGMENT_S * SAMPLE_RATE and length - last_end >= MIN_PAUSE_TO_CUT_S * SAMPLE_RATE:
        return min(length, last_end + int(CUT_PAD_S * SAMPLE_RATE)), True
    if long and len(spans) > 1:
        gaps = [(b[0] - a[1], (a[1] + b[0]) // 2) for a, b in zip(spans, spans[1:], strict=False)]
        return max(gaps)[1], True
    return (length, True) if long or final else None


class StreamingTranscription:
    """Feed audio blocks with `feed`, call `finish` once for the whole transcript."""

    def __init__(self, transcriber: Transcriber, on_words: WordsCallback | None = None,
                 check_every_s: float = CHECK_EVERY_S) -> None:
        self.transcriber = transcriber
        self.check_every = int(check_every_s * SAMPLE_RATE)
        self.on_words = on_words
        self._pending = np.zeros(0, dtype=np.float32)
        self._offset = 0  # samples already handed to the worker or dropped
        self._since_check = 0
        self._words: list[Word] = []
        self._jobs: queue.Queue[tuple[int, np.ndarray] | None] = queue.Queue()
        self._error: BaseException | None = None
        self._worker = threading.Thread(target=self._work, name="viva-transcribe", daemon=True)
        self._worker.start()
        self.segments = 0

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            offset, audio = job
            try:
                t = self.transcriber.transcribe(audio)
            except BaseException as e:  # reported from finish(), on the caller's thread
                self._error = e
                continue
            shift = offset / SAMPLE_RATE
            words = [replace(w, start=round(w.start + shift, 3), end=round(w.end + shift, 3)) for w in t.words]
            self._words.extend(words)
            if words and self.on_words:
                self.on_words(words)

    def _submit(self, cut: int, has_speech: bool) -> None:
        segment, self._pending = self._pending[:cut], self._pending[cut:]
        if has_speech:
            self._jobs.put((self._offset, segment))
            self.segments += 1
        self._offset += cut

    def feed(self, block: np.ndarray) -> None:
        self._pending = np.concatenate([self._pending, block.astype(np.float32, copy=False)])
        self._since_check += len(block)
        if self._since_check < self.check_every:
            return
        self._since_check = 0
        if found := find_cut(self._pending):
            self._submit(*found)

    def cancel(self) -> None:
        """Stop without transcribing what is left (the answer is being thrown away). Returns once the worker
        has stopped, so the transcriber (not thread-safe) is free for the next answer."""
        self._pending = np.zeros(0, dtype=np.float32)
        with contextlib.suppress(queue.Empty):
            while True:
                self._jobs.get_nowait()
        self._jobs.put(None)
        self._worker.join()

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole transcript (words in time order)."""
        while len(self._pending):
            found = find_cut(self._pending, final=True)
            assert found is not None  # final=True always cuts
            self._submit(*found)
        self._jobs.put(None)
        self._worker.join()
        if self._error is not None:
            raise self._error
        words = sorted(self._words, key=lambda w: (w.start, w.end))
        duration = self._offset / SAMPLE_RATE
        return Transcript(words=tuple(words), duration_s=duration, model=self.transcriber.name)
