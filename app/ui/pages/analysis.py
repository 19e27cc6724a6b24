"""A recording made elsewhere, reviewed like any answer: the same review as after an interview question (coaching
summary, cards, marked transcript with timeline and replay, checklist), the question it was scored against, and
Save to History. Problems are said in plain words."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.audio_io import PlayerFactory
from app.config import Targets
from app.domain import Question
from app.player import ClockPlayer
from app.review.answer import AnswerRecord
from app.ui.widgets.review_panel import ReviewPanel

INTRO = ("Review a recording you made elsewhere (a phone, a video call, an earlier practice): Viva transcribes it, "
         "measures the delivery and scores its structure against the question it answers. Nothing leaves this "
         "computer.")
PROBLEM_STYLE = "QLabel { background: #fce8e6; color: #a50e0e; border-radius: 4px; padding: 8px; }"


def question_line(question: Question | None) -> str:
    if question is None:
        return "No question chosen: delivery only (no structure score, no suggested length)."
    return f"Question: {question.text}"


class AnalysisPage(QWidget):
    open_requested = Signal()  # choose a recording to analyse
    save_requested = Signal()
    history_requested = Signal()  # show the saved session

    def __init__(self, targets: Targets | None = None, parent: QWidget | None = None, *,
                 new_player: PlayerFactory | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisPage")
        self.source: Path | None = None

        self.heading = QLabel("Analyse a recording", self)
        self.heading.setObjectName("analysisHeading")
        self.heading.setWordWrap(True)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.question = QLabel(INTRO, self)
        self.question.setObjectName("analysisQuestion")
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)  # question text and file names are not markup

        self.open_button = QPushButton("Choose a recording\u2026", self)
        self.open_button.setObjectName("analysisOpen")
        self.open_button.setToolTip("File \u203a Analyse recording (Ctrl+O)")
        self.open_button.clicked.connect(self.open_requested)
        self.save_button = QPushButton("Save to History", self)
        self.save_button.setObjectName("analysisSave")
        self.save_button.setToolTip("Keep this answer as a session of its own, with its recording")
        self.save_button.clicked.connect(self._save)
        self.saved_note = QLabel(self)
        self.saved_note.setObjectName("analysisSaved")
        self.saved_note.setTextFormat(Qt.TextFormat.RichText)
        self.saved_note.linkActivated.connect(lambda _link: self.history_requested.emit())
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_note, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_button)

        self.problem = QLabel(self)
        self.problem.setObjectName("analysisProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.review = ReviewPanel(new_player or ClockPlayer, targets, self, shortcuts=True)
        self.review.heading.hide()  # the page's own heading names the recording; it has no takes

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.question)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.review, 1)
        layout.addStretch(0)
        self._show_state(review=False, problem=False, can_save=False)

    @property
    def targets(self) -> Targets:
        return self.review.targets

    @targets.setter
    def targets(self, targets: Targets) -> None:
        self.review.targets = targets

    def show_busy(self, source: Path, question: Question | None) -> None:
        self.source = source
        self.heading.setText(f"Analysing {source.name}\u2026")
        self.question.setText(question_line(question))
        self.saved_note.clear()
        self.review.stop()
        self._show_state(review=False, problem=False, can_save=False)
        self.open_button.setEnabled(False)

    def show_analysis(self, source: Path, record: AnswerRecord, question: Question | None) -> None:
        self.source = source
        self.heading.setText(f"Analysis of {source.name}")
        self.question.setText(question_line(question))
        self.review.show_answer(record)
        self._show_state(review=True, problem=False, can_save=True)
        self.review.transcript.setFocus()

    def show_failure(self, source: Path, message: str) -> None:
        self.source = source
        self.heading.setText(f"Could not analyse {source.name}")
        self.problem.setText(message)
        self._show_state(review=False, problem=True, can_save=False)

    def show_saving(self) -> None:
        self.save_button.setEnabled(False)
        self.saved_note.setText("Saving to History\u2026")

    def show_saved(self, title: str) -> None:
        self.save_button.setEnabled(False)
        self.save_button.setText("Saved")
        self.saved_note.setText(f"Saved to History as \u201c{escape(title)}\u201d. "
                                '<a href="history">Open it in History</a>')

    def show_save_failed(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.saved_note.setText(f"Not saved: {escape(message)}")

    def _save(self) -> None:
        self.show_saving()
        self.save_requested.emit()

    def _show_state(self, *, review: bool, problem: bool, can_save: bool) -> None:
        self.review.setVisible(review)
        self.problem.setVisible(problem)
        self.save_button.setVisible(review)
        self.save_button.setEnabled(can_save)
        self.save_button.setText("Save to History")
        self.open_button.setEnabled(True)
        self.open_button.setText("Analyse another recording\u2026" if review or problem else "Choose a recording\u2026")
