"""A small line chart drawn with QPainter (PySide6-Essentials has no QtCharts): one or more series over the
user's answers, oldest first, with an optional target band or limit line. Hovering a point shows which
answer it is (tooltip); clicking it asks for that answer's review. Renders offscreen (grab()).

What the axes say (which answers get a label, the labels, round tick steps) comes from app.charts, shared
with the PNG charts."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.charts import PALETTE, nice_step, tick_indices

BAND = QColor(30, 142, 62, 40)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 46.0, 16.0, 36.0, 34.0
HIT_RADIUS = 9.0  # how near (pixels) the pointer must be to a point to hover or click it
TICK_SPACING = 64.0  # at least this many pixels between labelled answers
LabelMaker = Callable[[Sequence[int]], list[str]]  # the x labels of the answers at these indices

__all__ = ["Series", "TrendChart", "nice_step"]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str = PALETTE[0]
    value_text: Callable[[float], str] = lambda v: f"{v:g}"


@dataclass(frozen=True)
class _Frame:
    plot: QRectF
    low: float
    high: float
    n: int

    def x(self, i: int) -> float:
        return self.plot.center().x() if self.n <= 1 else self.plot.left() + i * self.plot.width() / (self.n - 1)

    def y(self, v: float) -> float:
        clamped = max(self.low, min(self.high, v))
        return self.plot.bottom() - (clamped - self.low) / (self.high - self.low) * self.plot.height()


class TrendChart(QWidget):
    point_clicked = Signal(int)  # the answer's index (oldest first) under the click

    def __init__(self, title: str, unit: str = "", parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.title = title
        self.unit = unit
        self.compact = compact  # a small multiple: no x labels, fewer grid lines
        self.labels: LabelMaker | None = None
        self.tips: list[str] = []  # per answer: which answer it is (the tooltip's first lines)
        self.series: list[Series] = []
        self.band: tuple[float, float] | None = None
        self.limit: float | None = None
        self.y_floor: float | None = 0.0
        self.y_ceiling: float | None = None
        self.integer = False
        self.empty_text = "No answers yet"
        self.hovered: tuple[int, int] | None = None  # (series, answer) under the pointer
        self.setMouseTracking(True)
        self.setMinimumSize(*((150, 96) if compact else (260, 180)))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(220, 120) if self.compact else QSize(460, 230)

    def set_data(self, series: Sequence[Series], *, labels: LabelMaker | None = None, tips: Sequence[str] = (),
                 band: tuple[float, float] | None = None, limit: float | None = None, y_floor: float | None = 0.0,
                 y_ceiling: float | None = None, integer: bool = False) -> None:
        """Each series has one value (or None) per answer; `labels` names the answers the x axis has room to
        label, `tips` describe each answer for its tooltip; `integer`: the values are counts (whole-number
        ticks)."""
        self.series, self.labels, self.tips = list(series), labels, list(tips)
        self.band, self.limit, self.y_floor, self.y_ceiling = band, limit, y_floor, y_ceiling
        self.integer = integer
        self.hovered = None
        self.update()

    @property
    def empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)

    # -- geometry ----------------------------------------------------------------------------------------

    def y_range(self) -> tuple[float, float]:
        """The value range shown: the data, band and limit with some room, the top rounded up to a tick."""
        values = [v for s in self.series for v in s.values if v is not None]
        values += list(self.band or ()) + ([self.limit] if self.limit is not None else [])
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        pad = (high - low) * 0.1 or max(1.0, abs(high) * 0.1)
        low = self.y_floor if self.y_floor is not None else low - pad
        if self.y_ceiling is not None:
            return low, max(self.y_ceiling, low + 1e-6)
        high = max(high + pad, low + (1.0 if self.integer else 1e-6))
        step = self.y_step(low, high)
        return low, math.ceil(round((high - low) / step, 6)) * step + low

    def y_step(self, low: float, high: float) -> float:
        return nice_step(high - low, 2 if self.compact else 4, integer=self.integer)

    def y_ticks(self) -> list[float]:
        low, high = self.y_range()
        step = self.y_step(low, high)
        first = math.ceil(round(low / step, 6)) * step
        return [first + k * step for k in range(int(round((high - first) / step, 6)) + 1)]

    def x_ticks(self) -> list[tuple[int, str]]:
        """(answer index, label) of the answers labelled at the current width."""
        f = self._frame()
        if self.labels is None or self.compact or f.n == 0:
            return []
        indices = tick_indices(f.n, int(f.plot.width() // TICK_SPACING) + 1)
        return list(zip(indices, self.labels(indices), strict=True))

    def _frame(self) -> _Frame:
        top = 32.0 if self.compact else MARGIN_TOP
        bottom = 8.0 if self.compact else MARGIN_BOTTOM
        left = 34.0 if self.compact else MARGIN_LEFT
        legend_w = self._legend_width() if len(self.series) > 1 else 0.0
        plot = QRectF(left, top, self.width() - left - MARGIN_RIGHT - legend_w, self.height() - top - bottom)
        low, high = self.y_range()
        return _Frame(plot, low, high, max((len(s.values) for s in self.series), default=0))

    def point_position(self, series: int, index: int) -> QPoint:
        """Where an answer's point is drawn (widget coordinates)."""
        f = self._frame()
        value = self.series[series].values[index]
        assert value is not None
        return QPointF(f.x(index), f.y(value)).toPoint()

    def point_at(self, pos: QPointF | QPoint) -> tuple[int, int] | None:
        """The (series, answer) whose point is nearest `pos`, if it is within reach."""
        if self.empty:
            return None
        f, p = self._frame(), QPointF(pos)
        best: tuple[float, tuple[int, int]] | None = None
        for si, s in enumerate(self.series):
            for i, v in enumerate(s.values):
                if v is not None:
                    d = math.hypot(f.x(i) - p.x(), f.y(v) - p.y())
                    if d <= HIT_RADIUS and (best is None or d < best[0]):
                        best = (d, (si, i))
        return best[1] if best else None

    def tooltip_at(self, pos: QPointF | QPoint) -> str:
        hit = self.point_at(pos)
        if hit is None:
            return ""
        s = self.series[hit[0]]
        value = s.values[hit[1]]
        assert value is not None
        what = f"{s.name}: {s.value_text(value)}" if len(self.series) > 1 or self.compact else s.value_text(value)
        head = self.tips[hit[1]] if hit[1] < len(self.tips) else ""
        return f"{head}\n{what}\nClick to open this answer's review." if head else what

    # -- interaction -------------------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.point_at(event.position())
        if hit != self.hovered:
            self.hovered = hit
            self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.point_at(event.position()) if event.button() == Qt.MouseButton.LeftButton else None
        if hit is not None:
            self.point_clicked.emit(hit[1])
            event.accept()
            return
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # -- painting ----------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#202124"))
        title_box = QRectF(8, 4, self.width() - 16, 20)
        p.drawText(title_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   p.fontMetrics().elidedText(self.title, Qt.TextElideMode.ElideRight, int(title_box.width())))
        p.setFont(self.font())
        f = self._frame()
        if self.empty:
            p.setPen(QColor("#5f6368"))
            p.drawText(f.plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            p.end()
            return
        self._grid(p, f)
        if self.band is not None:
            top, bottom = f.y(self.band[1]), f.y(self.band[0])
            p.fillRect(QRectF(f.plot.left(), top, f.plot.width(), bottom - top), BAND)
        if self.limit is not None and f.low <= self.limit <= f.high:
            p.setPen(QPen(QColor("#b3261e"), 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(f.plot.left(), f.y(self.limit)), QPointF(f.plot.right(), f.y(self.limit)))
        for si, s in enumerate(self.series):
            points = [(i, QPointF(f.x(i), f.y(v))) for i, v in enumerate(s.values) if v is not None]
            p.setPen(QPen(QColor(s.colour), 2))
            for (_, a), (_, b) in zip(points, points[1:], strict=False):
                p.drawLine(a, b)
            p.setBrush(QColor(s.colour))
            for i, pt in points:
                big = self.hovered == (si, i)
                if big:
                    p.setPen(QPen(QColor("#202124"), 1.5))
                p.drawEllipse(pt, 5.5 if big else 3, 5.5 if big else 3)
                if big:
                    p.setPen(QPen(QColor(s.colour), 2))
        if not self.compact:
            self._x_labels(p, f)
        if len(self.series) > 1:
            self._legend(p, f.plot)
        p.end()

    def _grid(self, p: QPainter, f: _Frame) -> None:
        p.setPen(QColor("#e0e0e0"))
        p.drawRect(f.plot)
        left = f.plot.left()
        for v in self.y_ticks():
            y = f.y(v)
            p.setPen(QColor("#eeeeee"))
            p.drawLine(QPointF(left, y), QPointF(f.plot.right(), y))
            p.setPen(QColor("#5f6368"))
            text = f"{int(round(v))}" if self.integer else f"{v:g}"
            p.drawText(QRectF(0, y - 8, left - 4, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       text + self.unit)

    def _x_labels(self, p: QPainter, f: _Frame) -> None:
        p.setPen(QColor("#5f6368"))
        height = 2 * p.fontMetrics().height() + 2
        for i, label in self.x_ticks():
            if i >= f.n:
                continue
            x = f.x(i)
            if i == 0 and f.n > 1:
                align, box = Qt.AlignmentFlag.AlignLeft, QRectF(x - 6, f.plot.bottom() + 3, 90, height)
            elif i == f.n - 1 and f.n > 1:
                align, box = Qt.AlignmentFlag.AlignRight, QRectF(x - 84, f.plot.bottom() + 3, 90, height)
            else:
                align, box = Qt.AlignmentFlag.AlignHCenter, QRectF(x - 45, f.plot.bottom() + 3, 90, height)
            p.drawText(box, align | Qt.AlignmentFlag.AlignTop, label)

    def _legend_width(self) -> float:
        widest = max(self.fontMetrics().horizontalAdvance(s.name) for s in self.series)
        return float(min(widest + 30, self.width() * 0.4))

    def _legend(self, p: QPainter, plot: QRectF) -> None:
        """One entry per series, in a column to the right of the plot."""
        x = plot.right() + 12
        line = p.fontMetrics().height() + 2
        for k, s in enumerate(self.series):
            y = plot.top() + k * line
            if y + line > plot.bottom() + MARGIN_BOTTOM:
                break
            p.fillRect(QRectF(x, y + (line - 10) / 2, 10, 10), QColor(s.colour))
            p.setPen(QColor("#3c4043"))
            p.drawText(QRectF(x + 14, y, self.width() - x - 14, line),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, s.name)
