"""Same input, same result: a recording analysed again gives the same words, fillers and figures, and the
live path (microphone-sized blocks, frequent checks) cuts and transcribes it exactly as `viva analyze` does."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.audio import SAMPLE_RATE, load_audio
from app.modelstore import load_manifest, require
from app.practice import analyze_file, slices, transcribe_blocks
from app.speech import transcribe
from app.speech.recipes import SENTENCE
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


@pytest.mark.models
@pytest.mark.parametrize(("model", "name", "retry"), [
    # every plain pass taken for a loop: its retry decodes the same samples. (Whether a pass really loops
    # depends on the CPU's kernels: base's plain pass on mfa_uhuh looped on one machine and not on another.)
    ("whisper-base", "mfa_uhuh.flac", True),
    ("whisper-tiny.en", "whisper_jfk.flac", False),  # the voice filter keeps the whole clip: both passes feed the same
])
def test_a_shared_encoder_run_gives_the_words_of_separate_runs(model: str, name: str, retry: bool,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if retry:
        monkeypatch.setattr(transcribe, "LOOP_RATIO", -1.0)
    tr = WhisperTranscriber(require(load_manifest()[model]), cpu_threads=1)
    audio = load_audio(SPEECH / name)
    tr.share_encoder = False
    separate = tr.transcribe(audio)
    encoded = tr._model.encoded
    tr.share_encoder = True
    shared = tr.transcribe(audio)
    assert shared.words == separate.words
    assert tr._model.reused >= 1
    assert tr._model.encoded - encoded == encoded - tr._model.reused


@pytest.mark.models
def test_the_filler_pass_skips_the_window_after_its_last_word_without_losing_words() -> None:
    """faster-whisper decodes the half second after the last word it placed as a window of its own (a whole
    encoder run); Viva's filler pass does not, and on the cold corpus those windows held no words."""
    tr = WhisperTranscriber(require(load_manifest()["whisper-tiny.en"]), cpu_threads=1)
    audio = load_audio(SPEECH / "mfa_cold_corpus.wav")
    start, windows = 0, {}
    for cut in cut_points(audio):
        seg = audio[start:cut.end]
        start = cut.end
        if not cut.speech:
            continue
        for p in (SENTENCE, replace(SENTENCE, min_tail_s=None)):
            before = tr._model.encoded if tr._model is not None else 0
            words = tr.run_pass(seg, p)
            windows.setdefault(p, []).append((tr._model.encoded - before, words))
    skipped, every = windows[SENTENCE], windows[replace(SENTENCE, min_tail_s=None)]
    assert [w for _, w in skipped] == [w for _, w in every]
    assert sum(n for n, _ in skipped) < sum(n for n, _ in every)
