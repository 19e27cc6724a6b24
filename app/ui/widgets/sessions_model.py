"""The sessions table's model: rows from `Store.sessions()`, shown formatted, sorted by their raw values."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.domain import Session
from app.formatting import local_time, number, plural

SORT_ROLE = Qt.ItemDataRole.UserRole
SESSION_ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
Row = Session


@dataclass(frozen=True)
class Column:
    title: str
    display: Callable[[Row], str]
    sort_key: Callable[[Row], Any]
    numeric: bool = False
    tip: str = ""  # the header's tooltip, where its title is short


def _avg(value: float | None) -> float:
    # Sessions without analysed answers have no averages: sort them below every measured one.
    return -1.0 if value is None else value


class SessionsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._preset_names: Mapping[str, str] = {}
        self.columns: tuple[Column, ...] = (
            Column("Date", lambda r: local_time(r.started_at), lambda r: r.started_at),
            Column("Interview", self._preset_label, lambda r: self._preset_label(r).casefold()),
            Column("Status", lambda r: r.status.replace("_", " "), lambda r: r.status),
            Column("Answers", lambda r: str(r.answers), lambda r: r.answers, True),
            Column("Wpm", lambda r: number(r.avg_wpm), lambda r: _avg(r.avg_wpm), True,
                   "Average pace of the answers, in words per minute"),
            Column("Fillers", lambda r: number(r.avg_fillers_per_100, 1),
                   lambda r: _avg(r.avg_fillers_per_100), True, "Average fillers per 100 words"),
        )

    def set_sessions(self, rows: Sequence[Row], preset_names: Mapping[str, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._preset_names = dict(preset_names or {})
        self.endResetModel()

    def session(self, row: int) -> Row:
        return self._rows[row]

    def row_summary(self, r: Row) -> str:
        """The whole row in words: its title in full, then its figures."""
        parts = [local_time(r.started_at), r.status.replace("_", " "), plural(r.answers, "answer")]
        if r.avg_wpm is not None:
            parts.append(f"{r.avg_wpm:.0f} wpm average")
        if r.avg_fillers_per_100 is not None:
            parts.append(f"{r.avg_fillers_per_100:.1f} fillers per 100 words")
        return f"{self._preset_label(r)}\n" + " \u00b7 ".join(parts)

    def _preset_label(self, r: Row) -> str:
        """The session's title (the preset's name when it was started, or the user's after a rename); a title that
        is just the preset's id (`viva practice` gives one) reads as the preset's name."""
        if r.title and r.title != r.preset:
            return r.title
        return self._preset_names.get(r.preset, r.preset) if r.preset else "Single recording"

    # -- QAbstractTableModel -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.row_summary(row)  # what narrow columns elide, or hide
        if role == SORT_ROLE:
            return column.sort_key(row)
        if role == SESSION_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tip or None
        return None
