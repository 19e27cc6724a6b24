"""The home screen: pick an interview preset and start, or start today's practice plan; see how the last
session went, and what is wrong with the microphone or speaker (checked each time Home is shown) with a way
to fix it or answer from a recording instead."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.devices import DeviceReport
from app.domain import Preset, Session
from app.formatting import plural, question_count, session_headline
from app.plan import Plan
from app.ui.widgets.device_notice import DeviceNotice
from app.ui.widgets.plan_panel import PlanPanel

PRESET_ID_ROLE = Qt.ItemDataRole.UserRole


class HomePage(QWidget):
    start_requested = Signal(str)  # preset id
    drill_requested = Signal(str)  # category id
    analyse_requested = Signal()
    history_requested = Signal()
    settings_requested = Signal()  # the audio settings, to fix a missing device
    recheck_requested = Signal()  # check the devices again
    plan_requested = Signal(object)  # the Plan to start

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homePage")

        title = QLabel("Mock interview practice", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)

        self.last_session = QLabel(session_headline(None), self)
        self.last_session.setObjectName("lastSession")
        self.devices = DeviceNotice(self)
        self.devices.settings_requested.connect(self.settings_requested)
        self.devices.recording_requested.connect(self.analyse_requested)
        self.devices.recheck_requested.connect(self.recheck_requested)

        self.presets = QListWidget(self)
        self.presets.setObjectName("presets")
        self.presets.setWordWrap(True)
        self.presets.setSpacing(4)
        self.presets.setAlternatingRowColors(True)
        self.presets.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.presets.itemActivated.connect(lambda _item: self._start())

        self.start_button = QPushButton("Start interview", self)
        self.start_button.setObjectName("startButton")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._start)
        analyse = QPushButton("Analyse a recording\u2026", self)
        analyse.clicked.connect(self.analyse_requested)
        history = QPushButton("History", self)
        history.clicked.connect(self.history_requested)

        self.drill_category = QComboBox(self)
        self.drill_category.setObjectName("drillCategory")
        self.drill_button = QPushButton("Start drill", self)
        self.drill_button.setObjectName("drillButton")
        self.drill_button.clicked.connect(self._drill)
        drill = QHBoxLayout()
        drill.addWidget(QLabel("Or drill one category (3 questions):", self))
        drill.addWidget(self.drill_category)
        drill.addWidget(self.drill_button)
        drill.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        buttons.addWidget(analyse)
        buttons.addWidget(history)

        self.plan = PlanPanel(self)
        self.plan.start_requested.connect(self._start_plan)

        interviews = QVBoxLayout()
        interviews.addWidget(QLabel("Choose an interview:", self))
        interviews.addWidget(self.presets, 1)
        interviews.addLayout(buttons)
        interviews.addSpacing(6)
        interviews.addLayout(drill)
        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addLayout(interviews, 3)
        columns.addWidget(self.plan, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.last_session)
        layout.addWidget(self.devices)
        layout.addSpacing(4)
        layout.addLayout(columns, 1)
        self._update_buttons()

    def set_presets(self, presets: Iterable[Preset]) -> None:
        self.presets.clear()
        for p in presets:
            n = question_count(p)
            item = QListWidgetItem(f"{p.name}  \u00b7  {plural(n, 'question')}\n{p.description}")
            item.setData(PRESET_ID_ROLE, p.id)
            item.setToolTip(p.description)
            self.presets.addItem(item)
        if self.presets.count():
            self.presets.setCurrentRow(0)
        self._update_buttons()

    def set_categories(self, categories: Mapping[str, str]) -> None:
        """Category id -> display name, for category drills."""
        keep = self.drill_category.currentData()
        self.drill_category.clear()
        for cid, name in categories.items():
            self.drill_category.addItem(name, cid)
        self.drill_category.setCurrentIndex(max(0, self.drill_category.findData(keep)))
        self.drill_button.setEnabled(self.drill_category.count() > 0)

    def set_last_session(self, session: Session | None) -> None:
        """`session` is the newest row of `Store.sessions()`, or None when there are none."""
        self.last_session.setText(session_headline(session))

    def set_devices(self, report: DeviceReport | None, *, refused: bool | None = None) -> None:
        """The latest microphone and speaker check (None: answers come from files, nothing to check);
        `refused`: an interview was just asked for and not started for lack of a microphone."""
        self.devices.set_report(report, refused=refused)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.devices.set_report(self.devices.report, refused=False)  # news only until Home is left

    def set_plan(self, plan: Plan | None, today: date) -> None:
        """Today's practice plan (None: there is none, the question bank could not be read)."""
        self.plan.set_plan(plan, today)

    def _start_plan(self) -> None:
        if self.plan.plan is not None and self.plan.plan.items:
            self.plan_requested.emit(self.plan.plan)

    def preset_ids(self) -> list[str]:
        return [str(self.presets.item(i).data(PRESET_ID_ROLE)) for i in range(self.presets.count())]

    def selected_preset(self) -> str | None:
        item = self.presets.currentItem()
        return None if item is None else str(item.data(PRESET_ID_ROLE))

    def select_preset(self, preset_id: str) -> None:
        if preset_id in (ids := self.preset_ids()):
            self.presets.setCurrentRow(ids.index(preset_id))

    def _start(self) -> None:
        preset = self.selected_preset()
        if preset is not None:
            self.start_requested.emit(preset)

    def _drill(self) -> None:
        category = self.drill_category.currentData()
        if category:
            self.drill_requested.emit(str(category))

    def _update_buttons(self) -> None:
        self.start_button.setEnabled(self.selected_preset() is not None)
