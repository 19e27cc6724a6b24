"""Home's practice plan (app/plan.py): what to practise today and why, and a button to start it."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from app.formatting import plural
from app.plan import Plan

_STYLE = ("#planPanel { background: #f4f8fe; border: 1px solid #c9dbf6; border-radius: 6px; }"
          "#planPanel QLabel { background: transparent; }")
FOCUS_SHOWN = 2


class PlanPanel(QFrame):
    start_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planPanel")
        self.setStyleSheet(_STYLE)
        self.plan: Plan | None = None
        title = QLabel("Your practice plan", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        title.setFont(font)
        self.headline = QLabel(self)
        self.headline.setObjectName("planHeadline")
        self.headline.setWordWrap(True)
        self.focus = QLabel(self)
        self.focus.setObjectName("planFocus")
        self.focus.setWordWrap(True)
        self.focus.setStyleSheet("color: #8a3c00;")
        self.items = QLabel(self)
        self.items.setObjectName("planItems")
        self.items.setWordWrap(True)
        self.items.setTextFormat(Qt.TextFormat.RichText)
        self.items.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.start_button = QPushButton("Start this plan", self)
        self.start_button.setObjectName("startPlanButton")
        self.start_button.clicked.connect(self.start_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.headline)
        layout.addWidget(self.focus)
        layout.addWidget(self.items)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.set_plan(None, date.today())

    def set_plan(self, plan: Plan | None, today: date) -> None:
        """The plan for `today`; None when there is none (no question bank)."""
        self.plan = plan
        if plan is None or not plan.items:
            self.headline.setText("No plan: the question bank could not be read." if plan is None
                                  else "Nothing to plan: the question bank has no questions.")
            self.focus.hide()
            self.items.clear()
            self.start_button.setEnabled(False)
            return
        self.headline.setText(plan.headline(today))
        focus = [w.reason + "." for w in plan.weaknesses[:FOCUS_SHOWN]]
        self.focus.setText("Focus: " + " ".join(focus) if focus else "")
        self.focus.setVisible(bool(focus))
        rows = "".join(
            f"<li style='margin-bottom: 6px'>{html.escape(i.question.text)}<br>"
            f"<span style='color: #5f6368'>{html.escape(i.reason)}.</span></li>" for i in plan.items)
        self.items.setText(f"<ol style='margin-left: -20px'>{rows}</ol>")
        self.start_button.setEnabled(True)
        self.start_button.setText(f"Start this plan ({plural(len(plan.items), 'question')})")
