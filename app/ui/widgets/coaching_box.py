"""The coaching summary at the top of a review: what went well, and the one thing to fix next."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.review.coaching import Coaching

WELL, FIX = "#137333", "#b3261e"


class CoachingBox(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coachingBox")
        self.setStyleSheet("#coachingBox { background: #fef7e0; border: 1px solid #f9e3a3; border-radius: 6px; }")
        self.coaching: Coaching | None = None
        self.fix = QLabel(self)
        self.fix.setObjectName("coachingFix")
        self.fix.setWordWrap(True)
        self.fix.setTextFormat(Qt.TextFormat.RichText)
        self.well = QLabel(self)
        self.well.setObjectName("coachingWell")
        self.well.setWordWrap(True)
        self.well.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addWidget(self.fix)
        layout.addWidget(self.well)

    def show_coaching(self, c: Coaching) -> None:
        self.coaching = c
        head = "Fix next" if c.fix_next else "Next"
        self.fix.setText(f'<b style="color:{FIX if c.fix_next else WELL}">{head}:</b> {escape(c.fix_text)}')
        self.fix.setToolTip("Also:\n" + "\n".join(p.text for p in c.also) if c.also else "")
        well = " ".join(c.went_well) or "Nothing on target yet."
        self.well.setText(f'<b style="color:{WELL}">Went well:</b> {escape(well)}')

    def fix_text(self) -> str:
        return self.coaching.fix_text if self.coaching else ""

    def well_text(self) -> str:
        return " ".join(self.coaching.went_well) if self.coaching else ""
