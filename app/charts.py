"""Trend charts as PNG images, for `viva trends --plot` and the HTML report (no Qt: matplotlib's Agg canvas).

One figure, one panel per measure over the user's analysed answers (oldest first): pace with its target
band, fillers per 100 words and longest pause with their limits, then rubric coverage per item (the share of
each item's last five scored answers that covered it), one panel per rubric. Answers of one session can be
highlighted. Only `matplotlib.figure` is used (never pyplot): no global state, safe from any thread.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Targets
from app.errors import BankError, VivaError
from app.store.repo import TrendPoint

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COVERAGE_WINDOW = 5
# Series colours, shared by these PNG charts and the window's own (app/ui/widgets/trend_chart.py).
PALETTE = ("#1a73e8", "#e8710a", "#188038", "#d01884", "#9334e6", "#12b5cb", "#b06000", "#5f6368",
           "#a50e0e", "#3949ab", "#00897b")
LINE, BAND, LIMIT, HIGHLIGHT = "#1a73e8", "#1e8e3e", "#d93025", "#f9ab00"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class RubricItems:
    rubric: str  # display name, e.g. "STAR"
    items: tuple[tuple[str, str], ...]  # (item id, display name), rubric order


@dataclass(frozen=True)
class Measure:
    """One delivery figure as both kinds of chart show it."""
    field: str  # the TrendPoint attribute
    title: str
    unit: str  # after a value: "142 wpm"
    decimals: int = 0
    integer: bool = False  # a count: whole-number ticks

    def value_text(self, value: float) -> str:
        return f"{value:.{self.decimals}f}{self.unit}"


MEASURES = {m.field: m for m in (
    Measure("wpm", "Pace (words per minute)", " wpm"),
    Measure("fillers_per_100", "Fillers per 100 words", " per 100 words", 1),
    Measure("longest_pause_s", "Longest pause (seconds)", " s", 1),
    Measure("pauses_over_2s", "Pauses over 2 s per answer", "", integer=True),
    Measure("score", "Structure score", " of 100"),
)}
MAX_TICKS = 6


def _local(created_at: str) -> datetime | None:
    try:
        return datetime.fromisoformat(created_at).astimezone()
    except ValueError:
        return None


def date_label(created_at: str) -> str:
    when = _local(created_at)
    return when.strftime("%d %b") if when else created_at[:10]


def when_label(created_at: str) -> str:
    """Date and time, for a tooltip: "1 Dec 2025, 14:05"."""
    when = _local(created_at)
    return f"{when.day} {when:%b %Y, %H:%M}" if when else created_at


def tick_indices(n: int, most: int = MAX_TICKS) -> list[int]:
    """Which of `n` answers (0-based, oldest first) get an x-axis label: all of them up to `most`, else every
    k-th from the first and the last, dropping the k-th one before the last when it would crowd it."""
    most = max(2, most)
    if n <= most:
        return list(range(n))
    step = math.ceil((n - 1) / (most - 1))
    shown = list(range(0, n - 1, step))
    if len(shown) > 1 and n - 1 - shown[-1] < step:
        shown.pop()
    return [*shown, n - 1]


def tick_labels(points: Sequence[TrendPoint], indices: Sequence[int]) -> list[str]:
    """Two lines per labelled answer: its number in the chart ("#4"), then its date, or only the time when
    the labelled answer before it was on the same day (answers of one day would all read "01 Dec")."""
    out, previous = [], ""
    for i in indices:
        day, when = date_label(points[i].created_at), _local(points[i].created_at)
        out.append(f"#{i + 1}\n{when:%H:%M}" if day == previous and when else f"#{i + 1}\n{day}")
        previous = day
    return out


def point_summary(points: Sequence[TrendPoint], i: int) -> str:
    """Which answer a chart point is, for its tooltip: number, when, and the question."""
    p = points[i]
    head = f"Answer #{i + 1} of {len(points)}, {when_label(p.created_at)}"
    question = p.question_text if len(p.question_text) <= 90 else p.question_text[:87].rstrip() + "\u2026"
    return f"{head}\n{question}" if question else head


def nice_step(span: float, ticks: int = 4, *, integer: bool = False) -> float:
    """A round grid step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` lines over `span`; for a
    count (`integer`), a whole number."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in steps if m * power >= raw)
    return float(max(1, round(step))) if integer else step


def values(points: Sequence[TrendPoint], field: str) -> list[float | None]:
    """One value per point (None where the answer has no such figure), for a line with gaps."""
    return [None if (v := getattr(p, field)) is None else float(v) for p in points]


def rubric_items(points: Sequence[TrendPoint]) -> list[tuple[str, str]]:
    """(item id, display name) of every item scored in `points`, rubric by rubric in the rubrics' order."""
    return [item for group in rubric_groups(points) for item in group.items]


def rolling_coverage(points: Sequence[TrendPoint], item: str, window: int = COVERAGE_WINDOW) -> list[float | None]:
    """Per answer scored on `item`: the percentage of its last `window` such answers that covered it."""
    seen: list[bool] = []
    out: list[float | None] = []
    for p in points:
        if item not in p.items:
            out.append(None)
            continue
        seen.append(p.items[item])
        recent = seen[-window:]
        out.append(100.0 * sum(recent) / len(recent))
    return out


def rubric_groups(points: Sequence[TrendPoint]) -> list[RubricItems]:
    """The rubrics the points were scored with, each with its items in rubric order. Items no known rubric
    defines (an older bank) are grouped under "Other"."""
    seen: list[str] = []
    for p in points:
        seen.extend(i for i in p.items if i not in seen)
    try:
        from app.scoring.rubrics import default_rubrics

        rubrics = list(default_rubrics().values())
    except BankError:
        rubrics = []
    groups: list[RubricItems] = []
    placed: set[str] = set()
    for r in rubrics:
        items = tuple((it.id, it.name) for it in r.items if it.id in seen and it.id not in placed)
        if items:
            groups.append(RubricItems(r.name, items))
            placed.update(i for i, _ in items)
    other = tuple((i, i.replace("_", " ").capitalize()) for i in seen if i not in placed)
    if other:
        groups.append(RubricItems("Other", other))
    return groups


def _series(points: Sequence[TrendPoint], field: str) -> tuple[list[int], list[float]]:
    pairs = [(n, v) for n, v in enumerate(values(points, field), start=1) if v is not None]
    return [n for n, _ in pairs], [v for _, v in pairs]


def _x_axis(ax: Axes, points: Sequence[TrendPoint]) -> None:
    indices = tick_indices(len(points))
    ax.set_xlim(0.5, max(len(points), 1) + 0.5)
    ax.set_xticks([i + 1 for i in indices], tick_labels(points, indices))
    ax.grid(True, color="#e0e0e0", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _legend(ax: Axes, entries: int) -> None:
    """Below the panel, where it hides no data."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), fontsize=8, frameon=False,
              ncol=max(1, min(4, entries)))


def _measure(ax: Axes, points: Sequence[TrendPoint], field: str, title: str, unit: str, *,
             band: tuple[float, float] | None = None, limit: float | None = None,
             highlight: int | None = None) -> None:
    xs, ys = _series(points, field)
    if band is not None:
        ax.axhspan(*band, color=BAND, alpha=0.15, linewidth=0, label=f"target {band[0]:g}-{band[1]:g}")
    if limit is not None:
        ax.axhline(limit, color=LIMIT, linestyle="--", linewidth=1.2, label=f"limit {limit:g}")
    ax.plot(xs, ys, color=LINE, marker="o", markersize=4, linewidth=1.6, label=title.split(" (")[0].lower())
    if highlight is not None:
        hx = [x for x in xs if points[x - 1].session_id == highlight]
        hy = [y for x, y in zip(xs, ys, strict=True) if points[x - 1].session_id == highlight]
        if hx:
            ax.scatter(hx, hy, s=60, color=HIGHLIGHT, edgecolor="#202124", zorder=5, label="this session")
    ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    ax.set_ylabel(unit)
    ax.set_ylim(bottom=0)
    if not ys:
        ax.text(0.5, 0.5, "no data yet", transform=ax.transAxes, ha="center", va="center", color="#5f6368")
    _x_axis(ax, points)
    _legend(ax, 3)


def _coverage(ax: Axes, points: Sequence[TrendPoint], group: RubricItems) -> None:
    for n, (item, name) in enumerate(group.items):
        values = rolling_coverage(points, item)
        xs = [x for x, v in enumerate(values, start=1) if v is not None]
        ys = [v for v in values if v is not None]
        ax.plot(xs, ys, marker="o", markersize=3, linewidth=1.4, color=PALETTE[n % len(PALETTE)], label=name)
    ax.set_title(f"{group.rubric}: coverage per item (last {COVERAGE_WINDOW} answers)", loc="left",
                 fontsize=11, fontweight="bold")
    ax.set_ylabel("% of answers")
    ax.set_ylim(-5, 105)
    _x_axis(ax, points)
    _legend(ax, len(group.items))


def trend_figure(points: Sequence[TrendPoint], targets: Targets | None = None, *,
                 highlight_session: int | None = None, title: str = "Viva: how it is going") -> Figure:
    """The trend charts as one matplotlib Figure (Agg canvas)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    t = targets or Targets()
    groups = rubric_groups(points)
    panels = 3 + len(groups)
    rows = (panels + 1) // 2
    fig = Figure(figsize=(12, 3.6 * rows), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, 2, squeeze=False).ravel()
    _measure(axes[0], points, "wpm", MEASURES["wpm"].title, "wpm", band=(t.wpm_low, t.wpm_high),
             highlight=highlight_session)
    _measure(axes[1], points, "fillers_per_100", MEASURES["fillers_per_100"].title, "per 100 words",
             limit=t.fillers_per_100_max, highlight=highlight_session)
    _measure(axes[2], points, "longest_pause_s", MEASURES["longest_pause_s"].title, "s", limit=t.long_pause_s,
             highlight=highlight_session)
    for ax, group in zip(axes[3:], groups, strict=False):
        _coverage(ax, points, group)
    for ax in axes[panels:]:
        ax.set_visible(False)
    fig.suptitle(f"{title} ({len(points)} analysed answer{'s' if len(points) != 1 else ''})", fontsize=13)
    return fig


def render_png(points: Sequence[TrendPoint], targets: Targets | None = None, *,
               highlight_session: int | None = None) -> bytes:
    """The trend charts as PNG bytes."""
    buf = io.BytesIO()
    fig = trend_figure(points, targets, highlight_session=highlight_session)
    fig.savefig(buf, format="png", facecolor="white")
    return buf.getvalue()


def write_png(path: Path, points: Sequence[TrendPoint], targets: Targets | None = None) -> int:
    """Write the trend charts to `path` (PNG); returns the number of bytes written."""
    if path.suffix.lower() != ".png":
        raise VivaError(f"{path}: the chart is a PNG image; give a file name ending in .png")
    data = render_png(points, targets)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as e:
        raise VivaError(f"cannot write {path}: {e.strerror}") from None
    return len(data)


def data_uri(png: bytes) -> str:
    """A PNG as a `data:` URI, so an HTML report stays one self-contained file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
