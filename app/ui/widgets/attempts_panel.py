"""One session's answers: a row per attempt (with its take: "Take 1", "Take 2", "Follow-up"), and the selected
attempt's question and transcript, marked like the review's (fillers, hedges, pauses)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import Attempt
from app.formatting import DASH, latest_score, number, plural
from app.review.marks import mark_words
from app.review.stored import take_labels
from app.ui.widgets.tables import read_only_table
from app.ui.widgets.transcript_view import TranscriptView

HEADERS = ("#", "Question", "Take", "Wpm", "Fillers", "Structure")


class AttemptsPanel(QWidget):
    review_requested = Signal(int)  # row of the answer to open in the review (with replay)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attemptsPanel")
        self._attempts: list[Attempt] = []

        self.heading = QLabel(self)
        self.heading.setObjectName("attemptsHeading")
        self.heading.setWordWrap(True)  # long session titles wrap rather than being cut off
        self.heading.setTextFormat(Qt.TextFormat.PlainText)

        self.table = read_only_table(self, "attempts", HEADERS, selectable_rows=True)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_attempt(row))
        self.table.cellDoubleClicked.connect(lambda row, _col: self._request_review(row))

        self.question = QLabel(self)
        self.question.setObjectName("attemptQuestion")
        self.question.setWordWrap(True)
        self.transcript = TranscriptView(self)
        self.transcript.setObjectName("attemptTranscript")
        self.transcript.setPlaceholderText("Select an answer to read its transcript.")
        self.transcript.word_clicked.connect(lambda _i: self._request_review(self.table.currentRow()))

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.review_button = QPushButton("Review and replay\u2026", self)
        self.review_button.setObjectName("reviewAttempt")
        self.review_button.setToolTip("Open this answer's review: marked transcript, rubric, playback")
        self.review_button.clicked.connect(lambda: self._request_review(self.table.currentRow()))
        below = QHBoxLayout()
        below.addStretch(1)
        below.addWidget(self.review_button)
        detail_layout.addWidget(self.question)
        detail_layout.addWidget(self.transcript, 1)
        detail_layout.addLayout(below)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        self.set_attempts(None, [])

    def set_attempts(self, session_title: str | None, attempts: Sequence[Attempt]) -> None:
        """Show `attempts` (from `Store.attempts()`); `session_title` None means nothing is selected."""
        self._attempts = list(attempts)
        analysed = sum(1 for a in self._attempts if a.analysed)
        if session_title is None:
            self.heading.setText("Select a session to see its answers.")
        elif not analysed:
            self.heading.setText(f"{session_title}: no analysed answers.")
        else:
            others = len(self._attempts) - analysed
            self.heading.setText(f"{session_title}: {plural(analysed, 'answer')}"
                                 + (f" ({others} not analysed)" if others else ""))
        self.table.setRowCount(len(self._attempts))
        for row, (a, take) in enumerate(zip(self._attempts, take_labels(self._attempts), strict=True)):
            score = latest_score(a)
            cells = (str(a.position), a.question_text, take, number(a.wpm),
                     DASH if a.filler_count is None else str(a.filler_count),
                     DASH if score is None else f"{score}/100")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setToolTip(text)
                elif column != 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if self._attempts:
            self.table.selectRow(0)
            self._show_attempt(0)
        else:
            self._show_attempt(-1)

    def attempt_count(self) -> int:
        return self.table.rowCount()

    def cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return "" if item is None else item.text()

    def _request_review(self, row: int) -> None:
        if 0 <= row < len(self._attempts) and self._attempts[row].analysed:
            self.review_requested.emit(row)

    def _show_attempt(self, row: int) -> None:
        if not 0 <= row < len(self._attempts):
            self.review_button.setEnabled(False)
            self.question.clear()
            self.transcript.set_marks([])
            self.transcript.setPlaceholderText("Select an answer to read its transcript.")
            return
        a = self._attempts[row]
        self.review_button.setEnabled(a.analysed)
        self.question.setText(f"Q{a.position}. {a.question_text}")
        if a.analysed and a.transcript is not None:
            self.transcript.set_marks(mark_words(a.transcript, a.delivery, a.latest.result if a.latest else None))
            self.transcript.setToolTip("Click a word to open this answer's review")
        else:
            self.transcript.set_marks([])
            self.transcript.setPlaceholderText(f"Not analysed: {a.outcome}.")
            self.transcript.setToolTip("")
