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
MAX_FILLERS_PER_SECOND = 4  # nobody says more; denser runs are the decoder repeating itself
VOICED_ABOVE_FLOOR_DB = 8.0
SEARCH_PAD_S = 0.25  # Whisper's word times are loose: look for the voice a little around the filler
FRAME_S = 0.03


def _overlap(a: Word, b: Word) -> float:
    return max(0.0, min(a.end, b.end) - max(a.start, b.start))


def frame_levels(audio: np.ndarray) -> np.ndarray:
    """Level in dBFS of each 30 ms frame."""
    n = int(SAMPLE_RATE * FRAME_S)
    if len(audio) < n:
        return np.array([rms_dbfs(audio)])
    frames = audio[: len(audio) // n * n].reshape(-1, n).astype(np.float64)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return np.asarray(20 * np.log10(np.maximum(rms, 1e-5)))


def noise_floor_dbfs(levels: np.ndarray) -> float:
    """The 10th percentile of frame levels: the room's level between words."""
    return float(np.percentile(levels, 10))


def is_voiced(levels: np.ndarray, start: float, end: float, floor_dbfs: float) -> bool:
    """Whether some 90 ms of the stretch rise clearly above the room's noise floor."""
    a = max(0, int(start / FRAME_S))
    b = min(len(levels), max(int(end / FRAME_S) + 1, a + 1))
    window = levels[a:b]
    if window.size == 0:
        return False
    loud = window >= floor_dbfs + VOICED_ABOVE_FLOOR_DB
    return int(loud.sum()) >= min(3, window.size)


def drop_filler_loops(words: Sequence[Word]) -> list[Word]:
    """Remove decoder loops: a filled pause starting within a hair of the previous one, and any filled pause
    beyond MAX_FILLERS_PER_SECOND in a one-second window (the least probable go first)."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (prev is not None and is_filled_pause(w.text) and is_filled_pause(prev.text)
                and w.start - prev.start < MIN_GAP_BETWEEN_FILLERS_S):
            continue
        out.append(w)
    fillers = [w for w in out if is_filled_pause(w.text)]
    drop: set[int] = set()
    for f in fillers:
        window = [g for g in fillers if f.start <= g.start < f.start + 1.0 and id(g) not in drop]
        for extra in sorted(window, key=lambda g: g.probability)[: max(0, len(window) - MAX_FILLERS_PER_SECOND)]:
            drop.add(id(extra))
    return [w for w in out if id(w) not in drop]


def merge_fillers(plain: Sequence[Word], prompted: Sequence[Word], audio: np.ndarray) -> list[Word]:
    """The plain words plus the prompted pass's filled pauses that fit between them and are voiced."""
    levels = frame_levels(audio)
    floor = noise_floor_dbfs(levels)
    content = [w for w in plain if not is_filled_pause(w.text)]
    kept_fillers = [w for w in plain if is_filled_pause(w.text)]
    for f in (w for w in prompted if is_filled_pause(w.text)):
        dur = max(f.end - f.start, 1e-3)
        if any(_overlap(f, w) > MAX_OVERLAP * dur for w in content):
            continue
        if any(abs(f.start - k.start) < MIN_GAP_BETWEEN_FILLERS_S or _overlap(f, k) > MAX_OVERLAP * dur
               for k in kept_fillers):
            continue
        # Search for the voice in the silence around the filler, not inside neighbouring words.
        lo = max([f.start - SEARCH_PAD_S, *(w.end for w in content if w.end <= f.start + 0.05)])
        hi = min([f.end + SEARCH_PAD_S, *(w.start for w in content if w.start >= f.end - 0.05)])
        if not is_voiced(levels, lo, max(hi, lo + FRAME_S), floor):
            continue
        kept_fillers.append(f)
    merged = sorted([*content, *kept_fillers], key=lambda w: (w.start, w.end))
    return drop_filler_loops(merged)
