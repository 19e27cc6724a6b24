"""The rubric as a checklist: each point covered (with the user's words that show it) or missing (with advice).
Selecting a covered point asks the transcript to show its evidence."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.domain import RubricResult
from app.review.marks import item_name

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole
PRESENT, MISSING = "\u2713", "\u2717"


class RubricChecklist(QListWidget):
    item_selected = Signal(str)  # rubric item id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rubricChecklist")
        self.setWordWrap(True)
        self.setSpacing(3)
        self.currentItemChanged.connect(lambda cur, _prev: self._selected(cur))
        self.itemClicked.connect(self._selected)

    def set_result(self, result: RubricResult | None) -> None:
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        if result is None:
            self.addItem(QListWidgetItem("Structure is not scored for this answer."))
            return
        for v in result.items:
            name = item_name(result.rubric, v.id)
            if v.present:
                quote = f"\n\u201c{v.evidence[0].text}\u201d" if v.evidence else ""
                item = QListWidgetItem(f"{PRESENT} {name}{quote}")
                item.setForeground(QColor("#137333"))
                item.setToolTip("Click to see where you said it")
            else:
                item = QListWidgetItem(f"{MISSING} {name}" + (f"\n{v.advice}" if v.advice else ""))
                item.setForeground(QColor("#a50e0e"))
            item.setData(ITEM_ID_ROLE, v.id)
            self.addItem(item)

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def row_of(self, item_id: str) -> int:
        for i in range(self.count()):
            if self.item(i).data(ITEM_ID_ROLE) == item_id:
                return i
        raise KeyError(item_id)

    def _selected(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(ITEM_ID_ROLE):
            self.item_selected.emit(str(item.data(ITEM_ID_ROLE)))
