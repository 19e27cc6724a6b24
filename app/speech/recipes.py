"""How the words of one segment are made: which Whisper passes run, and which filled-pause rules apply.

Every choice here is a switch that bench/filler_ablation.py turns on and off across every speech set the
project has (recorded clips, and espeak-ng answers in several voices, rates and kinds of disfluency); Viva's
method ("viva") is the combination that held up across all of them, not on one clip.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.domain import Word
from app.speech.merge import drop_filler_loops, drop_unvoiced_fillers, merge_fillers
from app.speech.placement import place_fillers

# The usual filler prompt: Whisper takes the prompt as the style of the transcript and keeps "um"/"uh".
FILLER_PROMPT = "Um, uh, hmm, er, ah."
# A disfluent sentence as the prompt, with fillers between its words.
SENTENCE_PROMPT = "Uh, so, um, I think, uh, we, um, trained it and, uh, uh, it worked."
# An unprompted pass whose text compresses more than this, or that says the same 4+ words three times in a row,
# is a loop, decoded again (see transcribe.py).
LOOP_RATIO = 2.4
# A decode whose tokens average a log-probability below this failed by Whisper's own check (OpenAI's default
# log_prob_threshold): the model was guessing, as when Whisper base turns six "uh" into "I don't know if that's
# what I'm talking about, but ..." (avg -1.13, where the sentence pass heard "Montreal, uh, uh, ..." at -0.09).
LOGPROB_FLOOR = -1.0


@dataclass(frozen=True)
class Decode:
    """One pass's words and the average log-probability of its tokens (None: nothing decoded)."""

    words: tuple[Word, ...]
    logprob: float | None

    @property
    def failed(self) -> bool:
        return self.logprob is not None and self.logprob < LOGPROB_FLOOR


@dataclass(frozen=True)
class Pass:
    """One Whisper decode of a segment."""

    prompt: str | None
    vad: bool = True  # faster-whisper's own voice filter inside the segment
    beam: int = 5
    # faster-whisper decodes what follows the last word placed in a 30-s window as a window of its own (a full
    # encoder run): skip it when less than this much audio (s) is left (None: never skip). After a segment's
    # last word that is its 0.2 s pad, where the decoder hears "Thank you." if anything.
    min_tail_s: float | None = None

    @property
    def key(self) -> str:
        """What decides its words (the benches cache decodes by it); unprompted passes retry loops."""
        tail = "" if self.min_tail_s is None else f"|tail>={self.min_tail_s}"
        return f"{self.prompt or f'-|loop-retry-{LOOP_RATIO}-3x4'}|vad={int(self.vad)}|beam={self.beam}{tail}"


PLAIN = Pass(None)
LISTED = Pass(FILLER_PROMPT)
SENTENCE = Pass(SENTENCE_PROMPT, vad=False, beam=1, min_tail_s=0.5)


@dataclass(frozen=True)
class Recipe:
    """The pass whose words are kept, an optional second pass whose filled pauses are merged in, and the
    rules: the voicing check, the decoder-loop rules, fillers placed on the audio, (with placement) no more
    fillers in a gap than it has voiced stretches, and (fallback) the second pass's words kept instead of a
    first pass that failed Whisper's log-probability check while the second passed it."""

    words: Pass
    fillers: Pass | None = None
    voicing: bool = False
    loops: bool = False
    place: bool = False
    collapse: bool = False
    fallback: bool = False

    @property
    def passes(self) -> tuple[Pass, ...]:
        return (self.words,) if self.fillers is None else (self.words, self.fillers)

    def combine(self, words: Decode, fillers: Decode | None, audio: np.ndarray) -> list[Word]:
        """The segment's words from the passes' decodes (`fillers` is the second pass's, when there is one)."""
        out = list(words.words)
        if self.fallback and fillers is not None and fillers.words and words.failed and not fillers.failed:
            out, fillers = list(fillers.words), None  # its filled pauses go through the one-pass rules below
        if self.fillers is not None and fillers is not None and out:
            out = merge_fillers(out, fillers.words, audio, voicing=self.voicing)
        elif self.voicing:
            out = drop_unvoiced_fillers(out, audio)
        if self.loops:
            out = drop_filler_loops(out)
        if self.place or self.collapse:
            out = place_fillers(out, audio, collapse=self.collapse)
        return out


RECIPES = {
    "plain": Recipe(PLAIN),
    "prompted": Recipe(LISTED),
    "viva": Recipe(PLAIN, SENTENCE, voicing=True, loops=True, place=True, collapse=True, fallback=True),
}
METHODS = tuple(RECIPES)
