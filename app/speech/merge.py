"""Keeping filled pauses without paying for them in word errors.

Plain Whisper drops most "um"/"uh"; prompting it with fillers ("Um, uh, hmm...") brings them back but
changes other words. Viva runs both and keeps the plain pass's words, adding only the filled pauses the
prompted pass heard in time gaps the plain words don't cover, and only where the audio is actually voiced.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.audio import SAMPLE_RATE, rms_dbfs
from app.delivery.fillers import is_filled_pause
from app.domain import Word

MAX_OVERLAP = 0.5  # a filler may share at most half of its time with a plain-pass word
MIN_GAP_BETWEEN_FILLERS_S = 0.15  # bursts of "uh uh uh" stamped at one instant are decoder loops
VOICED_ABOVE_FLOOR_DB = 10.0


def _overlap(a: Word, b: Word) -> float:
    return max(0.0, min(a.end, b.end) - max(a.start, b.start))


def noise_floor_dbfs(audio: np.ndarray, frame_s: float = 0.03) -> float:
    """The 10th percentile of frame levels: the room's level between words."""
    n = int(SAMPLE_RATE * frame_s)
    if len(audio) < n:
        return rms_dbfs(audio)
    frames = audio[: len(audio) // n * n].reshape(-1, n).astype(np.float64)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    levels = 20 * np.log10(np.maximum(rms, 1e-5))
    return float(np.percentile(levels, 10))


def is_voiced(audio: np.ndarray, start: float, end: float, floor_dbfs: float) -> bool:
    seg = audio[int(start * SAMPLE_RATE): max(int(end * SAMPLE_RATE), int(start * SAMPLE_RATE) + 1)]
    return rms_dbfs(seg) >= floor_dbfs + VOICED_ABOVE_FLOOR_DB


def drop_filler_loops(words: Sequence[Word]) -> list[Word]:
    """Remove filled pauses that start within a hair of the previous filled pause (decoder loops)."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (prev is not None and is_filled_pause(w.text) and is_filled_pause(prev.text)
                and w.start - prev.start < MIN_GAP_BETWEEN_FILLERS_S):
            continue
        out.append(w)
    return out


def merge_fillers(plain: Sequence[Word], prompted: Sequence[Word], audio: np.ndarray) -> list[Word]:
    """The plain words plus the prompted pass's filled pauses that fit between them and are voiced."""
    floor = noise_floor_dbfs(audio)
    content = [w for w in plain if not is_filled_pause(w.text)]
    kept_fillers = [w for w in plain if is_filled_pause(w.text)]
    for f in (w for w in prompted if is_filled_pause(w.text)):
        dur = max(f.end - f.start, 1e-3)
        if any(_overlap(f, w) > MAX_OVERLAP * dur for w in content):
            continue
        if any(abs(f.start - k.start) < MIN_GAP_BETWEEN_FILLERS_S for k in kept_fillers):
            continue
        if not is_voiced(audio, f.start, f.end, floor):
            continue
        kept_fillers.append(f)
    merged = sorted([*content, *kept_fillers], key=lambda w: (w.start, w.end))
    return drop_filler_loops(merged)
