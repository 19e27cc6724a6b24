"""Progress over time: pace against its target band, fillers, pauses and the structure score, then rubric
coverage as one small chart per rubric item, for all answers or one category. Each point's tooltip says which
answer it is; clicking a point asks for that answer's review. Values, labels and colours come from
app.charts, shared with the PNG charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.charts import (
    COVERAGE_WINDOW,
    MEASURES,
    PALETTE,
    point_summary,
    rolling_coverage,
    rubric_groups,
    tick_labels,
    values,
)
from app.config import Targets
from app.formatting import plural
from app.store.repo import TrendPoint
from app.ui.widgets.coverage_grid import CoverageGrid, ItemLine
from app.ui.widgets.sessions_filter import fill_category_combo
from app.ui.widgets.trend_chart import Series, TrendChart

CHARTS = ("wpm", "fillers_per_100", "longest_pause_s", "pauses_over_2s", "score")
TITLES = {"wpm": "Pace (wpm) \u00b7 green: your target band",
          "fillers_per_100": "Fillers per 100 words \u00b7 dashed: your limit",
          "longest_pause_s": "Longest pause (s) \u00b7 dashed: a long pause",
          "pauses_over_2s": "Pauses over 2 s per answer", "score": "Structure score"}
COLOURS = {"wpm": PALETTE[0], "fillers_per_100": PALETTE[1], "longest_pause_s": PALETTE[3],
           "pauses_over_2s": PALETTE[4], "score": PALETTE[2]}
NO_ANSWERS = "No analysed answers yet: finish an interview to see your progress."
NO_ANSWERS_HERE = "No answers in this category yet."


class ProgressPage(QWidget):
    category_changed = Signal(object)  # a category id, or None for all; answer with `set_points`
    answer_requested = Signal(int, int)  # session id, attempt id: open that answer's review

    def __init__(self, targets: Targets | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressPage")
        self.targets = targets or Targets()
        self.points: list[TrendPoint] = []
        self.category = QComboBox(self)
        self.category.setObjectName("progressCategory")
        self.category.addItem("All categories", None)
        self.category.currentIndexChanged.connect(lambda _i: self.category_changed.emit(self.category.currentData()))
        self.headline = QLabel(self)
        self.headline.setObjectName("progressHeadline")
        hint = QLabel("Point at a dot to see its answer; click it to open the review.", self)
        hint.setStyleSheet("color: #5f6368;")

        top = QHBoxLayout()
        top.addWidget(QLabel("Show:", self))
        top.addWidget(self.category)
        top.addSpacing(16)
        top.addWidget(self.headline, 1)
        top.addWidget(hint)

        body = QWidget(self)
        self.charts: dict[str, TrendChart] = {}
        grid = QGridLayout()
        grid.setSpacing(10)
        for i, key in enumerate(CHARTS):
            chart = TrendChart(TITLES[key], "", body)
            chart.setObjectName(f"chart_{key}")
            chart.point_clicked.connect(self._open)
            self.charts[key] = chart
            row, span = (0, 2) if i < 3 else (1, 3)  # three charts over two
            grid.addWidget(chart, row, (i if i < 3 else i - 3) * span, 1, span)
        self.coverage = CoverageGrid(f"Rubric coverage per item: share of its last {COVERAGE_WINDOW} answers "
                                     "that covered it (%)", body)
        self.coverage.point_clicked.connect(self._open)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 4, 0)
        column.addLayout(grid)
        column.addSpacing(8)
        column.addWidget(self.coverage)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("progressScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.set_points([])

    def set_categories(self, categories: Mapping[str, str]) -> None:
        """Category id -> display name, for the filter (keeps the current choice when it remains)."""
        fill_category_combo(self.category, categories)

    def selected_category(self) -> str | None:
        data = self.category.currentData()
        return None if data is None else str(data)

    def select_category(self, category: str | None) -> None:
        self.category.setCurrentIndex(max(0, self.category.findData(category)))

    def set_points(self, points: Sequence[TrendPoint]) -> None:
        """The answers to chart, oldest first (those of the selected category)."""
        self.points = list(points)
        t = self.targets
        points = self.points

        def labels(indices: Sequence[int]) -> list[str]:
            return tick_labels(points, indices)

        tips = [point_summary(points, i) for i in range(len(points))]
        sessions = len({p.session_id for p in points})
        empty = NO_ANSWERS_HERE if self.selected_category() else NO_ANSWERS
        self.headline.setText(f"{plural(len(points), 'answer')} in {plural(sessions, 'session')}" if points
                              else empty)
        limits = {"fillers_per_100": t.fillers_per_100_max, "longest_pause_s": t.long_pause_s}
        for key, chart in self.charts.items():
            m = MEASURES[key]
            chart.empty_text = NO_ANSWERS_HERE if self.selected_category() else "No answers yet"
            chart.set_data([Series(m.title.split(" (")[0], values(points, key), COLOURS[key], m.value_text)],
                           labels=labels, tips=tips, band=(t.wpm_low, t.wpm_high) if key == "wpm" else None,
                           limit=limits.get(key), integer=m.integer, y_ceiling=100 if key == "score" else None)
        lines = [ItemLine(g.rubric, name, rolling_coverage(points, item), PALETTE[k % len(PALETTE)])
                 for g in rubric_groups(points) for k, (item, name) in enumerate(g.items)]
        self.coverage.set_lines(lines, tips, "No scored answers in this category yet." if self.selected_category()
                                else "No scored answers yet.")

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.points):
            p = self.points[index]
            self.answer_requested.emit(p.session_id, p.attempt_id)
