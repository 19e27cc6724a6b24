"""Putting each filled pause where it was said.

Whisper's word times are good for words and loose for fillers: a filler that opens a segment is stamped at
the segment's start, and others drift by half a second or more. Between the two words around it, though, a
filler is usually the only voice in the gap, so it is moved onto the voiced stretch there that lies nearest
its stamp (never further than MAX_MOVE_S). Fillers sharing a gap take the stretches in order. With
`collapse`, a gap never holds more fillers than it has separate voiced stretches: "uh, uh, uh" written for
one "uh" becomes one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from app.audio import SAMPLE_RATE
from app.delivery.fillers import is_filled_pause
from app.domain import Word
from app.speech.merge import FRAME_S, MIN_FILLER_S, VOICED_ABOVE_FLOOR_DB, frame_levels, noise_floor_dbfs

BRIDGE_S = 0.06  # dips shorter than this do not split a voiced stretch
MIN_RUN_S = 0.06  # shorter blips are not a spoken filler
EDGE_S = 0.1  # a word's time may spill this far into the gap around it
MAX_MOVE_S = 1.0
Run = tuple[float, float]


def voiced_runs(levels: np.ndarray, floor_dbfs: float) -> list[Run]:
    """(start, end) seconds of the stretches voiced above the room's floor, dips under BRIDGE_S bridged."""
    runs: list[Run] = []
    for k in np.flatnonzero(levels >= floor_dbfs + VOICED_ABOVE_FLOOR_DB):
        t = float(k) * FRAME_S
        if runs and t - runs[-1][1] <= BRIDGE_S:
            runs[-1] = (runs[-1][0], t + FRAME_S)
        else:
            runs.append((t, t + FRAME_S))
    return [r for r in runs if r[1] - r[0] >= MIN_RUN_S]


def _distance(run: Run, w: Word) -> float:
    return max(0.0, run[0] - w.end, w.start - run[1])


def _off_centre(run: Run, w: Word) -> float:
    return abs((run[0] + run[1]) / 2 - (w.start + w.end) / 2)


def _gap_runs(runs: Sequence[Run], lo: float, hi: float, group: Sequence[Word]) -> list[Run]:
    """The stretches mostly inside the gap (lo, hi) and within MAX_MOVE_S of the group's stamps."""
    a, b = lo - EDGE_S, hi + EDGE_S
    out = []
    for r in runs:
        inside = max(0.0, min(r[1], b) - max(r[0], a))
        near = min(_distance(r, w) for w in group) <= MAX_MOVE_S
        if near and inside >= 0.5 * (r[1] - r[0]):
            out.append(r)
    return out


def _assign(group: Sequence[Word], runs: Sequence[Run]) -> list[int]:
    """For each filler (in order), the index of its stretch: in order, distinct while there are enough,
    minimising how far the stretches' middles lie from the stamps' middles."""
    k, m = len(group), len(runs)
    if k > m:
        return [min(range(m), key=lambda j: _off_centre(runs[j], w)) for w in group]
    inf = float("inf")
    cost = np.full((k + 1, m + 1), inf)
    cost[0, :] = 0.0
    for i in range(1, k + 1):
        for j in range(i, m + 1):
            cost[i, j] = min(cost[i, j - 1], cost[i - 1, j - 1] + _off_centre(runs[j - 1], group[i - 1]))
    picks, j = [], m
    for i in range(k, 0, -1):
        while cost[i, j] == cost[i, j - 1]:
            j -= 1
        picks.append(j - 1)
        j -= 1
    return picks[::-1]


def place_fillers(words: Sequence[Word], audio: np.ndarray, collapse: bool = False) -> list[Word]:
    """The words with each filled pause moved onto the voiced stretch it was most likely said in."""
    levels = frame_levels(audio)
    runs = voiced_runs(levels, noise_floor_dbfs(levels))
    duration = len(audio) / SAMPLE_RATE
    out = list(words)
    i = 0
    while i < len(out):
        if not is_filled_pause(out[i].text):
            i += 1
            continue
        j = i
        while j < len(out) and is_filled_pause(out[j].text):
            j += 1
        prev_w, next_w = (out[i - 1] if i else None), (out[j] if j < len(out) else None)
        lo, hi = (prev_w.end if prev_w else 0.0), (next_w.start if next_w else duration)
        group = out[i:j]
        cands = _gap_runs(runs, lo, hi, group)
        if cands:
            if collapse and len(group) > len(cands):
                group = group[: len(cands)]
            placed = []
            for w, r in zip(group, (cands[p] for p in _assign(group, cands)), strict=True):
                start, end = max(r[0], lo), min(r[1], hi)
                if end - start < MIN_FILLER_S:
                    start, end = r
                placed.append(replace(w, start=round(start, 3), end=round(end, 3)))
            out[i:j] = placed
            j = i + len(placed)
        i = j
    return sorted(out, key=lambda w: (w.start, w.end))
