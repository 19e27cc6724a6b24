"""Speech quality with the real Whisper tiny.en: filled pauses kept, no extra word errors, honest pace,
no words from silence. Measured on real recorded speech (tests/data/speech) and on espeak-ng speech with
fillers at known places."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from app.audio import SAMPLE_RATE, load_audio
from app.delivery.pace import wpm
from app.domain import Transcript
from app.modelstore import load_manifest, require
from app.practice import slices, transcribe_blocks
from app.speech.transcribe import WhisperTranscriber
from bench.speecheval import Counts, compare, load_clips, reference_wpm
from bench.synth_speech import synth_answer

pytestmark = pytest.mark.models
SPEECH = Path(__file__).parent / "data" / "speech"


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return require(load_manifest()["whisper-tiny.en"])


def viva(transcriber: WhisperTranscriber, audio: np.ndarray) -> Transcript:
    """Viva's method through the same streaming path the app uses while recording."""
    return transcribe_blocks(slices(audio), transcriber)


@pytest.mark.parametrize("model", ["whisper-tiny.en", "whisper-base"])
def test_real_speech_fillers_kept_without_extra_word_errors(model: str) -> None:
    model_dir = require(load_manifest()[model])
    viva_tr = WhisperTranscriber(model_dir, method="viva")
    plain_tr = WhisperTranscriber(model_dir, method="plain")
    ours, plain = Counts(), Counts()
    for clip in load_clips(SPEECH):
        audio = load_audio(clip.audio)
        t = viva(viva_tr, audio)
        ours = ours.add(compare(clip.reference, [w.text for w in t.words]))
        plain_t = transcribe_blocks(slices(audio), plain_tr)  # the same streaming path, without the merge
        plain = plain.add(compare(clip.reference, [w.text for w in plain_t.words]))
        if clip.timings and len(audio) / SAMPLE_RATE >= 10:
            ref = reference_wpm(clip.timings)
            assert abs(wpm(t.words) - ref) / ref <= 0.10, clip.name
    assert ours.fp_ref == 12
    # Plain Whisper finds at most half of the filled pauses here and invents others (decoder loops: base
    # writes 31 "uh" for the six of mfa_uhuh, or guesses a sentence over them). Which of the 12 are found
    # depends on the CPU's kernels (CTranslate2 runs MKL on Intel, DNNL on AMD): tiny.en found 11/12 on the
    # Intel machines the README's figures came from; on a 2-core AMD EPYC (AVX2) tiny.en 10/12 and base 9/12
    # (tiny.en with float32 weights 9/12). So the bar is the lowest measured, with a clear margin over plain
    # on the same machine.
    assert plain.recall <= 0.6
    assert ours.recall >= 0.75 and ours.recall >= plain.recall + 0.25, (ours, plain)
    assert ours.precision >= 0.95, ours
    # Viva's words are the plain pass's, or the sentence pass's where the plain pass failed Whisper's own
    # log-probability check and the sentence pass did not: on these clips that never added word errors.
    assert ours.wer <= plain.wer + 1e-9, (ours.wer, plain.wer)


def test_synthetic_fillers_at_known_places(model_dir: Path, tmp_path: Path) -> None:
    rng = random.Random(3)
    ours, plain, prompted = Counts(), Counts(), Counts()
    viva_tr = WhisperTranscriber(model_dir, method="viva")
    plain_tr = WhisperTranscriber(model_dir, method="plain")
    prompted_tr = WhisperTranscriber(model_dir, method="prompted")  # the usual "Um, uh, hmm, er, ah." prompt
    for _ in range(3):
        audio, reference = synth_answer(rng, 20.0, tmp_path)
        ours = ours.add(compare(reference, [w.text for w in viva(viva_tr, audio).words]))
        # The other two on the same segments, so only the filler passes and rules differ.
        plain = plain.add(compare(reference, [w.text for w in viva(plain_tr, audio).words]))
        prompted = prompted.add(compare(reference, [w.text for w in viva(prompted_tr, audio).words]))
    assert ours.fp_ref >= 8
    assert ours.recall >= 0.9 and ours.recall >= max(prompted.recall, plain.recall), (ours, prompted, plain)
    assert ours.precision >= 0.95, ours
    assert ours.wer <= plain.wer + 1e-9, (ours.wer, plain.wer)  # the merge adds fillers, never word errors


@pytest.mark.parametrize("level_dbfs", [None, -70.0, -50.0])
def test_silence_and_room_noise_give_no_words(model_dir: Path, level_dbfs: float | None) -> None:
    rng = np.random.default_rng(0)
    n = SAMPLE_RATE * 12
    audio = np.zeros(n, dtype=np.float32) if level_dbfs is None else (
        rng.standard_normal(n).astype(np.float32) * np.float32(10 ** (level_dbfs / 20)))
    for method in ("viva", "plain"):
        t = transcribe_blocks(slices(audio), WhisperTranscriber(model_dir, method=method))
        assert t.words == (), (method, t.text)
    assert WhisperTranscriber(model_dir).transcribe(audio).words == ()


def test_streaming_keeps_memory_bounded_and_times_in_order(model_dir: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from app.speech import streaming

    audio, _ = synth_answer(random.Random(5), 70.0, tmp_path, filler_rate=0.0)
    stream = streaming.StreamingTranscription(WhisperTranscriber(model_dir))
    longest = 0
    for block in slices(audio):
        stream.feed(block)
        longest = max(longest, len(stream._pending))
    t = stream.finish()
    assert stream.segments >= 3  # cut at pauses while "recording", not one batch at the end
    assert longest <= (streaming.MAX_SEGMENT_S + 2 * streaming.CHECK_EVERY_S) * SAMPLE_RATE
    starts = [w.start for w in t.words]
    assert starts == sorted(starts) and t.words[-1].end <= len(audio) / SAMPLE_RATE + 0.5
    assert abs(t.duration_s - len(audio) / SAMPLE_RATE) < 0.01
    assert "baseline" in t.text.lower() or "data" in t.text.lower()
