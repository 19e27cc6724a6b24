"""Progress over time: pace against its target band, fillers, pauses, structure score and rubric coverage per
item, for all answers or one category."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.charts import PALETTE, date_label, rolling_coverage, rubric_items, values
from app.config import Targets
from app.formatting import plural
from app.store.repo import TrendPoint
from app.ui.widgets.sessions_filter import fill_category_combo
from app.ui.widgets.trend_chart import Series, TrendChart

CHARTS = ("wpm", "fillers", "pause", "long_pauses", "score", "coverage")


class ProgressPage(QWidget):
    category_changed = Signal(object)  # a category id, or None for all; answer with `set_points`

    def __init__(self, targets: Targets | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressPage")
        self.targets = targets or Targets()
        self.category = QComboBox(self)
        self.category.setObjectName("progressCategory")
        self.category.addItem("All categories", None)
        self.category.currentIndexChanged.connect(lambda _i: self.category_changed.emit(self.category.currentData()))
        self.headline = QLabel(self)
        self.headline.setObjectName("progressHeadline")

        top = QHBoxLayout()
        top.addWidget(QLabel("Show:", self))
        top.addWidget(self.category)
        top.addSpacing(16)
        top.addWidget(self.headline, 1)

        self.charts: dict[str, TrendChart] = {
            "wpm": TrendChart("Pace (words per minute) \u00b7 green: target band", "", self),
            "fillers": TrendChart("Fillers per 100 words \u00b7 dashed: your limit", "", self),
            "pause": TrendChart("Longest pause (s)", "", self),
            "long_pauses": TrendChart("Pauses over 2 s per answer", "", self),
            "score": TrendChart("Structure score", "", self),
            "coverage": TrendChart("Rubric coverage, last 5 answers (%)", "", self),
        }
        grid = QGridLayout()
        grid.setSpacing(10)
        for i, key in enumerate(CHARTS):
            self.charts[key].setObjectName(f"chart_{key}")
            grid.addWidget(self.charts[key], i // 2, i % 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
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
        t = self.targets
        labels = [date_label(p.created_at) for p in points]
        sessions = len({p.session_id for p in points})
        self.headline.setText(f"{plural(len(points), 'answer')} in {plural(sessions, 'session')}" if points
                              else "No analysed answers yet: finish an interview to see your progress.")
        c = self.charts
        c["wpm"].set_data(labels, [Series("wpm", values(points, "wpm"))], band=(t.wpm_low, t.wpm_high))
        c["fillers"].set_data(labels, [Series("fillers / 100 words", values(points, "fillers_per_100"), PALETTE[1])],
                              limit=t.fillers_per_100_max)
        c["pause"].set_data(labels, [Series("longest pause", values(points, "longest_pause_s"), PALETTE[3])],
                            limit=t.long_pause_s)
        c["long_pauses"].set_data(labels, [Series("pauses > 2 s", values(points, "pauses_over_2s"), PALETTE[4])])
        c["score"].set_data(labels, [Series("score", values(points, "score"), PALETTE[2])], y_ceiling=100)
        c["coverage"].set_data(labels, [Series(name, rolling_coverage(points, i), PALETTE[k % len(PALETTE)])
                                        for k, (i, name) in enumerate(rubric_items(points))], y_ceiling=100)
