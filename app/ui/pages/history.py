"""Past sessions in a sortable table; the selected session's answers beside it; renaming, exporting and deleting
the selected session. Each asks through a dialog opened without blocking (`open()`), kept as an attribute
while it is on screen, and says what was chosen by a signal; the window does the work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import Attempt, Session
from app.formatting import local_time, plural
from app.ui.widgets.attempts_panel import AttemptsPanel
from app.ui.widgets.sessions_filter import SessionsFilter, fill_category_combo
from app.ui.widgets.sessions_model import SESSION_ID_ROLE, SessionsModel

AVERAGE_COLUMNS = (4, 5)  # the sessions' average pace and fillers
NARROW_TABLE = 600  # pixels: narrower, and the title would be elided to nothing
EXPORT_FILTERS = {"md": "Markdown report (*.md)", "html": "HTML report, charts included (*.html)",
                  "csv": "CSV, one row per answer (*.csv)", "json": "JSON, everything stored (*.json)"}


class HistoryPage(QWidget):
    session_selected = Signal(int)  # session id; answer with `show_attempts`
    review_requested = Signal(int, int)  # session id, row of the answer in `show_attempts`' list
    rename_requested = Signal(int, str)  # session id, new title
    delete_requested = Signal(int)  # session id (confirmed)
    export_requested = Signal(int, object, str)  # session id, Path, format (a key of EXPORT_FILTERS)

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
        self.rename_button = QPushButton("Rename\u2026", self)
        self.rename_button.setObjectName("historyRename")
        self.rename_button.clicked.connect(self.ask_rename)
        self.export_button = QPushButton("Export\u2026", self)
        self.export_button.setObjectName("historyExport")
        self.export_button.setToolTip("Save the session as a Markdown or HTML report, or its figures as CSV or JSON")
        self.export_button.clicked.connect(self.ask_export)
        self.delete_button = QPushButton("Delete\u2026", self)
        self.delete_button.setObjectName("historyDelete")
        self.delete_button.clicked.connect(self.ask_delete)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Answers in:", self))
        filter_row.addWidget(self.category)
        filter_row.addStretch(1)
        for button in (self.rename_button, self.export_button, self.delete_button):
            filter_row.addWidget(button)
        self.rename_dialog: QInputDialog | None = None
        self.delete_box: QMessageBox | None = None
        self.delete_confirm: QPushButton | None = None
        self.export_dialog: QFileDialog | None = None
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("historySplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.attempts)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.splitterMoved.connect(lambda _pos, _index: self._fit_columns())
        self.splitter = splitter
        self._sized = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(splitter)
        self._shown_session: int | None = None
        self._update_buttons()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """A narrow sessions table drops the averages (each row's tooltip still has them) so titles stay legible."""
        narrow = self.table.width() < NARROW_TABLE
        for column in AVERAGE_COLUMNS:
            self.table.setColumnHidden(column, narrow)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # the answers get a little more room than the sessions' figures need
            self._sized = True
            width = max(self.splitter.width(), 2)
            self.splitter.setSizes([width * 9 // 20, width - width * 9 // 20])
            self._fit_columns()

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
        self._update_buttons()  # a model reset clears the selection without saying so

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
        self._update_buttons()

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()
        session_id = self.selected_session()
        if session_id is None:
            self._shown_session = None
            self.attempts.set_attempts(None, [])
        elif session_id != self._shown_session:
            self.session_selected.emit(session_id)

    # -- rename, export, delete ------------------------------------------------------------------------

    def selected_row(self) -> Session | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.session(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def selected_title(self) -> str:
        row = self.selected_row()
        return self.model.columns[1].display(row) if row is not None else ""

    def ask_rename(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("renameSession")
        dialog.setWindowTitle("Rename session")
        dialog.setLabelText(f"New name for the session of {local_time(row.started_at)}:")
        dialog.setTextValue(self.selected_title())
        dialog.textValueSelected.connect(lambda text: self._renamed(row.id, text))
        dialog.finished.connect(lambda _r: setattr(self, "rename_dialog", None))
        self.rename_dialog = dialog
        dialog.open()

    def _renamed(self, session_id: int, text: str) -> None:
        title = " ".join(text.split())
        if title:
            self.rename_requested.emit(session_id, title)

    def ask_delete(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Delete session",
                          f"Delete \u201c{self.selected_title()}\u201d of {local_time(row.started_at)}?", parent=self)
        box.setObjectName("deleteSession")
        box.setInformativeText(f"Its {plural(row.answers, 'answer')}, their recordings and scores are removed "
                               "from this computer. This cannot be undone.")
        confirm = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(lambda button: self.delete_requested.emit(row.id) if button is confirm else None)
        box.finished.connect(lambda _r: self._delete_closed())
        self.delete_box, self.delete_confirm = box, confirm
        box.open()

    def _delete_closed(self) -> None:
        self.delete_box = self.delete_confirm = None

    def ask_export(self, folder: Path | None = None) -> None:
        row = self.selected_row()
        if row is None:
            return
        stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in self.selected_title()).strip("-")
        name = f"viva-{local_time(row.started_at)[:10]}-{stem or row.id}.md"
        dialog = QFileDialog(self, "Export session", str((folder or Path.home()) / name))
        dialog.setObjectName("exportSession")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the same dialog everywhere (and in tests)
        dialog.setNameFilters(list(EXPORT_FILTERS.values()))
        dialog.filterSelected.connect(lambda chosen: self._filter_chosen(dialog, chosen))
        dialog.fileSelected.connect(lambda path: self._export_chosen(row.id, dialog, path))
        dialog.finished.connect(lambda _r: setattr(self, "export_dialog", None))
        self.export_dialog = dialog
        dialog.open()

    @staticmethod
    def _filter_chosen(dialog: QFileDialog, chosen: str) -> None:
        fmt = next(k for k, v in EXPORT_FILTERS.items() if v == chosen)
        dialog.setDefaultSuffix(fmt)

    def _export_chosen(self, session_id: int, dialog: QFileDialog, chosen: str) -> None:
        path = Path(chosen)
        by_suffix = path.suffix.lower().lstrip(".")
        if by_suffix not in EXPORT_FILTERS:  # no known extension: the chosen filter's format, and its extension
            by_suffix = next(k for k, v in EXPORT_FILTERS.items() if v == dialog.selectedNameFilter())
            path = path.with_name(f"{path.name}.{by_suffix}")
        self.export_requested.emit(session_id, path, by_suffix)

    def _update_buttons(self) -> None:
        selected = self.selected_session() is not None
        for button in (self.rename_button, self.export_button, self.delete_button):
            button.setEnabled(selected)
