"""Choosing the question a recording answers, from the bank, with a search box; or none (delivery only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.domain import Question
from app.formatting import clock

QUESTION_ROLE = Qt.ItemDataRole.UserRole
KIND_NAMES = {"behavioral": "STAR answer", "technical": "concept explanation", "design": "design discussion"}
NO_QUESTION = "No question: delivery only (pace, fillers, pauses; no structure score)"


def matches(q: Question, category: str, query: str) -> bool:
    """Every word of `query` appears in the question, its category or its kind (case ignored)."""
    hay = " ".join((q.text, category, q.category, q.kind, KIND_NAMES.get(q.kind, ""), q.id)).casefold()
    return all(word in hay for word in query.casefold().split())


class QuestionPicker(QWidget):
    chosen = Signal()  # a question was double-clicked or Enter pressed on it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionPicker")
        self._categories: dict[str, str] = {}
        self.search = QLineEdit(self)
        self.search.setObjectName("questionSearch")
        self.search.setPlaceholderText("Search the questions, e.g. \u201cfraud\u201d or \u201cdesign\u201d")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._enter)
        self.list = QListWidget(self)
        self.list.setObjectName("questionList")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.itemActivated.connect(lambda _item: self.chosen.emit())
        self.count = QLabel(self)
        self.count.setStyleSheet("color: #5f6368;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)

    def set_questions(self, questions: Sequence[Question], categories: Mapping[str, str]) -> None:
        self._categories = dict(categories)
        self.list.clear()
        none = QListWidgetItem(NO_QUESTION)
        none.setData(QUESTION_ROLE, None)
        self.list.addItem(none)
        for q in sorted(questions, key=lambda q: (self._category(q), q.text)):
            item = QListWidgetItem(f"{q.text}\n{self._category(q)} \u00b7 {KIND_NAMES.get(q.kind, q.kind)} \u00b7 "
                                   f"{clock(q.answer_time_s)} suggested")
            item.setData(QUESTION_ROLE, q)
            item.setToolTip(q.text)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self._filter(self.search.text())

    def selected_question(self) -> Question | None:
        item = self.list.currentItem()
        value = item.data(QUESTION_ROLE) if item is not None and not item.isHidden() else None
        return value if isinstance(value, Question) else None

    def select(self, question_id: str | None) -> bool:
        for row in range(self.list.count()):
            q = self.list.item(row).data(QUESTION_ROLE)
            if (q.id if isinstance(q, Question) else None) == question_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def visible_questions(self) -> list[Question]:
        out = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            q = item.data(QUESTION_ROLE)
            if isinstance(q, Question) and not item.isHidden():
                out.append(q)
        return out

    def _category(self, q: Question) -> str:
        return self._categories.get(q.category, q.category.replace("_", " ").capitalize())

    def _filter(self, text: str) -> None:
        shown = 0
        for row in range(self.list.count()):
            item = self.list.item(row)
            q = item.data(QUESTION_ROLE)
            visible = not isinstance(q, Question) or matches(q, self._category(q), text)
            item.setHidden(not visible)
            shown += visible and isinstance(q, Question)
        current = self.list.currentItem()
        if current is None or current.isHidden() or (text.strip() and self.list.currentRow() == 0):
            first = next((r for r in range(1, self.list.count()) if not self.list.item(r).isHidden()), 0)
            self.list.setCurrentRow(first)
        total = self.list.count() - 1
        self.count.setText(f"{shown} of {total} questions" if text.strip() else f"{total} questions")

    def _enter(self) -> None:
        if self.selected_question() is not None or not self.search.text().strip():
            self.chosen.emit()
