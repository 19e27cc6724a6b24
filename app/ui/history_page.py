"""Past sessions in a sortable table; the selected session's answers beside it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.attempts_panel import AttemptsPanel
from app.ui.formatting import local_time
from app.ui.sessions_model import SESSION_ID_ROLE, SORT_ROLE, SessionsModel


class HistoryPage(QWidget):
    session_selected = Signal(int)  # session id; answer with `show_attempts`

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPage")
        self.model = SessionsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)

        self.table = QTableView(self)
        self.table.setObjectName("sessions")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        self.empty = QLabel("No sessions yet. Start an interview or analyse a recording from Home.", self)
        self.empty.setObjectName("historyEmpty")
        self.attempts = AttemptsPanel(self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.attempts)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(splitter)
        self._shown_session: int | None = None

    def set_sessions(self, rows: Sequence[Mapping[str, Any]], preset_names: Mapping[str, str] | None = None) -> None:
        """Replace the table with `rows` from `Store.sessions()`, keeping the selected session if it remains."""
        keep = self.selected_session()
        self._shown_session = None  # reload the answers even if the same session stays selected
        self.model.set_sessions(rows, preset_names)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        if keep is not None and self.select_session(keep):
            return
        self.attempts.set_attempts(None, [])

    def session_count(self) -> int:
        return self.proxy.rowCount()

    def display_text(self, row: int, column: int) -> str:
        """What the table shows at (`row`, `column`) in its current sort order."""
        return str(self.proxy.index(row, column).data())

    def selected_session(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return int(rows[0].data(SESSION_ID_ROLE)) if rows else None

    def select_session(self, session_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(SESSION_ID_ROLE) == session_id:
                self.table.selectRow(row)
                return True
        return False

    def show_attempts(self, session_id: int, attempts: Sequence[Mapping[str, Any]]) -> None:
        if session_id != self.selected_session():
            return  # the user has moved on
        self._shown_session = session_id
        rows = self.table.selectionModel().selectedRows()
        source = self.model.session(self.proxy.mapToSource(rows[0]).row())
        title = f"{self.model.columns[1].display(source)}, {local_time(source.get('started_at'))}"
        self.attempts.set_attempts(title, attempts)

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        session_id = self.selected_session()
        if session_id is None:
            self._shown_session = None
            self.attempts.set_attempts(None, [])
        elif session_id != self._shown_session:
            self.session_selected.emit(session_id)
