"""Before analysing a recording: which question does it answer? (It decides the structure score and the
suggested length.)"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.domain import Question
from app.ui.widgets.question_picker import QuestionPicker


class QuestionPickerDialog(QDialog):
    def __init__(self, file_name: str, questions: Sequence[Question], categories: Mapping[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionPickerDialog")
        self.setWindowTitle("Analyse a recording")
        self.resize(720, 520)
        intro = QLabel(f"Which question does \u201c{file_name}\u201d answer? Its structure is scored against it, "
                       "and its length against the time suggested for it.", self)
        intro.setWordWrap(True)
        self.picker = QuestionPicker(self)
        self.picker.set_questions(questions, categories)
        self.picker.chosen.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   parent=self)
        analyse = buttons.button(QDialogButtonBox.StandardButton.Ok)
        analyse.setText("Analyse")
        analyse.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker, 1)
        layout.addWidget(buttons)
        self.picker.search.setFocus()
