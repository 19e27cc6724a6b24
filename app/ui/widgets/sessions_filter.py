"""Sorting and filtering the sessions table: by a column's raw value, and to sessions with answers in one
category."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import QComboBox

from app.store.repo import TrendPoint
from app.ui.widgets.sessions_model import SESSION_ID_ROLE, SORT_ROLE


def fill_category_combo(combo: QComboBox, categories: Mapping[str, str]) -> None:
    """"All categories" plus each category (id as item data), keeping the current choice when it remains,
    without emitting change signals while refilling."""
    keep = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("All categories", None)
    for cid, name in categories.items():
        combo.addItem(name, cid)
    combo.setCurrentIndex(max(0, combo.findData(keep)))
    combo.blockSignals(False)


def categories_by_session(points: Iterable[TrendPoint]) -> dict[int, frozenset[str]]:
    """Session id -> the categories of its answers, from `Store.trend()` (one point per answer)."""
    found: dict[int, set[str]] = {}
    for p in points:
        if p.category:
            found.setdefault(p.session_id, set()).add(p.category)
    return {sid: frozenset(c) for sid, c in found.items()}


class SessionsFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.category: str | None = None
        self._categories: dict[int, frozenset[str]] = {}

    def set_session_categories(self, categories: Mapping[int, frozenset[str]]) -> None:
        """Session id -> the categories of its answers."""
        self._refilter(lambda: setattr(self, "_categories", dict(categories)))

    def set_category(self, category: str | None) -> None:
        self._refilter(lambda: setattr(self, "category", category))

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self.category is None:
            return True
        model = self.sourceModel()
        session_id = model.data(model.index(source_row, 0, source_parent), SESSION_ID_ROLE)
        return self.category in self._categories.get(int(session_id), frozenset())
