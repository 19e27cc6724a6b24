"""The end of an interview: one row per question (latest take), the session's averages, where to go next."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import Question
from app.ui.answer_record import AnswerRecord
from app.ui.formatting import DASH, plural
from app.ui.tables import read_only_table

HEADERS = ("#", "Question", "Takes", "Pace (wpm)", "Fillers / 100", "Structure")


def summary_line(answers: Mapping[int, Sequence[AnswerRecord]], total: int) -> str:
    latest = [takes[-1] for takes in answers.values() if takes]
    if not latest:
        return f"No answers recorded ({plural(total, 'question')} asked)."
    wpm = sum(r.analysis.delivery.wpm for r in latest) / len(latest)
    fillers = sum(r.analysis.delivery.fillers_per_100_words for r in latest) / len(latest)
    scores = [r.score for r in latest if r.score is not None]
    parts = [f"{len(latest)} of {plural(total, 'question')} answered", f"{wpm:.0f} wpm average",
             f"{fillers:.1f} fillers per 100 words"]
    if scores:
        parts.append(f"structure {sum(scores) / len(scores):.0f}/100 average")
    return " \u00b7 ".join(parts)


class SummaryPanel(QWidget):
    history_requested = Signal()
    home_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryPanel")
        self.heading = QLabel("Session summary", self)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.headline = QLabel(self)
        self.headline.setObjectName("summaryHeadline")
        self.headline.setWordWrap(True)

        self.table = read_only_table(self, "summaryTable", HEADERS, selectable_rows=False)
        self.table.setWordWrap(False)  # long questions are elided; the full text is in the tooltip
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setAlternatingRowColors(True)

        history = QPushButton("See it in History", self)
        history.setObjectName("summaryHistory")
        history.clicked.connect(self.history_requested)
        home = QPushButton("Back to Home", self)
        home.clicked.connect(self.home_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(history)
        buttons.addWidget(home)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_summary(self, title: str, questions: Sequence[Question],
                     answers: Mapping[int, Sequence[AnswerRecord]], skipped: set[int]) -> None:
        self.heading.setText(f"Session summary \u00b7 {title}")
        self.headline.setText(summary_line(answers, len(questions)))
        self.table.setRowCount(len(questions))
        for row, q in enumerate(questions):
            position = row + 1
            takes = answers.get(position, [])
            if takes:
                r = takes[-1]
                d = r.analysis.delivery
                score = DASH if r.score is None else f"{r.score}/100"
                if len(takes) > 1 and r.score is not None and takes[0].score is not None:
                    score += f" (take 1: {takes[0].score})"
                cells = [str(position), q.text, str(len(takes)), f"{d.wpm:.0f}",
                         f"{d.fillers_per_100_words:.1f}", score]
            else:
                status = "skipped" if position in skipped else "not reached"
                cells = [str(position), q.text, status, DASH, DASH, DASH]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                else:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)

    def cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return "" if item is None else item.text()
