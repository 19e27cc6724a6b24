"""Where a stream of speech is cut into segments for Whisper, decided from the samples alone.

Silero's speech probability (bundled with faster-whisper) is computed for each 512-sample frame on a grid that
starts with the stream, its recurrent state carried from frame to frame, so a frame's probability is the same
however the audio arrived: in 0.1 s blocks from a microphone or in 1 s blocks from a file, checked often or
rarely. The cut rule then walks the frames one by one and depends only on those probabilities, so the same
recording always gives the same segments, hence the same words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from app.audio import SAMPLE_RATE

FRAME = 512  # Silero's window at 16 kHz
CONTEXT = 64  # samples of the previous frame Silero sees with each frame
SPEECH_ON = 0.5  # a frame at or above this starts speech
SPEECH_OFF = 0.35  # ... and speech goes on until a frame falls below this (Silero's own hysteresis)
MIN_PAUSE_TO_CUT_S = 0.6  # trailing silence that ends a segment
MIN_SEGMENT_S = 14.0  # shorter ones: less context (more word errors), and each costs a 30 s encoder window
CUT_PAD_S = 0.2  # silence kept after the last speech in a segment
MAX_SEGMENT_S = 28.0  # Whisper's window is 30 s: cut at the longest pause before that
LEAD_SILENCE_S = 2.0  # silence before any speech is dropped once this long, keeping the last LEAD_KEEP_S
LEAD_KEEP_S = 1.0  # (the detector notices speech a few frames late)
# The stream's last segment, when at least this long, cut once more at its last pause of MIN_PAUSE_TO_CUT_S
# (leaving at least TAIL_HEAD_MIN_S before it): the part before that pause can be transcribed while the user
# speaks on (streaming.py speculates it), so after the stop only the speech since the last pause would be left.
# None (never): measured by bench/filler_ablation.py --tail-split, the extra cut costs fillers and words (at 6 s
# recorded recall 0.92 -> 0.50, disfluent espeak WER 0.211 -> 0.243; at 8 s 0.92 -> 0.83 and 0.211 -> 0.243).
TAIL_SPLIT_S: float | None = None
TAIL_HEAD_MIN_S = 3.0


@dataclass(frozen=True)
class Cut:
    """The open segment ends at sample `end` (from the stream's start); `speech` says whether it holds any."""

    end: int
    speech: bool


class VoiceActivity:
    """Speech probabilities of a stream, frame by frame, as the audio arrives."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._rest = np.zeros(0, dtype=np.float32)

    def push(self, audio: np.ndarray) -> np.ndarray:
        """The probabilities of the whole frames completed by `audio` (the remainder waits for more)."""
        data = np.concatenate([self._rest, audio.astype(np.float32, copy=False)])
        n = len(data) // FRAME
        self._rest = data[n * FRAME:]
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        frames = data[: n * FRAME].reshape(n, FRAME)
        before = np.concatenate([self._context[None], frames[:-1, -CONTEXT:]], axis=0)
        out, self._h, self._c = self._session.run(
            None, {"input": np.concatenate([before, frames], axis=1), "h": self._h, "c": self._c})
        self._context = frames[-1, -CONTEXT:].copy()
        return np.asarray(out, dtype=np.float32).reshape(-1)


class Segmenter:
    """The cut rule, fed one frame probability at a time: a segment ends at the first pause of
    MIN_PAUSE_TO_CUT_S after at least MIN_SEGMENT_S, or, at MAX_SEGMENT_S, in the middle of its longest pause.
    Leading silence is dropped as it goes."""

    def __init__(self) -> None:
        self.start = 0  # first sample of the open segment
        self._frames = 0  # frames seen
        self._speech: list[bool] = []  # per frame of the open segment (by hysteresis)
        self._last = -1  # index in _speech of its last speech frame, -1 for none
        self._talking = False

    @property
    def has_speech(self) -> bool:
        return self._last >= 0

    @property
    def trailing_s(self) -> float:
        """Silence since the open segment's last speech (0 while speaking or before any speech)."""
        return (len(self._speech) - 1 - self._last) * FRAME / SAMPLE_RATE if self.has_speech else 0.0

    def speech_end(self) -> int:
        """Where the open segment would be cut now: after its last speech plus CUT_PAD_S (a sample)."""
        pad_end = _frame_floor((self._last + 1) * FRAME + int(CUT_PAD_S * SAMPLE_RATE))
        return self.start + min(len(self._speech) * FRAME, pad_end)

    def tail(self, total: int) -> list[Cut]:
        """The last cuts of a stream of `total` samples: the open segment ends as any other does (after its
        last speech plus the pad; at the very end if it was still speaking), cut first at its last pause when
        it is long (TAIL_SPLIT_S), then the silence after it."""
        if total <= self.start:
            return []
        if not self.has_speech:
            return [Cut(total, False)]
        end = total if self.trailing_s == 0.0 else min(total, self.speech_end())
        split = self.last_pause_cut() if TAIL_SPLIT_S is not None and \
            end - self.start >= TAIL_SPLIT_S * SAMPLE_RATE else None
        head = [] if split is None else [Cut(split, True)]
        return [*head, Cut(end, True)] + ([Cut(total, False)] if total > end else [])

    def last_pause_cut(self) -> int | None:
        """Where a cut at the open segment's last pause of MIN_PAUSE_TO_CUT_S between speech would fall (a
        sample, as `step` would cut there: after the speech before it plus CUT_PAD_S), when at least
        TAIL_HEAD_MIN_S of the segment lies before it; else None. A trailing silence is not such a pause."""
        need = MIN_PAUSE_TO_CUT_S * SAMPLE_RATE
        run, seen_speech = 0, False
        for i in range(self._last, -1, -1):  # from the last speech frame back
            if self._speech[i]:
                if seen_speech and run * FRAME >= need:
                    end = self.start + _frame_floor((i + 1) * FRAME + int(CUT_PAD_S * SAMPLE_RATE))
                    return end if end - self.start >= TAIL_HEAD_MIN_S * SAMPLE_RATE else None
                seen_speech, run = True, 0
            else:
                run += 1
        return None

    def _open_from(self, sample: int) -> None:
        """Start the open segment at `sample`, keeping the flags of the frames after it."""
        first = sample // FRAME  # cuts fall on frame boundaries
        keep = self._speech[first - self.start // FRAME:]
        self.start, self._speech = first * FRAME, keep
        self._last = max((i for i, s in enumerate(keep) if s), default=-1)

    def step(self, prob: float) -> Cut | None:
        self._talking = prob >= SPEECH_ON or (self._talking and prob >= SPEECH_OFF)
        self._speech.append(self._talking)
        if self._talking:
            self._last = len(self._speech) - 1
        self._frames += 1
        now = self._frames * FRAME
        length = now - self.start
        if not self.has_speech:
            if length >= LEAD_SILENCE_S * SAMPLE_RATE:
                end = _frame_floor(now - int(LEAD_KEEP_S * SAMPLE_RATE))
                self._open_from(end)
                return Cut(end, False)
            return None
        last = self._last
        trailing = (len(self._speech) - 1 - last) * FRAME
        if length >= MIN_SEGMENT_S * SAMPLE_RATE and trailing >= MIN_PAUSE_TO_CUT_S * SAMPLE_RATE:
            end = self.start + _frame_floor((last + 1) * FRAME + int(CUT_PAD_S * SAMPLE_RATE))
            self._open_from(end)
            return Cut(end, True)
        if length >= MAX_SEGMENT_S * SAMPLE_RATE:
            end = self.start + self._longest_pause_middle()
            self._open_from(end)
            return Cut(end, True)
        return None

    def _longest_pause_middle(self) -> int:
        """Sample offset (in the open segment) of the middle of its longest pause between speech, or its end."""
        best, best_len, run = len(self._speech), 0, 0
        seen_speech = False
        for i, s in enumerate(self._speech):
            if s:
                if seen_speech and run > best_len:
                    best, best_len = i - run // 2, run
                seen_speech, run = True, 0
            else:
                run += 1
        return best * FRAME


def _frame_floor(sample: int) -> int:
    return max(0, sample // FRAME * FRAME)


def cut_points(audio: np.ndarray | Iterable[np.ndarray]) -> list[Cut]:
    """Every cut the stream makes in `audio` (one array, or blocks of any size), the last one at its end
    (as `StreamingTranscription` cuts it)."""
    vad, seg = VoiceActivity(), Segmenter()
    cuts: list[Cut] = []
    total = 0
    for block in [audio] if isinstance(audio, np.ndarray) else audio:
        total += len(block)
        cuts += [c for p in vad.push(block) if (c := seg.step(float(p)))]
    return cuts + seg.tail(total)
