"""Same input, same result: a recording analysed again gives the same words, fillers and figures, and the
live path (microphone-sized blocks, frequent checks) cuts and transcribes it exactly as `viva analyze` does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.audio import SAMPLE_RATE, load_audio
from app.modelstore import load_manifest, require
from app.practice import analyze_file, slices, transcribe_blocks
from app.speech.segments import cut_points
from app.speech.transcribe import WhisperTranscriber

SPEECH = Path(__file__).parent / "data" / "speech"


def test_cut_points_do_not_depend_on_how_the_audio_arrives() -> None:
    audio = np.concatenate([load_audio(SPEECH / "mfa_cold_corpus.wav"), load_audio(SPEECH / "whisper_jfk.flac")])
    whole = cut_points(audio)
    assert sum(c.speech for c in whole) >= 3  # cut at pauses, not one segment
    for block_s in (0.032, 0.1, 0.5, 1.0, 3.0):
        n = int(block_s * SAMPLE_RATE)
        assert cut_points(audio[i:i + n] for i in range(0, len(audio), n)) == whole, block_s


@pytest.mark.models
@pytest.mark.parametrize(("model", "names"), [
    # mfa_uhuh: six deliberate "uh" before "forced aligner", the clip that came back as a different transcript
    # on each run (and one "uh" as "uh, uh, uh"); the cold corpus: a monologue cut into several segments.
    ("whisper-tiny.en", ("mfa_uhuh.flac", "mfa_cold_corpus.wav")),
    # base loops on mfa_uhuh, so its decoding falls back to (seeded) sampling there.
    ("whisper-base", ("mfa_uhuh.flac",)),
])
def test_one_recording_analysed_three_times_gives_one_result(model: str, names: tuple[str, ...]) -> None:
    tr = WhisperTranscriber(require(load_manifest()[model]), cpu_threads=1)
    for name in names:
        runs = [analyze_file(SPEECH / name, tr) for _ in range(3)]
        first = runs[0]
        assert first.transcript.words
        for other in runs[1:]:
            assert other.transcript.words == first.transcript.words, name
            assert other.delivery == first.delivery, name
        live = transcribe_blocks(slices(load_audio(SPEECH / name), 0.1), tr, check_every_s=0.5)
        assert live.words == first.transcript.words, name
