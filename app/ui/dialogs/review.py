"""A past answer's review in its own window: the same review as after answering, with replay."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.audio_io import PlayerFactory
from app.config import Targets
from app.review.answer import AnswerRecord
from app.ui.widgets.review_panel import ReviewPanel


class ReviewDialog(QDialog):
    def __init__(self, record: AnswerRecord, new_player: PlayerFactory, targets: Targets,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Answer to question {record.position}")
        self.resize(1180, 720)
        question = QLabel(record.question.text, self)
        question.setWordWrap(True)
        font = QFont(question.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        question.setFont(font)
        self.review = ReviewPanel(new_player, targets, self)
        self.review.show_answer(record)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.review, 1)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: self.review.stop())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.review.stop()
        super().closeEvent(event)
