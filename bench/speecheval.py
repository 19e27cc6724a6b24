"""Measuring a transcript against a verbatim reference: filled-pause recall/precision, non-filler WER, WPM.

Used by the speech benches and by tests/test_speech_quality.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.delivery.fillers import FILLED_PAUSES
from app.delivery.tokens import norm
from app.domain import Word

FP = "<fp>"  # every filled pause (um, uh, er, ...) is one class: "um" heard as "uh" still counts
_SPELLING = {"yknow": ["you", "know"], "mr": ["mister"], "alright": ["all", "right"], "okay": ["ok"]}


def tokens(text: str | Sequence[str]) -> list[str]:
    raw = text.split() if isinstance(text, str) else list(text)
    out: list[str] = []
    for t in raw:
        for part in re.split(r"[-\s]+", t):
            n = norm(part)
            if not n:
                continue
            out.extend(_SPELLING.get(n, [FP if n in FILLED_PAUSES else n]))
    return out


def align(ref: list[str], hyp: list[str]) -> list[tuple[str | None, str | None]]:
    """Levenshtein alignment as (ref token or None, hyp token or None) pairs."""
    return [(None if i is None else ref[i], None if j is None else hyp[j]) for i, j in align_indices(ref, hyp)]


def align_indices(ref: list[str], hyp: list[str]) -> list[tuple[int | None, int | None]]:
    """Levenshtein alignment as (ref index or None, hyp index or None) pairs."""
    n, m = len(ref), len(hyp)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    pairs: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    return pairs[::-1]


def _word_tokens(words: Sequence[Word]) -> tuple[list[str], list[int]]:
    """The tokens of `words` and, for each, the index of the word it came from."""
    toks: list[str] = []
    owner: list[int] = []
    for k, w in enumerate(words):
        t = tokens([w.text])
        toks += t
        owner += [k] * len(t)
    return toks, owner


def filler_offsets(ref_words: Sequence[Word], hyp_words: Sequence[Word]) -> list[float]:
    """For each filled pause found (aligned to a reference one), how far its start lies from the spoken one's
    start, in seconds."""
    ref, ref_of = _word_tokens(ref_words)
    hyp, hyp_of = _word_tokens(hyp_words)
    return [abs(hyp_words[hyp_of[j]].start - ref_words[ref_of[i]].start)
            for i, j in align_indices(ref, hyp) if i is not None and j is not None and ref[i] == FP == hyp[j]]


@dataclass
class Counts:
    fp_ref: int = 0
    fp_hyp: int = 0
    fp_hit: int = 0
    words_ref: int = 0
    word_errors: int = 0

    def add(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(vars(self).values(), vars(other).values(), strict=True)))

    @property
    def recall(self) -> float:
        return self.fp_hit / self.fp_ref if self.fp_ref else 1.0

    @property
    def precision(self) -> float:
        return self.fp_hit / self.fp_hyp if self.fp_hyp else 1.0

    @property
    def wer(self) -> float:
        return self.word_errors / self.words_ref if self.words_ref else 0.0


def compare(ref_text: str, hyp_words: Sequence[str]) -> Counts:
    ref, hyp = tokens(ref_text), tokens(hyp_words)
    c = Counts(fp_ref=ref.count(FP), fp_hyp=hyp.count(FP))
    # Filled pauses: matched by alignment over the whole sequence (their position matters).
    c.fp_hit = sum(1 for r, h in align(ref, hyp) if r == FP and h == FP)
    # Words: WER over the non-filler tokens only.
    ref_w, hyp_w = [t for t in ref if t != FP], [t for t in hyp if t != FP]
    c.words_ref = len(ref_w)
    c.word_errors = sum(1 for r, h in align(ref_w, hyp_w) if r != h)
    return c


@dataclass(frozen=True)
class Clip:
    audio: Path
    reference: str
    timings: list[Word] | None  # reference word timings, when the source gave them

    @property
    def name(self) -> str:
        return self.audio.stem


def load_clips(folder: Path) -> list[Clip]:
    clips = []
    for txt in sorted(folder.glob("*.txt")):
        audio = next((p for p in folder.glob(txt.stem + ".*") if p.suffix in (".wav", ".flac", ".mp3", ".ogg")), None)
        if audio is None:
            continue
        tsv = txt.with_suffix(".words.tsv")
        timings = None
        if tsv.exists():
            rows = [r.split("\t") for r in tsv.read_text().splitlines()[1:] if r.strip()]
            timings = [Word(w, float(s), float(e)) for s, e, w in rows]
        clips.append(Clip(audio, txt.read_text().strip(), timings))
    return clips


def reference_wpm(words: Sequence[Word]) -> float:
    """Reference pace with Viva's definition: non-filler words over first-start..last-end."""
    content = [w for w in words if norm(w.text) not in FILLED_PAUSES]
    span = words[-1].end - words[0].start
    return len(tokens([w.text for w in content])) / span * 60.0 if span > 0 else 0.0
