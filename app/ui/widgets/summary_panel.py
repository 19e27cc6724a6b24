"""The end of an interview: one row per question (latest take) and one per follow-up answer, with the one thing
to fix next for each, the session's averages and advice, and where to go next. A row opens that answer's review.
It shows the `SessionSummary` the session use case computed, and counts nothing itself."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.config import Targets
from app.formatting import DASH, plural
from app.review.coaching import Coaching, coach, session_advice
from app.session import ASKED, NOT_REACHED, SKIPPED, PositionSummary, SessionSummary, Take
from app.ui.widgets.tables import read_only_table

HEADERS = ("#", "Question", "Takes", "Pace (wpm)", "Fillers / 100", "Structure", "Fix next")
STATE_TEXT = {SKIPPED: "skipped", NOT_REACHED: "not reached", ASKED: "not answered"}
ATTEMPT_ROLE = Qt.ItemDataRole.UserRole


def summary_line(s: SessionSummary) -> str:
    """The headline: how many questions were answered, skipped and not reached, and the answers' averages."""
    latest = [t.analysis for t in s.latest_takes()]
    if not latest:
        return f"No answers recorded ({s.asked} of {plural(s.total, 'question')} asked)."
    parts = [f"{s.answered} of {plural(s.total, 'question')} answered"]
    parts += [f"{n} {label}" for state, label in ((SKIPPED, "skipped"), (NOT_REACHED, "not reached"))
              if (n := s.count(state))]
    follow_ups = sum(len(p.follow_ups) for p in s.positions)
    if follow_ups:
        parts.append(plural(follow_ups, "follow-up") + " answered")
    wpm = sum(a.delivery.wpm for a in latest) / len(latest)
    fillers = sum(a.delivery.fillers_per_100_words for a in latest) / len(latest)
    scores = [a.rubric.score for a in latest if a.rubric is not None]
    parts += [f"{wpm:.0f} wpm average", f"{fillers:.1f} fillers per 100 words"]
    if scores:
        parts.append(f"structure {sum(scores) / len(scores):.0f}/100 average")
    return " \u00b7 ".join(parts)


def _score(take: Take) -> int | None:
    return take.analysis.rubric.score if take.analysis.rubric else None


def _coaching(p: PositionSummary, take: Take, targets: Targets) -> Coaching:
    """Follow-up answers have no suggested length (see AnswerRecord.suggested_s)."""
    suggested = p.question.answer_time_s if p.question and not take.follow_up else 0
    return coach(take.analysis, suggested, targets)


def row_cells(p: PositionSummary, targets: Targets | None = None) -> list[str]:
    """One question's row: its latest answer's figures and what to fix next, or why there is none."""
    r = p.latest
    if r is None:
        return [str(p.position), p.question_text, STATE_TEXT.get(p.state, p.state), DASH, DASH, DASH, DASH]
    d, score = r.analysis.delivery, _score(r)
    first = _score(p.takes[0])
    shown = DASH if score is None else f"{score}/100"
    if len(p.takes) > 1 and score is not None and first is not None:
        shown += f" (take 1: {first})"
    takes = str(len(p.takes)) + (f" + {len(p.follow_ups)} follow-up" if p.follow_ups else "")
    return [str(p.position), p.question_text, takes, f"{d.wpm:.0f}", f"{d.fillers_per_100_words:.1f}", shown,
            _coaching(p, r, targets or Targets()).fix_headline]


def follow_up_cells(p: PositionSummary, take: Take, targets: Targets | None = None) -> list[str]:
    d, score = take.analysis.delivery, _score(take)
    return [f"{p.position}\u2009\u21b3", f"Follow-up: {take.question_text}", f"Follow-up {take.number}",
            f"{d.wpm:.0f}", f"{d.fillers_per_100_words:.1f}", DASH if score is None else f"{score}/100",
            _coaching(p, take, targets or Targets()).fix_headline]


class SummaryPanel(QWidget):
    history_requested = Signal()
    home_requested = Signal()
    review_requested = Signal(int)  # attempt id of the answer whose review to open

    def __init__(self, parent: QWidget | None = None, targets: Targets | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryPanel")
        self.targets = targets or Targets()
        self.heading = QLabel("Session summary", self)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.headline = QLabel(self)
        self.headline.setObjectName("summaryHeadline")
        self.headline.setWordWrap(True)
        self.advice = QLabel(self)
        self.advice.setObjectName("summaryAdvice")
        self.advice.setWordWrap(True)
        self.advice.setStyleSheet("QLabel { background: #fef7e0; border-radius: 4px; padding: 6px; }")

        self.table = read_only_table(self, "summaryTable", HEADERS, selectable_rows=True)
        self.table.setWordWrap(False)  # long questions are elided; the full text is in the tooltip
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.table.currentCellChanged.connect(lambda row, *_: self._update_button(row))

        self.detail = QLabel(self)  # the selected answer's question and what to fix next, in full
        self.detail.setObjectName("summaryDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)

        self.open_button = QPushButton("Open review\u2026", self)
        self.open_button.setObjectName("summaryOpen")
        self.open_button.setToolTip("The selected answer's review, with replay (or double-click a row)")
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentRow()))
        history = QPushButton("See it in History", self)
        history.setObjectName("summaryHistory")
        history.clicked.connect(self.history_requested)
        home = QPushButton("Back to Home", self)
        home.clicked.connect(self.home_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(history)
        buttons.addWidget(home)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.headline)
        layout.addWidget(self.advice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)

    def show_summary(self, title: str, summary: SessionSummary) -> None:
        self.heading.setText(f"Session summary \u00b7 {title}")
        self.headline.setText(summary_line(summary))
        rows: list[tuple[list[str], int | None, str]] = []  # cells, attempt id, what to fix in full
        coachings = []
        for p in summary.positions:
            latest = p.latest
            if latest is None:
                rows.append((row_cells(p, self.targets), None, ""))
            else:
                coaching = _coaching(p, latest, self.targets)
                coachings.append(coaching)
                rows.append((row_cells(p, self.targets), latest.attempt_id, coaching.fix_text))
            rows += [(follow_up_cells(p, f, self.targets), f.attempt_id, _coaching(p, f, self.targets).fix_text)
                     for f in p.follow_ups]
        advice = session_advice(coachings)
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))
        self.table.setRowCount(len(rows))
        for row, (cells, attempt_id, fix) in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ATTEMPT_ROLE, attempt_id)
                if column in (1, 6):
                    item.setToolTip(fix if column == 6 else text)
                else:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        first = next((r for r, (_cells, a, _fix) in enumerate(rows) if a is not None), -1)
        if first >= 0:
            self.table.setCurrentCell(first, 1)
        self._update_button(first)

    def attempt_at(self, row: int) -> int | None:
        item = self.table.item(row, 0)
        value = item.data(ATTEMPT_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def open_row(self, row: int) -> None:
        attempt_id = self.attempt_at(row)
        if attempt_id is not None:
            self.review_requested.emit(attempt_id)

    def cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return "" if item is None else item.text()

    def row_count(self) -> int:
        return self.table.rowCount()

    def _update_button(self, row: int) -> None:
        self.open_button.setEnabled(self.attempt_at(row) is not None)
        item = self.table.item(row, 6)
        question = self.table.item(row, 1)
        if item is not None and question is not None and item.toolTip():
            self.detail.setText(f"{question.text()}\n{item.toolTip()}")
        else:
            self.detail.clear()
