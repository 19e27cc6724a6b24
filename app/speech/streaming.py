"""Transcribing while the user speaks.

Audio is fed in as it is recorded; `segments.Segmenter` cuts it at pauses, from the samples alone, and each
finished segment is transcribed by one background worker. When the user stops, only the tail since the last
pause remains to be transcribed. Memory is bounded: only the untranscribed audio is kept.

While someone watches the words (`on_words` is given), the worker's spare time goes to two things, never
ahead of a finished segment:
- speculation: the segments the stop would leave (`Segmenter.tail` if the stream ended now) that are already
  over, transcribed exactly as the stop would transcribe them: the open segment up to its last pause (a long
  last segment is cut there, segments.TAIL_SPLIT_S) and, during a pause (SPECULATE_AFTER_S of silence), the
  speech since; after the stop those are reused, so only the speech since the last pause is left to do;
- while the user speaks on, a cheap draft of the open segment's words every PARTIAL_EVERY_S of new speech,
  so words keep appearing during fluent speech; the final words replace the draft at the pause.
Neither changes the result: a segment's words depend only on its samples, and its cuts only on the audio.
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
from app.speech.segments import CUT_PAD_S, MAX_SEGMENT_S, Cut, Segmenter, VoiceActivity
from app.speech.transcribe import Transcriber

__all__ = ["MAX_SEGMENT_S", "CHECK_EVERY_S", "PARTIAL_EVERY_S", "StreamingTranscription", "WordsCallback"]

CHECK_EVERY_S = 0.5  # how often the voice detector runs on new audio (the cuts do not depend on it)
PARTIAL_EVERY_S = 2.0  # new open-segment audio that earns a fresh draft of its words
DRAFT_DUTY = 3.0  # ... and at least this many times the last draft's decoding time, so drafts stay cheap
# The silence after which the speech since the last cut is transcribed as if the stop came now: once it passes
# segments.CUT_PAD_S the cut a stop would make no longer moves, so the work is reused if the user stops in this
# pause. 0.25 s rather than MIN_PAUSE_TO_CUT_S (0.6 s): bench/speech_latency.py --speculate-after, 5 answers of
# 60 s at 2 threads, stop -> text median 1.91 -> 1.77 s, longest 3.79 -> 3.09 s, live-word waits no longer.
SPECULATE_AFTER_S = CUT_PAD_S + 0.05

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
        self._speculated: set[tuple[int, int]] = set()  # (offset, length) of the segments handed out to speculate
        self._done: dict[tuple[int, int], list[Word]] = {}  # speculative results by (offset, length)
        self._finals: list[Word] = []
        self._draft_words: list[Word] = []  # the latest draft of the open segment (after its speculated chain)
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
                    self._draft_words = []
                    self._done = {k: v for k, v in self._done.items() if k[0] > job.offset}
                elif job.kind == "speculative":
                    self._done[job.key] = words
                    if job.offset < self._offset:
                        continue  # its segment closed meanwhile: the final words come with its own job
                elif job.offset == self._chain()[1]:
                    self._draft_words = words
                else:
                    continue  # a draft of audio that has been transcribed since
                current = [*self._finals, *self._open_words()]
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
            self._speculated = {k for k in self._speculated if k[0] >= cut.end}
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
        if not self._speculate() and self._segmenter.has_speech and self._segmenter.trailing_s == 0.0:
            self._maybe_draft()

    def _wanted(self) -> list[_Job]:
        """The speech segments a stop now would leave that are over already (see the module's docstring)."""
        end = self._offset + len(self._pending)
        cuts = [c for c in self._segmenter.tail(end) if c.speech]
        if cuts and self._segmenter.trailing_s < SPECULATE_AFTER_S:
            cuts = cuts[:-1]  # still being spoken, or a pause too short to say the user has finished
        jobs, start = [], self._offset
        for c in cuts:
            jobs.append(_Job(start, self._pending[start - self._offset: c.end - self._offset], "speculative"))
            start = c.end
        return jobs

    def _speculate(self) -> bool:
        """Hand the worker the first wanted segment not yet transcribed, if it is idle; whether there was one."""
        wanted = self._wanted()
        with self._cv:
            todo = [j for j in wanted if j.key not in self._done and j.key not in self._speculated]
            if self._spare is not None and self._spare.kind == "speculative" and \
                    self._spare.key not in {j.key for j in wanted}:
                self._speculated.discard(self._spare.key)
                self._spare = None  # the user spoke on: that pause is not where the segment ends
            if not todo:
                return False
            if self._queue or self._busy or self._spare is not None:  # only when the worker would be idle
                return True
            job = todo[0]
            self._spare = replace(job, audio=job.audio.copy())
            self._cv.notify()
        self._speculated.add(job.key)
        return True

    def _chain(self) -> tuple[list[Word], int]:
        """(Under the lock.) The open segment's words speculated so far, from its start without a gap (the
        longest piece first), and the sample where they end: live words that will not change."""
        words, at = [], self._offset
        while pieces := [k for k in self._done if k[0] == at]:
            key = max(pieces, key=lambda k: k[1])
            words += self._done[key]
            at += key[1]
        return words, at

    def _open_words(self) -> list[Word]:
        """(Under the lock.) The open segment's live words: the speculated chain, then the latest draft of
        what follows it."""
        words, at = self._chain()
        return [*words, *(w for w in self._draft_words if w.start >= at / SAMPLE_RATE - 0.05)]

    def _maybe_draft(self) -> None:
        if self._draft is None:
            return
        end = self._offset + len(self._pending)
        due = max(self.partial_every, int(DRAFT_DUTY * self._draft_cost * SAMPLE_RATE))
        with self._cv:  # only when the worker would otherwise be idle
            start = self._chain()[1]  # what speculation transcribed needs no draft
            if end - max(self._drafted_to, start) < due or start >= end:
                return
            if self._queue or self._busy or self._spare is not None:
                return
            self._spare = _Job(start, self._pending[start - self._offset:].copy(), "draft")
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
