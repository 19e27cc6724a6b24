"""A strip showing the answer over time: speech, pauses (long ones in red) and fillers, with the play position.
Clicking it asks to play from that moment; hovering says what is there."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.formatting import clock
from app.review.timeline import FILLER, LONG_PAUSE, PAUSE, SPEECH, Stretch, Timeline

COLOURS = {SPEECH: "#8ab4f8", PAUSE: "#dadce0", LONG_PAUSE: "#f28b82", FILLER: "#f29900"}
BACKGROUND, PLAYHEAD = "#f1f3f4", "#202124"
MARGIN = 2


def describe(s: Stretch | None) -> str:
    if s is None:
        return "Silence"
    if s.kind == FILLER:
        return f"Filler \u201c{s.text}\u201d at {clock(s.start)}"
    if s.kind in (PAUSE, LONG_PAUSE):
        return f"{'Long pause' if s.kind == LONG_PAUSE else 'Pause'} of {s.duration:.1f} s at {clock(s.start)}"
    return f"Speaking, {clock(s.start)}\u2013{clock(s.end)}"


class TimelineStrip(QWidget):
    seek_requested = Signal(float)  # seconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineStrip")
        self.timeline = Timeline(0.0, ())
        self.position = 0.0
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Speech (blue), pauses (grey, long ones red) and fillers (orange). Click to play from there.")

    def sizeHint(self) -> QSize:
        return QSize(400, 22)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, 22)

    def set_timeline(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.position = 0.0
        self.update()

    def set_position(self, seconds: float) -> None:
        if seconds != self.position:
            self.position = seconds
            self.update()

    # -- geometry ---------------------------------------------------------------------------------------

    def _span(self) -> float:
        return max(self.timeline.duration_s, 0.001)

    def x_for(self, seconds: float) -> float:
        return MARGIN + (self.width() - 2 * MARGIN) * min(max(seconds, 0.0), self._span()) / self._span()

    def seconds_at(self, x: float) -> float:
        share = (x - MARGIN) / max(1, self.width() - 2 * MARGIN)
        return round(min(max(share, 0.0), 1.0) * self._span(), 3)

    # -- painting and mouse -------------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        h = self.height()
        p.fillRect(self.rect(), QColor(BACKGROUND))
        for s in self.timeline.stretches:
            left, right = self.x_for(s.start), self.x_for(s.end)
            inset = 2 if s.kind == FILLER else 5
            p.fillRect(QRectF(left, inset, max(2.0, right - left), h - 2 * inset), QColor(COLOURS[s.kind]))
        if self.timeline.stretches:
            x = self.x_for(self.position)
            p.setPen(QPen(QColor(PLAYHEAD), 2))
            p.drawLine(QPointF(x, 0), QPointF(x, h))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.timeline.stretches:
            self.seek_requested.emit(self.seconds_at(event.position().x()))
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.timeline.stretches:
            s = self.timeline.at(self.seconds_at(event.position().x()))
            QToolTip.showText(event.globalPosition().toPoint(), describe(s), self)
        super().mouseMoveEvent(event)


def legend_html() -> str:
    return (f'<span style="color:{COLOURS[SPEECH]}">\u25a0</span> speech &nbsp; '
            f'<span style="color:{COLOURS[PAUSE]}">\u25a0</span> pause &nbsp; '
            f'<span style="color:{COLOURS[LONG_PAUSE]}">\u25a0</span> long pause &nbsp; '
            f'<span style="color:{COLOURS[FILLER]}">\u25a0</span> filler')
