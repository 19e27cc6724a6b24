"""Transcribing while the user speaks.

Audio is fed in as it is recorded; `segments.Segmenter` cuts it at pauses, from the samples alone, and each
finished segment is transcribed by one background worker. When the user stops, only the tail since the last
pause remains to be transcribed. Memory is bounded: only the untranscribed audio is kept.

While a segment is still open (the user has not paused yet), the worker, when it has nothing else to do, makes
a cheap draft of the open segment's words every PARTIAL_EVERY_S of new speech, so the words keep appearing
during fluent speech; the final transcription of that segment replaces the draft at the pause. Drafts never
feed the final words, so they cannot change the result.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from app.audio import SAMPLE_RATE
from app.domain import Transcript, Word
from app.speech.segments import MAX_SEGMENT_S, Cut, Segmenter, VoiceActivity
from app.speech.transcribe import Transcriber

__all__ = ["MAX_SEGMENT_S", "CHECK_EVERY_S", "PARTIAL_EVERY_S", "StreamingTranscription", "WordsCallback"]

CHECK_EVERY_S = 0.5  # how often the voice detector runs on new audio (the cuts do not depend on it)
PARTIAL_EVERY_S = 2.0  # new open-segment audio that earns a fresh draft of its words

# Called with every word of the answer so far, in time order: the final words of the finished segments, then
# the draft words of the open one (`StreamingTranscription.draft_from` says where those begin). Each call
# replaces the previous one.
WordsCallback = Callable[[list[Word]], None]
DraftFn = Callable[[np.ndarray], list[Word]]


@dataclass(frozen=True)
class _Job:
    offset: int  # first sample of the audio, from the stream's start
    audio: np.ndarray
    final: bool


class StreamingTranscription:
    """Feed audio blocks with `feed`, call `finish` once for the whole transcript (or `cancel`)."""

    def __init__(self, transcriber: Transcriber, on_words: WordsCallback | None = None,
                 check_every_s: float = CHECK_EVERY_S, partial_every_s: float = PARTIAL_EVERY_S) -> None:
        self.transcriber = transcriber
        self.check_every = int(check_every_s * SAMPLE_RATE)
        self.partial_every = int(partial_every_s * SAMPLE_RATE)
        self.on_words = on_words
        draft = getattr(transcriber, "draft", None)
        self._draft: DraftFn | None = draft if on_words is not None and callable(draft) else None
        self._vad = VoiceActivity()
        self._segmenter = Segmenter()
        self._pending = np.zeros(0, dtype=np.float32)  # from sample _offset to the end of what was fed
        self._offset = 0
        self._unchecked = np.zeros(0, dtype=np.float32)  # fed but not yet seen by the voice detector
        self._drafted_to = 0  # stream sample up to which the open segment was last drafted
        self._draft_queued = False
        self._finals: list[Word] = []
        self._partial: list[Word] = []
        self._lock = threading.Lock()
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._error: BaseException | None = None
        self._worker = threading.Thread(target=self._work, name="viva-transcribe", daemon=True)
        self._worker.start()
        self.segments = 0
        self.drafts = 0

    @property
    def draft_from(self) -> int:
        """How many of the words last passed to `on_words` are final (the rest are a draft)."""
        with self._lock:
            return len(self._finals)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            if not job.final:
                with self._lock:
                    self._draft_queued = False
                if not self._jobs.empty() or job.offset < self._offset:
                    continue  # a final transcription is waiting, or this segment is already closed
            try:
                words = self._transcribe(job)
            except BaseException as e:  # reported from finish(), on the caller's thread
                if job.final:
                    self._error = e
                continue
            with self._lock:
                if job.final:
                    self._finals.extend(words)
                    self._partial = []
                elif job.offset == self._offset:
                    self._partial = words
                    self.drafts += 1
                else:
                    continue
                current = [*self._finals, *self._partial]
            if self.on_words:
                self.on_words(current)

    def _transcribe(self, job: _Job) -> list[Word]:
        if job.final:
            words = list(self.transcriber.transcribe(job.audio).words)
        else:
            assert self._draft is not None
            words = self._draft(job.audio)
        shift = job.offset / SAMPLE_RATE
        return [replace(w, start=round(w.start + shift, 3), end=round(w.end + shift, 3)) for w in words]

    def _submit(self, cut: Cut) -> None:
        n = cut.end - self._offset
        segment, self._pending = self._pending[:n], self._pending[n:]
        if cut.speech and len(segment):
            self._jobs.put(_Job(self._offset, segment, final=True))
            self.segments += 1
        with self._lock:
            self._offset = cut.end

    def _check(self) -> None:
        for prob in self._vad.push(self._unchecked):
            if cut := self._segmenter.step(float(prob)):
                self._submit(cut)
        self._unchecked = np.zeros(0, dtype=np.float32)
        self._maybe_draft()

    def _maybe_draft(self) -> None:
        if self._draft is None or not self._segmenter.has_speech:
            return
        end = self._offset + len(self._pending)
        if end - max(self._drafted_to, self._offset) < self.partial_every:
            return
        with self._lock:
            if self._draft_queued or not self._jobs.empty():
                return
            self._draft_queued = True
        self._drafted_to = end
        self._jobs.put(_Job(self._offset, self._pending.copy(), final=False))

    def feed(self, block: np.ndarray) -> None:
        block = block.astype(np.float32, copy=False)
        self._pending = np.concatenate([self._pending, block])
        self._unchecked = np.concatenate([self._unchecked, block])
        if len(self._unchecked) >= self.check_every:
            self._check()

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
        self._draft = None  # no more drafts: the tail goes straight to the final transcription
        for prob in self._vad.push(self._unchecked):
            if cut := self._segmenter.step(float(prob)):
                self._submit(cut)
        end = self._offset + len(self._pending)
        if len(self._pending):
            self._submit(Cut(end, self._segmenter.has_speech))
        self._jobs.put(None)
        self._worker.join()
        if self._error is not None:
            raise self._error
        words = sorted(self._finals, key=lambda w: (w.start, w.end))
        return Transcript(words=tuple(words), duration_s=end / SAMPLE_RATE, model=self.transcriber.name)
