"""Live words while the user speaks: drafts of the open segment arrive before any pause, each update carries
every word so far (finals first), and drafts never change the final transcript."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from app.audio import SAMPLE_RATE, load_audio
from app.delivery.tokens import norm
from app.domain import Transcript, Word
from app.modelstore import load_manifest, require
from app.practice import slices, transcribe_blocks
from app.speech import segments
from app.speech.segments import CUT_PAD_S, FRAME, MIN_SEGMENT_S, TAIL_HEAD_MIN_S, Segmenter, cut_points
from app.speech.streaming import StreamingTranscription
from app.speech.transcribe import WhisperTranscriber
from bench.synth_speech import synth_answer

SPEECH = Path(__file__).parent / "data" / "speech"


@pytest.mark.models
def test_drafts_show_words_before_the_pause_and_leave_the_result_alone(tmp_path: Path) -> None:
    tr = WhisperTranscriber(require(load_manifest()["whisper-tiny.en"]), cpu_threads=1)
    audio, _ = synth_answer(random.Random(9), 24.0, tmp_path, filler_rate=0.0)
    calls: list[tuple[list[Word], int]] = []
    first = threading.Event()

    def on_words(words: list[Word]) -> None:
        calls.append((list(words), stream.draft_from))
        first.set()

    stream = StreamingTranscription(tr, on_words)
    blocks = list(slices(audio, 0.1))
    head = int(3.0 * SAMPLE_RATE / len(blocks[0]))  # 3 s: no segment can close yet (MIN_SEGMENT_S)
    for block in blocks[:head]:
        stream.feed(block)
    assert first.wait(120), "no draft of the open segment"
    draft, finals = calls[0]
    assert finals == 0 and draft  # words on screen before any pause, all of them a draft
    for block in blocks[head:]:
        stream.feed(block)
    final = stream.finish()

    assert final.words == transcribe_blocks(slices(audio), tr).words  # the same as with no drafts at all
    final_text = {norm(w.text) for w in final.words}
    assert {norm(w.text) for w in draft} & final_text
    for words, finals in calls:  # every update: the finals so far (a prefix of the transcript), then drafts
        assert tuple(words[:finals]) == final.words[:finals]


def _idle(stream: StreamingTranscription, timeout_s: float = 60.0) -> None:
    """Wait until the worker has nothing to do: a machine fast enough to keep up with the speaker."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with stream._cv:
            if not stream._queue and stream._spare is None and not stream._busy:
                return
        time.sleep(0.02)
    raise AssertionError("the worker never caught up")


@pytest.mark.models
@pytest.mark.parametrize("split", [None, 6.0])
def test_what_was_transcribed_while_the_user_spoke_is_not_transcribed_again_after_the_stop(
        split: float | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """JFK's 11 s: one open segment (shorter than MIN_SEGMENT_S) with a pause at 7.8 s, streamed at a pace the
    worker keeps up with. Stopped a second after the speech ends, that second's pause was spent transcribing
    the segment, so nothing is left after the stop. With the last segment cut at its last pause (TAIL_SPLIT_S,
    off by default) and stopped as the speech ends, the part before the pause was transcribed while he spoke
    on: only the 2.8 s after it is left. Either way the words are exactly those of `viva analyze` on the same
    samples."""
    monkeypatch.setattr(segments, "TAIL_SPLIT_S", split)
    tr = WhisperTranscriber(require(load_manifest()["whisper-tiny.en"]), cpu_threads=1)
    audio = load_audio(SPEECH / "whisper_jfk.flac")
    if split is None:  # a second of silence before the stop
        audio = np.concatenate([audio, np.zeros(SAMPLE_RATE, dtype=np.float32)])
    else:  # the stop as the speech ends (10.5 s): no pause in which to transcribe the last piece
        audio = audio[: int(10.55 * SAMPLE_RATE)]
    cuts = [c.end for c in cut_points(audio) if c.speech]
    assert len(cuts) == (1 if split is None else 2) and cuts[-1] < MIN_SEGMENT_S * SAMPLE_RATE
    lengths: list[tuple[bool, int]] = []
    stopped = [False]
    transcribe = tr.transcribe

    def recording(samples: np.ndarray) -> Transcript:
        lengths.append((stopped[0], len(samples)))
        return transcribe(samples)

    tr.transcribe = recording  # type: ignore[method-assign]
    stream = StreamingTranscription(tr, lambda words: None)
    for block in slices(audio, 0.1):
        stream.feed(block)
        _idle(stream)
    stopped[0] = True
    final = stream.finish()
    after = [n for late, n in lengths if late]
    assert after == ([] if split is None else [cuts[1] - cuts[0]]), (lengths, cuts)
    assert stream.reused == 1
    tr.transcribe = transcribe  # type: ignore[method-assign]
    assert final.words == transcribe_blocks(slices(audio), tr).words


def _segmenter_cuts(pattern: list[tuple[bool, int]]) -> list[tuple[float, bool]]:
    """The cuts a Segmenter makes for frames that are speech or not, in runs of (speech, frames of 32 ms)."""
    seg, total = Segmenter(), 0
    for speech, frames in pattern:
        for _ in range(frames):
            assert seg.step(0.9 if speech else 0.0) is None
            total += FRAME
    return [(round(c.end / SAMPLE_RATE, 3), c.speech) for c in seg.tail(total)]


def test_a_long_last_segment_is_cut_once_more_at_its_last_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The switch bench/filler_ablation.py --tail-split measures (off by default: it costs fillers and words)."""
    assert _segmenter_cuts([(True, 125), (False, 25), (True, 94)]) == [(7.808, True)]  # off: one segment
    monkeypatch.setattr(segments, "TAIL_SPLIT_S", 6.0)
    assert FRAME == 512 and round(CUT_PAD_S * SAMPLE_RATE) // FRAME == 6  # a frame is 32 ms, the pad 192 ms
    # 4 s of speech, a 0.8 s pause, 3 s more: cut after the first speech plus the pad, then at the end
    assert _segmenter_cuts([(True, 125), (False, 25), (True, 94)]) == [(4.192, True), (7.808, True)]
    # ... at the last of two pauses of 0.6 s or more (0.8 s, 0.704 s); a 0.384 s pause is no place to cut
    got = _segmenter_cuts([(True, 125), (False, 25), (True, 63), (False, 22), (True, 31), (False, 12), (True, 31)])
    assert got == [(7.008, True), (9.888, True)]
    # a last segment under TAIL_SPLIT_S (5.28 s), or one with under TAIL_HEAD_MIN_S before its pause: not cut
    assert TAIL_HEAD_MIN_S == 3.0
    assert _segmenter_cuts([(True, 93), (False, 25), (True, 47)]) == [(5.28, True)]
    assert _segmenter_cuts([(True, 63), (False, 25), (True, 156)]) == [(7.808, True)]
    # a trailing silence is not a pause between speech: the cut after the speech, then the silence
    assert _segmenter_cuts([(True, 219), (False, 31)]) == [(7.2, True), (8.0, False)]
