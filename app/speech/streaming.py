"""Transcribing while the user speaks.

Audio is fed in as it is recorded; `segments.Segmenter` cuts it at pauses, from the samples alone, and each
finished segment is transcribed by one background worker. When the user stops, only the tail since the last
pause remains to be transcribed. Memory is bounded: only the untranscribed audio is kept.

While someone watches the words (`on_words` is given), the worker's spare time goes to two things, never
ahead of a finished segment:
- at a pause (SPECULATE_AFTER_S of silence) in a segment too young to be cut, it transcribes the open segment
  up to that pause, exactly as a cut there would; if the user stops during the pause, that work is the tail's
  final transcription, so the transcript is ready sooner after the stop;
- while the user speaks on, a cheap draft of the open segment's words every PARTIAL_EVERY_S of new speech,
  so words keep appearing during fluent speech; the final words replace the draft at the pause.
Neither changes the result: a segment's words depend only on its samples.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from app.audio import SAMPLE_RATE
from app.domain import Transcript, Word
from app.speech.segments import MAX_SEGMENT_S, MIN_PAUSE_TO_CUT_S, Cut, Segmenter, VoiceActivity
from app.speech.transcribe import Transcriber

__all__ = ["MAX_SEGMENT_S", "CHECK_EVERY_S", "PARTIAL_EVERY_S", "StreamingTranscription", "WordsCallback"]

CHECK_EVERY_S = 0.5  # how often the voice detector runs on new audio (the cuts do not depend on it)
PARTIAL_EVERY_S = 2.0  # new open-segment audio that earns a fresh draft of its words
DRAFT_DUTY = 3.0  # ... and at least this many times the last draft's decoding time, so drafts stay cheap
SPECULATE_AFTER_S = MIN_PAUSE_TO_CUT_S  # a pause after which the open segment is transcribed as if cut there

# Called with every word of the answer so far, in time order: the final words of the finished segments, then
# the draft words of the open one (`StreamingTranscription.draft_from` says where those begin). Each call
# replaces the previous one.
WordsCallback = Callable[[list[Word]], None]
DraftFn = Callable[[np.ndarray], list[Word]]


@dataclass(frozen=True)
class _Job:
    offset: int  # first sample of the audio, from the stream's start
    audio: np.ndarray
    kind: str  # "final", "speculative" (the open segment up to a pause) or "draft"

    @property
    def key(self) -> tuple[int, int]:
        return self.offset, len(self.audio)


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
        self._live = on_words is not None  # someone is watching: spend the worker's spare time
        self._vad = VoiceActivity()
        self._segmenter = Segmenter()
        self._pending = np.zeros(0, dtype=np.float32)  # from sample _offset to the end of what was fed
        self._offset = 0
        self._unchecked = np.zeros(0, dtype=np.float32)  # fed but not yet seen by the voice detector
        self._drafted_to = 0  # stream sample up to which the open segment was last drafted
        self._draft_cost = 0.0  # seconds the last draft took
        self._speculated: tuple[int, int] | None = None  # the open segment's range last speculated on
        self._done: dict[tuple[int, int], list[Word]] = {}  # speculative results by (offset, length)
        self._finals: list[Word] = []
        self._partial: list[Word] = []
        self._cv = threading.Condition()
        self._queue: deque[_Job] = deque()  # finished segments, in order
        self._spare: _Job | None = None  # the one speculative or draft job waiting for spare time
        self._busy = ""  # kind of the job being transcribed
        self._closing = False
        self._error: BaseException | None = None
        self._worker = threading.Thread(target=self._work, name="viva-transcribe", daemon=True)
        self._worker.start()
        self.segments = 0
        self.drafts = 0
        self.reused = 0  # final transcriptions already made while speculating

    @property
    def draft_from(self) -> int:
        """How many of the words last passed to `on_words` are final (the rest are a draft)."""
        with self._cv:
            return len(self._finals)

    def _next_job(self) -> _Job | None:
        with self._cv:
            while not self._queue and self._spare is None and not self._closing:
                self._cv.wait()
            if self._queue:
                job = self._queue.popleft()
            elif self._spare is not None:
                job, self._spare = self._spare, None
            else:
                return None
            self._busy = job.kind
            return job

    def _work(self) -> None:
        while (job := self._next_job()) is not None:
            try:
                words = self._run(job)
            except BaseException as e:  # reported from finish(), on the caller's thread
                if job.kind == "final":
                    self._error = e
                words = None
            with self._cv:
                self._busy = ""
                if words is None:
                    continue
                if job.kind == "final":
                    self._finals.extend(words)
                    self._partial = []
                    self._done = {k: v for k, v in self._done.items() if k[0] > job.offset}
                elif job.offset == self._offset:
                    self._partial = words
                else:
                    continue
                current = [*self._finals, *self._partial]
            if self.on_words:
                self.on_words(current)

    def _run(self, job: _Job) -> list[Word]:
        if job.kind == "final" and job.key in self._done:
            self.reused += 1
            words = self._done[job.key]
        elif job.kind == "draft":
            assert self._draft is not None
            t0 = time.perf_counter()
            words = self._shift(job, self._draft(job.audio))
            self._draft_cost = time.perf_counter() - t0
            self.drafts += 1
        else:
            words = self._shift(job, list(self.transcriber.transcribe(job.audio).words))
        if job.kind == "speculative":
            self._done[job.key] = words
        return words

    @staticmethod
    def _shift(job: _Job, words: list[Word]) -> list[Word]:
        shift = job.offset / SAMPLE_RATE
        return [replace(w, start=round(w.start + shift, 3), end=round(w.end + shift, 3)) for w in words]

    def _submit(self, cut: Cut) -> None:
        n = cut.end - self._offset
        segment, self._pending = self._pending[:n], self._pending[n:]
        with self._cv:
            if cut.speech and len(segment):
                self._queue.append(_Job(self._offset, segment, "final"))
                self.segments += 1
            self._offset = cut.end
            if self._spare is not None and self._spare.offset != cut.end:
                self._spare = None  # it was about the segment just closed
            self._cv.notify()

    def _check(self) -> None:
        for prob in self._vad.push(self._unchecked):
            if cut := self._segmenter.step(float(prob)):
                self._submit(cut)
        self._unchecked = np.zeros(0, dtype=np.float32)
        if not self._live:
            return
        if self._segmenter.trailing_s >= SPECULATE_AFTER_S:
            self._speculate()
        elif self._segmenter.has_speech and self._segmenter.trailing_s == 0.0:
            with self._cv:
                if self._spare is not None and self._spare.kind == "speculative":
                    self._spare = None  # the user spoke on: that pause is not where the segment ends
            self._maybe_draft()

    def _speculate(self) -> None:
        end = self._segmenter.speech_end()
        key = (self._offset, end - self._offset)
        if key == self._speculated or end <= self._offset:
            return
        with self._cv:  # only when the worker would otherwise be idle
            if self._queue or self._busy:
                return
            self._spare = _Job(self._offset, self._pending[: end - self._offset].copy(), "speculative")
            self._cv.notify()
        self._speculated = key

    def _maybe_draft(self) -> None:
        if self._draft is None:
            return
        end = self._offset + len(self._pending)
        due = max(self.partial_every, int(DRAFT_DUTY * self._draft_cost * SAMPLE_RATE))
        if end - max(self._drafted_to, self._offset) < due:
            return
        with self._cv:  # only when the worker would otherwise be idle
            if self._queue or self._busy or self._spare is not None:
                return
            self._spare = _Job(self._offset, self._pending.copy(), "draft")
            self._cv.notify()
        self._drafted_to = end

    def feed(self, block: np.ndarray) -> None:
        block = block.astype(np.float32, copy=False)
        self._pending = np.concatenate([self._pending, block])
        self._unchecked = np.concatenate([self._unchecked, block])
        if len(self._unchecked) >= self.check_every:
            self._check()

    def _close(self) -> None:
        with self._cv:
            self._closing = True
            self._cv.notify()
        self._worker.join()

    def cancel(self) -> None:
        """Stop without transcribing what is left (the answer is being thrown away). Returns once the worker
        has stopped, so the transcriber (not thread-safe) is free for the next answer."""
        self._pending = np.zeros(0, dtype=np.float32)
        with self._cv:
            self._queue.clear()
            self._spare = None
        self._close()

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole transcript (words in time order)."""
        self._draft = None  # no more drafts: the tail goes straight to the final transcription
        for prob in self._vad.push(self._unchecked):
            if cut := self._segmenter.step(float(prob)):
                self._submit(cut)
        end = self._offset + len(self._pending)
        with self._cv:  # one not yet started would only repeat the tail's own transcription
            self._spare = None
        for cut in self._segmenter.tail(end):  # one in progress on the same audio is reused
            self._submit(cut)
        self._close()
        if self._error is not None:
            raise self._error
        words = sorted(self._finals, key=lambda w: (w.start, w.end))
        return Transcript(words=tuple(words), duration_s=end / SAMPLE_RATE, model=self.transcriber.name)
