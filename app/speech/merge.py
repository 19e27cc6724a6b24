"""The filled-pause rules: merging a second pass's fillers into a pass's words, the voicing check, and the
rules against decoder loops and repeats.

Plain Whisper drops most "um"/"uh"; prompting it with fillers ("Um, uh, hmm...") brings them back. The merge
keeps one pass's words and adds the filled pauses another pass heard, placed by aligning the two passes'
words (so a filler lands between the same two words it was heard between, even where the first pass
stretched a word over it). The voicing check keeps a filler only where the audio is voiced near it; the loop
rules remove "uh, uh, uh" stamped at one instant. Placing fillers on the audio is placement.py. Which rules
Viva uses is decided by bench/filler_ablation.py (see recipes.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from app.audio import SAMPLE_RATE, rms_dbfs
from app.delivery.fillers import is_filled_pause
from app.delivery.tokens import norm
from app.domain import Word

MIN_GAP_BETWEEN_FILLERS_S = 0.15  # bursts of "uh uh uh" stamped at one instant are decoder loops
MAX_FILLERS_PER_SECOND = 4  # nobody says more; denser runs are the decoder repeating itself
LOOP_CHAIN = 4
LOOP_CHAIN_GAP_S = 0.3
VOICED_ABOVE_FLOOR_DB = 8.0
SEARCH_PAD_S = 0.25
MAX_SEARCH_S = 0.75
FRAME_S = 0.03
MIN_FILLER_S = 0.08


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


def _voiced_near(levels: np.ndarray, floor: float, f: Word, prev_w: Word | None, next_w: Word | None) -> bool:
    """Whether the audio is voiced somewhere around filler `f`. Whisper's times for a filler are loose: look in
    the whole gap between its neighbours (plus a little), but never further than MAX_SEARCH_S from where it
    was heard, so a filler "heard" in a long silence or in steady noise is still rejected."""
    lo = max(min(f.start, prev_w.end if prev_w else f.start) - SEARCH_PAD_S, f.start - MAX_SEARCH_S)
    hi = min(max(f.end, next_w.start if next_w else f.end) + SEARCH_PAD_S, f.end + MAX_SEARCH_S)
    return is_voiced(levels, lo, hi, floor)


def drop_unvoiced_fillers(words: Sequence[Word], audio: np.ndarray) -> list[Word]:
    """The words without the filled pauses that have no voice near them (see _voiced_near)."""
    levels = frame_levels(audio)
    floor = noise_floor_dbfs(levels)
    out = []
    for i, w in enumerate(words):
        if is_filled_pause(w.text):
            prev_w = next((v for v in reversed(words[:i]) if not is_filled_pause(v.text)), None)
            next_w = next((v for v in words[i + 1:] if not is_filled_pause(v.text)), None)
            if not _voiced_near(levels, floor, w, prev_w, next_w):
                continue
        out.append(w)
    return out


def _align(a: Sequence[str], b: Sequence[str]) -> dict[int, int]:
    """Index map b -> a for tokens matched or substituted by a Levenshtein alignment."""
    n, m = len(a), len(b)
    d = np.zeros((n + 1, m + 1), dtype=np.int32)
    d[:, 0] = np.arange(n + 1)
    d[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + (a[i - 1] != b[j - 1]))
    out: dict[int, int] = {}
    i, j = n, m
    while i and j:
        if d[i, j] == d[i - 1, j - 1] + (a[i - 1] != b[j - 1]):
            out[j - 1] = i - 1
            i, j = i - 1, j - 1
        elif d[i, j] == d[i - 1, j] + 1:
            i -= 1
        else:
            j -= 1
    return out


def _loop_debris(words: Sequence[Word]) -> set[int]:
    """Indices of filled pauses that are a decoder loop's debris: a chain of LOOP_CHAIN or more fillers each
    stamped within LOOP_CHAIN_GAP_S of the one before is one stuck decoder, not a speaker (people leave
    more room between "uh"s), and only its first filler is kept."""
    debris: set[int] = set()
    start = 0  # first index of the current chain
    for i in range(1, len(words) + 1):
        linked = (i < len(words) and is_filled_pause(words[i].text) and is_filled_pause(words[i - 1].text)
                  and words[i].start - words[i - 1].start < LOOP_CHAIN_GAP_S)
        if not linked:
            if i - start >= LOOP_CHAIN:
                debris.update(range(start + 1, i))
            start = i
    return debris


def drop_filler_loops(words: Sequence[Word]) -> list[Word]:
    """Remove decoder loops: chains of fillers stamped close together (see _loop_debris), a filled pause
    starting within a hair of the previous one, and any filled pause beyond MAX_FILLERS_PER_SECOND in a
    one-second window (the least probable go first)."""
    debris = _loop_debris(words)
    words = [w for i, w in enumerate(words) if i not in debris]
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


def _slot(prompted: Sequence[Word], k: int, to_plain: dict[int, int], content_index: dict[int, int]) -> int:
    """The plain-content index after which the prompted filler at position k belongs (-1: before all)."""
    for j in range(k - 1, -1, -1):
        if j in content_index:
            return to_plain.get(content_index[j], -2)
    return -1


def merge_fillers(plain: Sequence[Word], prompted: Sequence[Word], audio: np.ndarray,
                  voicing: bool = True) -> list[Word]:
    """The plain words plus the prompted pass's filled pauses, placed by alignment (and, with `voicing`,
    only where the audio is voiced near them)."""
    levels = frame_levels(audio)
    floor = noise_floor_dbfs(levels)
    content = [w for w in plain if not is_filled_pause(w.text)]
    plain_fillers = [w for w in plain if is_filled_pause(w.text)]
    q_content_pos = [k for k, w in enumerate(prompted) if not is_filled_pause(w.text)]
    content_index = {k: i for i, k in enumerate(q_content_pos)}
    to_plain = _align([norm(w.text) for w in content], [norm(prompted[k].text) for k in q_content_pos])

    inserted: list[tuple[int, Word]] = []  # (plain-content index it follows, filler)
    for k, f in enumerate(prompted):
        if not is_filled_pause(f.text):
            continue
        after = _slot(prompted, k, to_plain, content_index)
        if after == -2:  # follows a word the plain pass doesn't have: place it by time instead
            after = max((i for i, w in enumerate(content) if w.start <= f.start), default=-1)
        prev_w = content[after] if after >= 0 else None
        next_w = content[after + 1] if after + 1 < len(content) else None
        # Keep the filler inside its neighbours' extents (their times get trimmed around it below).
        start = max(f.start, prev_w.start + MIN_FILLER_S) if prev_w else f.start
        end = max(f.end, start + MIN_FILLER_S)
        if next_w:
            end = min(end, next_w.end - MIN_FILLER_S)
        if end - start < MIN_FILLER_S / 2:
            continue
        if any(abs(start - g.start) < MIN_GAP_BETWEEN_FILLERS_S or (g.start < end and start < g.end)
               for g in [*plain_fillers, *(w for _, w in inserted)]):
            continue
        if voicing and not _voiced_near(levels, floor, f, prev_w, next_w):
            continue
        inserted.append((after, replace(f, start=round(start, 3), end=round(end, 3))))

    # The plain pass often stretches the words around a filler over it: trim them to the filler.
    trimmed = list(content)
    for after, f in inserted:
        if after >= 0 and trimmed[after].end > f.start:
            trimmed[after] = replace(trimmed[after], end=f.start)
        if after + 1 < len(trimmed) and trimmed[after + 1].start < f.end:
            trimmed[after + 1] = replace(trimmed[after + 1], start=f.end)
    return sorted([*trimmed, *plain_fillers, *(w for _, w in inserted)], key=lambda w: (w.start, w.end))
