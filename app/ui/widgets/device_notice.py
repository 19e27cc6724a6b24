"""What Home says when the microphone or speaker is missing: the problem in plain words, a way to fix it in
Settings, and a way to practise without a microphone (answering from a recording made elsewhere)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.devices import DeviceReport

_STYLE = ("#deviceNotice { background: #fef7e0; border: 1px solid #f9d67a; border-radius: 6px; }"
          "#deviceNotice QLabel { color: #3c2f00; }")


class DeviceNotice(QFrame):
    settings_requested = Signal()  # open the settings on their audio page
    recording_requested = Signal()  # answer from a recording instead
    recheck_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceNotice")
        self.setStyleSheet(_STYLE)
        self.report: DeviceReport | None = None
        self.refused = False
        self.title = QLabel(self)
        self.title.setObjectName("deviceNoticeTitle")
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.title.setWordWrap(True)
        self.text = QLabel(self)
        self.text.setObjectName("deviceNoticeText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.fix_button = QPushButton("Fix in Settings", self)
        self.fix_button.setObjectName("fixDevicesButton")
        self.fix_button.clicked.connect(self.settings_requested)
        self.recording_button = QPushButton("Answer from a recording\u2026", self)
        self.recording_button.setObjectName("answerFromRecordingButton")
        self.recording_button.setToolTip("Analyse an answer you recorded elsewhere (a phone, a video call)")
        self.recording_button.clicked.connect(self.recording_requested)
        self.recheck_button = QPushButton("Check again", self)
        self.recheck_button.setObjectName("recheckDevicesButton")
        self.recheck_button.clicked.connect(self.recheck_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fix_button)
        buttons.addWidget(self.recording_button)
        buttons.addWidget(self.recheck_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.hide()

    def set_report(self, report: DeviceReport | None, *, refused: bool | None = None) -> None:
        """Show what `report` says is missing (hidden when nothing is, or when there is no report: answers come
        from files). `refused`: an interview was just asked for and not started because of it (None: as
        before, while the report is the same)."""
        if refused is None:
            refused = self.refused and report == self.report
        self.report, self.refused = report, refused
        if report is None or report.ok:
            self.hide()
            return
        no_mic = report.microphone is None
        if refused:
            headline = "The interview did not start: Viva needs a microphone to record your answers."
        elif no_mic:
            headline = "Interviews need a microphone."
        else:
            headline = "Questions will not be read aloud."
        self.title.setText(headline)
        advice = ("Connect one and press Check again, or choose another device in Settings. You can still "
                  "practise by answering from a recording you made elsewhere." if no_mic else
                  "Connect a speaker or headphones, or choose another device in Settings.")
        self.text.setText(f"{report.message()} {advice}")
        self.recording_button.setVisible(no_mic)
        self.show()
