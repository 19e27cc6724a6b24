"""One session's answers: a row per attempt, and the selected attempt's question and transcript."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.formatting import DASH, latest_score, number, transcript_text
from app.ui.signals import emit
from app.ui.tables import read_only_table

HEADERS = ("#", "Question", "Wpm", "Fillers", "Structure")


class AttemptsPanel(QWidget):
    review_requested = Signal(int)  # row of the answer to open in the review (with replay)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attemptsPanel")
        self._attempts: list[Mapping[str, Any]] = []

        self.heading = QLabel(self)
        self.heading.setObjectName("attemptsHeading")

        self.table = read_only_table(self, "attempts", HEADERS, selectable_rows=True)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_attempt(row))
        self.table.cellDoubleClicked.connect(lambda row, _col: self._request_review(row))

        self.question = QLabel(self)
        self.question.setObjectName("attemptQuestion")
        self.question.setWordWrap(True)
        self.transcript = QPlainTextEdit(self)
        self.transcript.setObjectName("attemptTranscript")
        self.transcript.setReadOnly(True)
        self.transcript.setPlaceholderText("Select an answer to read its transcript.")

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.review_button = QPushButton("Review and replay\u2026", self)
        self.review_button.setObjectName("reviewAttempt")
        self.review_button.setToolTip("Open this answer's review: marked transcript, rubric, playback")
        self.review_button.clicked.connect(lambda: self._request_review(self.table.currentRow()))
        top = QHBoxLayout()
        top.addWidget(self.question, 1)
        top.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignTop)
        detail_layout.addLayout(top)
        detail_layout.addWidget(self.transcript, 1)

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

    def set_attempts(self, session_title: str | None, attempts: Sequence[Mapping[str, Any]]) -> None:
        """Show `attempts` (rows of `Store.attempts()`); `session_title` None means nothing is selected."""
        self._attempts = list(attempts)
        if session_title is None:
            self.heading.setText("Select a session to see its answers.")
        elif not attempts:
            self.heading.setText(f"{session_title}: no analysed answers.")
        else:
            self.heading.setText(f"{session_title}: {len(attempts)} answer(s)")
        self.table.setRowCount(len(self._attempts))
        for row, a in enumerate(self._attempts):
            score = latest_score(a)
            cells = (str(a.get("position", row + 1)), str(a.get("question_text", "")), number(a.get("wpm")),
                     DASH if a.get("filler_count") is None else str(a["filler_count"]),
                     DASH if score is None else f"{score}/100")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setToolTip(text)
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
        if 0 <= row < len(self._attempts):
            emit(self.review_requested, row)

    def _show_attempt(self, row: int) -> None:
        self.review_button.setEnabled(0 <= row < len(self._attempts))
        if not 0 <= row < len(self._attempts):
            self.question.clear()
            self.transcript.clear()
            return
        a = self._attempts[row]
        self.question.setText(f"Q{a.get('position', row + 1)}. {a.get('question_text', '')}")
        self.transcript.setPlainText(transcript_text(a) or "(no transcript)")
