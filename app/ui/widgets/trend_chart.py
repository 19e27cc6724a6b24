"""A small line chart drawn with QPainter (PySide6-Essentials has no QtCharts): one or more series over the
user's answers, oldest first, with an optional target band or limit line. Renders offscreen (grab())."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.charts import PALETTE

BAND = QColor(30, 142, 62, 40)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 46.0, 14.0, 30.0, 24.0


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str = PALETTE[0]


def nice_step(span: float, ticks: int = 4) -> float:
    """A round grid step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` lines over `span`."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


class TrendChart(QWidget):
    def __init__(self, title: str, unit: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.unit = unit
        self.labels: list[str] = []
        self.series: list[Series] = []
        self.band: tuple[float, float] | None = None
        self.limit: float | None = None
        self.y_floor: float | None = 0.0
        self.y_ceiling: float | None = None
        self.setMinimumSize(260, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(460, 230)

    def set_data(self, labels: Sequence[str], series: Sequence[Series], *, band: tuple[float, float] | None = None,
                 limit: float | None = None, y_floor: float | None = 0.0, y_ceiling: float | None = None) -> None:
        """`labels` name the x positions (one per answer); each series has one value (or None) per label."""
        self.labels, self.series = list(labels), list(series)
        self.band, self.limit, self.y_floor, self.y_ceiling = band, limit, y_floor, y_ceiling
        self.update()

    @property
    def empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)

    def y_range(self) -> tuple[float, float]:
        values = [v for s in self.series for v in s.values if v is not None]
        values += list(self.band or ()) + ([self.limit] if self.limit is not None else [])
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        pad = (high - low) * 0.1 or max(1.0, abs(high) * 0.1)
        low = self.y_floor if self.y_floor is not None else low - pad
        high = self.y_ceiling if self.y_ceiling is not None else high + pad
        return low, max(high, low + 1e-6)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#202124"))
        p.drawText(QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        legend_w = self._legend_width(p) if len(self.series) > 1 else 0.0
        plot = QRectF(MARGIN_LEFT, MARGIN_TOP, self.width() - MARGIN_LEFT - MARGIN_RIGHT - legend_w,
                      self.height() - MARGIN_TOP - MARGIN_BOTTOM)
        if self.empty:
            p.setPen(QColor("#5f6368"))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No answers yet")
            p.end()
            return
        low, high = self.y_range()

        def y_of(v: float) -> float:
            return plot.bottom() - (v - low) / (high - low) * plot.height()

        n = max(len(s.values) for s in self.series)

        def x_of(i: int) -> float:
            return plot.center().x() if n <= 1 else plot.left() + i * plot.width() / (n - 1)

        self._grid(p, plot, low, high, y_of)
        if self.band is not None:
            top, bottom = y_of(min(high, self.band[1])), y_of(max(low, self.band[0]))
            p.fillRect(QRectF(plot.left(), top, plot.width(), bottom - top), BAND)
        if self.limit is not None and low <= self.limit <= high:
            p.setPen(QPen(QColor("#b3261e"), 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), y_of(self.limit)), QPointF(plot.right(), y_of(self.limit)))
        for s in self.series:
            points = [QPointF(x_of(i), y_of(max(low, min(high, v)))) for i, v in enumerate(s.values) if v is not None]
            p.setPen(QPen(QColor(s.colour), 2))
            for a, b in zip(points, points[1:], strict=False):
                p.drawLine(a, b)
            p.setBrush(QColor(s.colour))
            for pt in points:
                p.drawEllipse(pt, 3, 3)
        self._x_labels(p, plot, n, x_of)
        if len(self.series) > 1:
            self._legend(p, plot)
        p.end()

    def _grid(self, p: QPainter, plot: QRectF, low: float, high: float, y_of: Callable[[float], float]) -> None:
        step = nice_step(high - low)
        p.setPen(QColor("#e0e0e0"))
        p.drawRect(plot)
        v = math.ceil(low / step) * step
        while v <= high + 1e-9:
            y = y_of(v)
            p.setPen(QColor("#eeeeee"))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor("#5f6368"))
            text = f"{v:g}{self.unit}"
            p.drawText(QRectF(0, y - 8, MARGIN_LEFT - 4, 16),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            v += step

    def _x_labels(self, p: QPainter, plot: QRectF, n: int, x_of: Callable[[int], float]) -> None:
        if not self.labels:
            return
        p.setPen(QColor("#5f6368"))
        shown = {0, n - 1} if n > 1 else {0}
        if n > 4:
            shown.add((n - 1) // 2)
        for i in sorted(shown):
            if i < len(self.labels):
                x = x_of(i)
                if i == 0 and n > 1:
                    align, box = Qt.AlignmentFlag.AlignLeft, QRectF(x, plot.bottom() + 4, 80, 16)
                elif i == n - 1 and n > 1:
                    align, box = Qt.AlignmentFlag.AlignRight, QRectF(x - 80, plot.bottom() + 4, 80, 16)
                else:
                    align, box = Qt.AlignmentFlag.AlignHCenter, QRectF(x - 40, plot.bottom() + 4, 80, 16)
                p.drawText(box, align | Qt.AlignmentFlag.AlignTop, self.labels[i])

    def _legend_width(self, p: QPainter) -> float:
        widest = max(p.fontMetrics().horizontalAdvance(s.name) for s in self.series)
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
