"""Rubric coverage as small multiples: one little chart per rubric item (its share of the last answers that
covered it), grouped by rubric, so every item can be read on its own (eleven lines in one chart hid Task)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from app.ui.widgets.trend_chart import Series, TrendChart

COLUMNS = 4


@dataclass(frozen=True)
class ItemLine:
    rubric: str  # display name, e.g. "STAR"
    name: str  # the item's display name, e.g. "Task"
    values: Sequence[float | None]  # per answer: coverage in %, None where not scored on this item
    colour: str


class CoverageGrid(QWidget):
    point_clicked = Signal(int)  # the answer's index (oldest first)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverageGrid")
        heading = QLabel(title, self)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        self.empty = QLabel("No scored answers yet.", self)
        self.empty.setObjectName("coverageEmpty")
        self.empty.setStyleSheet("color: #5f6368;")
        self.body = QWidget(self)
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.empty)
        layout.addWidget(self.body)
        self.charts: dict[str, TrendChart] = {}  # "Rubric: Item" -> its chart

    def set_lines(self, lines: Sequence[ItemLine], tips: Sequence[str], empty_text: str = "") -> None:
        """One small chart per line, each rubric starting a new row under its name."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # off screen now, deleted when control returns to the event loop
                widget.deleteLater()
        self.charts = {}
        row, col, rubric = -1, COLUMNS, None
        for line in lines:
            if line.rubric != rubric or col == COLUMNS:
                row += 1
                col = 0
                if line.rubric != rubric:
                    label = QLabel(line.rubric, self.body)
                    label.setStyleSheet("color: #3c4043; font-weight: 600;")
                    self.grid.addWidget(label, row, 0, 1, COLUMNS)
                    row += 1
                rubric = line.rubric
            chart = TrendChart(line.name, "", self.body, compact=True)
            chart.setObjectName(f"coverage_{line.rubric}_{line.name}")
            chart.set_data([Series(line.name, line.values, line.colour, lambda v: f"{v:.0f}% covered")],
                           tips=tips, y_ceiling=100)
            chart.point_clicked.connect(self.point_clicked)
            self.grid.addWidget(chart, row, col)
            self.charts[f"{line.rubric}: {line.name}"] = chart
            col += 1
        for c in range(COLUMNS):
            self.grid.setColumnStretch(c, 1)
        self.empty.setText(empty_text or "No scored answers yet.")
        self.empty.setVisible(not lines)
        self.body.setVisible(bool(lines))
