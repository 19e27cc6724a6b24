"""Live words while the user speaks: drafts of the open segment arrive before any pause, each update carries
every word so far (finals first), and drafts never change the final transcript."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from app.audio import SAMPLE_RATE
from app.delivery.tokens import norm
from app.domain import Word
from app.modelstore import load_manifest, require
from app.practice import slices, transcribe_blocks
from app.speech.streaming import StreamingTranscription
from app.speech.transcribe import WhisperTranscriber
from bench.synth_speech import synth_answer

pytestmark = pytest.mark.models


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
