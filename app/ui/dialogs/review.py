"""A past answer's review in its own window: the same review as after answering, with replay (Space or Ctrl+P
to pause and resume). It opens no larger than the window it comes from, so it fits a small screen."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.audio_io import PlayerFactory
from app.config import Targets
from app.review.answer import AnswerRecord
from app.ui.widgets.review_panel import ReviewPanel

PREFERRED = QSize(1180, 720)


def fitting_size(preferred: QSize, room: QSize | None) -> QSize:
    """`preferred`, shrunk to leave a margin inside `room` (the parent window or the screen)."""
    if room is None or room.isEmpty():
        return preferred
    return QSize(min(preferred.width(), room.width() - 40), min(preferred.height(), room.height() - 40))


class ReviewDialog(QDialog):
    def __init__(self, record: AnswerRecord, new_player: PlayerFactory, targets: Targets,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        what = "the follow-up to question" if record.answers_follow_up else "question"
        self.setWindowTitle(f"Answer to {what} {record.position} \u00b7 {record.label}")
        room = parent.window().size() if parent is not None else None
        if room is None and self.screen() is not None:
            room = self.screen().availableSize()
        self.resize(fitting_size(PREFERRED, room))
        question = QLabel(record.question.text, self)
        question.setObjectName("reviewQuestion")
        question.setWordWrap(True)
        question.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(question.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        question.setFont(font)
        self.review = ReviewPanel(new_player, targets, self, shortcuts=True)
        self.review.show_answer(record)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.review, 1)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: self.review.stop())
        self.review.transcript.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.review.stop()
        super().closeEvent(event)
