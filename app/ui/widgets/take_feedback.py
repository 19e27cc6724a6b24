"""The previous take's feedback, kept beside the record panel while the question is answered again (or its
follow-up is answered): its figures, the coaching summary, and the checklist of what it covered and missed."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from app.config import Targets
from app.review.answer import AnswerRecord
from app.review.coaching import coach
from app.ui.widgets.coaching_box import CoachingBox
from app.ui.widgets.rubric_checklist import RubricChecklist
from app.ui.widgets.take_compare import take_figures


class TakeFeedback(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("takeFeedback")
        self.record: AnswerRecord | None = None
        self.figures = QLabel(self)
        self.figures.setWordWrap(True)
        self.coaching = CoachingBox(self)
        self.checklist = RubricChecklist(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addWidget(self.coaching)
        layout.addWidget(self.checklist, 1)

    def show_record(self, record: AnswerRecord, targets: Targets) -> None:
        self.record = record
        self.setTitle(f"{record.label} feedback")
        self.figures.setText(take_figures(record))
        self.coaching.show_coaching(coach(record.analysis, record.suggested_s, targets))
        self.checklist.set_result(record.analysis.rubric)
        self.show()
