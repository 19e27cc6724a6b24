"""Past sessions in a sortable table; the selected session's answers beside it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import Attempt, Session
from app.formatting import local_time
from app.ui.widgets.attempts_panel import AttemptsPanel
from app.ui.widgets.sessions_filter import SessionsFilter, fill_category_combo
from app.ui.widgets.sessions_model import SESSION_ID_ROLE, SessionsModel


class HistoryPage(QWidget):
    session_selected = Signal(int)  # session id; answer with `show_attempts`
    review_requested = Signal(int, int)  # session id, row of the answer in `show_attempts`' list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPage")
        self.model = SessionsModel(self)
        self.proxy = SessionsFilter(self)
        self.proxy.setSourceModel(self.model)

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
        self.attempts.review_requested.connect(self._review)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.category = QComboBox(self)
        self.category.setObjectName("historyCategory")
        self.category.addItem("All categories", None)
        self.category.currentIndexChanged.connect(lambda _i: self._filter_changed())
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Answers in:", self))
        filter_row.addWidget(self.category)
        filter_row.addStretch(1)
        left_layout.addLayout(filter_row)
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

    def set_categories(self, categories: Mapping[str, str]) -> None:
        """Category id -> display name, for the filter (keeps the current choice when it remains)."""
        fill_category_combo(self.category, categories)
        self.proxy.set_category(self.category.currentData())

    def filter_by_category(self, category: str | None) -> None:
        self.category.setCurrentIndex(max(0, self.category.findData(category)))

    def set_sessions(self, rows: Sequence[Session], preset_names: Mapping[str, str] | None = None,
                     session_categories: Mapping[int, frozenset[str]] | None = None) -> None:
        """Replace the table with `rows` from `Store.sessions()`, keeping the selected session if it remains.
        `session_categories` (session id -> its answers' categories) feeds the category filter."""
        keep = self.selected_session()
        self._shown_session = None  # reload the answers even if the same session stays selected
        self.proxy.set_session_categories(session_categories or {})
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

    def show_attempts(self, session_id: int, attempts: Sequence[Attempt]) -> None:
        if session_id != self.selected_session():
            return  # the user has moved on
        self._shown_session = session_id
        rows = self.table.selectionModel().selectedRows()
        source = self.model.session(self.proxy.mapToSource(rows[0]).row())
        title = f"{self.model.columns[1].display(source)}, {local_time(source.started_at)}"
        self.attempts.set_attempts(title, attempts)

    def _review(self, row: int) -> None:
        if self._shown_session is not None:
            self.review_requested.emit(self._shown_session, row)

    def _filter_changed(self) -> None:
        keep = self.selected_session()
        self.proxy.set_category(self.category.currentData())
        if keep is None or not self.select_session(keep):
            self.table.clearSelection()
            self._shown_session = None
            self.attempts.set_attempts(None, [])

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        session_id = self.selected_session()
        if session_id is None:
            self._shown_session = None
            self.attempts.set_attempts(None, [])
        elif session_id != self._shown_session:
            self.session_selected.emit(session_id)
