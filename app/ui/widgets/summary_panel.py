"""The end of an interview: one row per question (latest take), the session's averages, where to go next.
It shows the `SessionSummary` the session use case computed, and counts nothing itself."""

from __future__ import annotations

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

from app.formatting import DASH, plural
from app.session import ASKED, NOT_REACHED, SKIPPED, PositionSummary, SessionSummary, Take
from app.ui.widgets.tables import read_only_table

HEADERS = ("#", "Question", "Takes", "Pace (wpm)", "Fillers / 100", "Structure")
STATE_TEXT = {SKIPPED: "skipped", NOT_REACHED: "not reached", ASKED: "not answered"}


def summary_line(s: SessionSummary) -> str:
    """The headline: how many questions were answered, skipped and not reached, and the answers' averages."""
    latest = [t.analysis for t in s.latest_takes()]
    if not latest:
        return f"No answers recorded ({s.asked} of {plural(s.total, 'question')} asked)."
    parts = [f"{s.answered} of {plural(s.total, 'question')} answered"]
    parts += [f"{n} {label}" for state, label in ((SKIPPED, "skipped"), (NOT_REACHED, "not reached"))
              if (n := s.count(state))]
    wpm = sum(a.delivery.wpm for a in latest) / len(latest)
    fillers = sum(a.delivery.fillers_per_100_words for a in latest) / len(latest)
    scores = [a.rubric.score for a in latest if a.rubric is not None]
    parts += [f"{wpm:.0f} wpm average", f"{fillers:.1f} fillers per 100 words"]
    if scores:
        parts.append(f"structure {sum(scores) / len(scores):.0f}/100 average")
    return " \u00b7 ".join(parts)


def _score(take: Take) -> int | None:
    return take.analysis.rubric.score if take.analysis.rubric else None


def row_cells(p: PositionSummary) -> list[str]:
    """One question's row: its latest answer's figures, or why there is none."""
    r = p.latest
    if r is None:
        return [str(p.position), p.question_text, STATE_TEXT.get(p.state, p.state), DASH, DASH, DASH]
    d, score = r.analysis.delivery, _score(r)
    first = _score(p.takes[0])
    shown = DASH if score is None else f"{score}/100"
    if len(p.takes) > 1 and score is not None and first is not None:
        shown += f" (take 1: {first})"
    takes = str(len(p.takes)) + (f" + {len(p.follow_ups)} follow-up" if p.follow_ups else "")
    return [str(p.position), p.question_text, takes, f"{d.wpm:.0f}", f"{d.fillers_per_100_words:.1f}", shown]


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

    def show_summary(self, title: str, summary: SessionSummary) -> None:
        self.heading.setText(f"Session summary \u00b7 {title}")
        self.headline.setText(summary_line(summary))
        self.table.setRowCount(summary.total)
        for row, p in enumerate(summary.positions):
            for column, text in enumerate(row_cells(p)):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                else:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)

    def cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return "" if item is None else item.text()
