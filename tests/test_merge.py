"""The plain + filler-aware merge as pure functions: loops cut, real runs of fillers kept, fillers placed
between the right words and only where the audio is voiced."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from app.audio import SAMPLE_RATE
from app.domain import Word
from app.speech.merge import drop_filler_loops, merge_fillers


def uh(start: float, end: float | None = None) -> Word:
    return Word("uh,", start, start if end is None else end, 0.5)


def word(text: str, start: float, end: float) -> Word:
    return Word(text, start, end, 0.9)


def test_a_stuck_decoder_keeps_only_the_first_of_its_chain() -> None:
    # Whisper base on six deliberate "uh"s: six spaced out, then 25 more squeezed into 0.7 s before the next word.
    real = [uh(1.52, 1.68), uh(1.68, 2.82), uh(2.82, 3.70), uh(3.70, 4.64), uh(4.64, 5.04), uh(5.04, 5.22)]
    loop = [uh(5.22 + 0.028 * k) for k in range(25)]
    out = drop_filler_loops([word("Montreal", 1.36, 1.52), *real, *loop, word("forced", 5.95, 6.3)])
    assert [w.start for w in out if w.text == "uh,"] == [1.52, 1.68, 2.82, 3.70, 4.64, 5.04]


def test_a_speakers_run_of_fillers_is_kept() -> None:
    run = [uh(1.0 + 0.45 * k, 1.3 + 0.45 * k) for k in range(6)]  # "uh ... uh ... uh" with room between
    assert drop_filler_loops([word("so", 0.5, 0.9), *run, word("then", 4.0, 4.3)]) == [
        word("so", 0.5, 0.9), *run, word("then", 4.0, 4.3)]
    pair = [word("the", 1.0, 1.2), uh(1.2, 1.4), uh(1.42, 1.7), word("model", 1.8, 2.2)]
    assert drop_filler_loops(pair) == pair


def test_fillers_stamped_at_one_instant_are_one() -> None:
    out = drop_filler_loops([word("the", 1.0, 1.2), uh(1.30), uh(1.32), uh(1.34), word("data", 1.5, 1.9)])
    assert [w.text for w in out] == ["the", "uh,", "data"]


def _speech(voiced: list[tuple[float, float]], seconds: float = 4.0) -> np.ndarray:
    """Quiet room noise with a 140 Hz voice in the given stretches."""
    rng = np.random.default_rng(0)
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    audio = rng.standard_normal(t.size).astype(np.float32) * np.float32(10 ** (-60 / 20))
    for a, b in voiced:
        on = (t >= a) & (t < b)
        audio[on] += (0.1 * np.sin(2 * np.pi * 140 * t[on])).astype(np.float32)
    return audio


def test_a_heard_filler_lands_between_its_words_where_the_audio_is_voiced() -> None:
    plain = [word("I", 0.2, 0.4), word("trained", 0.4, 1.6), word("it", 2.4, 2.6)]
    prompted = [word("I", 0.2, 0.4), word("trained,", 0.4, 1.0), uh(1.6, 1.7), word("it", 2.4, 2.6)]
    voiced = _speech([(0.2, 1.0), (1.5, 2.0), (2.4, 2.6)])
    out = merge_fillers(plain, prompted, voiced)
    assert [w.text for w in out] == ["I", "trained", "uh,", "it"]
    assert [w.start for w in out] == sorted(w.start for w in out)
    assert out[1].end <= out[2].start  # the stretched word is trimmed to the filler
    # The same filler "heard" in a gap that is only room noise is not kept.
    silent_gap = _speech([(0.2, 1.0), (2.4, 2.6)])
    assert [w.text for w in merge_fillers(plain, prompted, silent_gap)] == ["I", "trained", "it"]


def test_a_filler_stamped_at_the_segment_start_is_moved_onto_its_voice() -> None:
    from app.speech.placement import place_fillers

    # Whisper stamps a segment's first filler from the segment's start; the "uh" was said at 0.55-0.85.
    audio = _speech([(0.55, 0.85), (1.2, 1.6), (1.7, 2.2)])
    out = place_fillers([uh(0.0, 1.0), word("we", 1.2, 1.6), word("shipped", 1.7, 2.2)], audio)
    assert out[0].text == "uh," and abs(out[0].start - 0.55) <= 0.06 and abs(out[0].end - 0.85) <= 0.06
    assert [w.text for w in out] == ["uh,", "we", "shipped"]


def test_fillers_in_one_gap_take_its_voiced_stretches_in_order() -> None:
    from app.speech.placement import place_fillers

    audio = _speech([(0.2, 0.6), (1.0, 1.3), (1.7, 2.0), (2.4, 2.8)])
    ws = [word("so", 0.2, 0.6), uh(1.5, 1.5), uh(1.6, 1.6), word("then", 2.4, 2.8)]
    out = place_fillers(ws, audio)
    assert [round(w.start, 1) for w in out if w.text == "uh,"] == [1.0, 1.7]


def test_one_spoken_filler_written_three_times_is_one() -> None:
    from app.speech.placement import place_fillers

    audio = _speech([(0.2, 0.6), (1.0, 1.4), (2.4, 2.8)])
    ws = [word("so", 0.2, 0.6), uh(0.9, 1.1), uh(1.1, 1.3), uh(1.3, 1.5), word("then", 2.4, 2.8)]
    assert [w.text for w in place_fillers(ws, audio, collapse=True)] == ["so", "uh,", "then"]
    assert [w.text for w in place_fillers(ws, audio)] == ["so", "uh,", "uh,", "uh,", "then"]  # without the rule
    # Two fillers with a pause between them are two.
    two = _speech([(0.2, 0.6), (1.0, 1.3), (1.7, 2.0), (2.4, 2.8)])
    assert len([w for w in place_fillers(ws, two, collapse=True) if w.text == "uh,"]) == 2


def test_a_first_pass_that_failed_whispers_check_gives_way_to_a_second_that_passed() -> None:
    from app.speech.recipes import RECIPES, Decode

    viva = RECIPES["viva"]
    audio = np.zeros(SAMPLE_RATE * 3, dtype=np.float32)
    guessed = Decode((word("I", 0.2, 0.4), word("don't", 0.4, 0.7), word("know", 0.7, 1.0)), -1.13)
    heard = Decode((word("Montreal,", 0.1, 0.6), word("forced", 1.5, 1.9), word("aligner.", 1.9, 2.4)), -0.09)
    assert [w.text for w in viva.combine(guessed, heard, audio)] == ["Montreal,", "forced", "aligner."]
    # Either pass passing the check, or both failing it: the first pass's words stand.
    for first, second in ((replace(guessed, logprob=-0.5), heard), (guessed, replace(heard, logprob=-1.5))):
        assert [w.text for w in viva.combine(first, second, audio)] == ["I", "don't", "know"]
    assert [w.text for w in replace(viva, fallback=False).combine(guessed, heard, audio)] == ["I", "don't", "know"]
