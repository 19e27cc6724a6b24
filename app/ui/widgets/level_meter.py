"""A horizontal input level meter in dBFS, with a peak hold that falls back slowly."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DB = -60.0
QUIET_DB = -45.0  # below this, speech is probably too quiet to transcribe well
LOUD_DB = -6.0  # above this, clipping is near


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("levelMeter")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Microphone level: speak so the bar stays mostly green")
        self.level_db = FLOOR_DB
        self.peak_db = FLOOR_DB
        self._decay = QTimer(self)
        self._decay.setInterval(100)
        self._decay.timeout.connect(self._fall)

    def sizeHint(self) -> QSize:
        return QSize(240, 18)

    def set_level(self, dbfs: float) -> None:
        self.level_db = max(FLOOR_DB, min(0.0, dbfs))
        self.peak_db = max(self.peak_db, self.level_db)
        if not self._decay.isActive():
            self._decay.start()
        self.update()

    def reset(self) -> None:
        self.level_db = self.peak_db = FLOOR_DB
        self._decay.stop()
        self.update()

    @staticmethod
    def fraction(dbfs: float) -> float:
        return (max(FLOOR_DB, min(0.0, dbfs)) - FLOOR_DB) / -FLOOR_DB

    def _fall(self) -> None:
        self.peak_db = max(self.level_db, self.peak_db - 1.5)
        if self.peak_db <= FLOOR_DB:
            self._decay.stop()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(QColor("#9aa0a6"))
        p.setBrush(QColor("#f1f3f4"))
        p.drawRoundedRect(r, 3, 3)
        if self.level_db <= QUIET_DB:
            colour = QColor("#9aa0a6")
        elif self.level_db >= LOUD_DB:
            colour = QColor("#d93025")
        else:
            colour = QColor("#1e8e3e")
        fill = QRectF(r.left() + 1, r.top() + 1, (r.width() - 2) * self.fraction(self.level_db), r.height() - 2)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawRoundedRect(fill, 2, 2)
        x = r.left() + 1 + (r.width() - 2) * self.fraction(self.peak_db)
        p.setPen(QColor("#202124"))
        p.drawLine(int(x), int(r.top()) + 2, int(x), int(r.bottom()) - 2)
        p.end()
