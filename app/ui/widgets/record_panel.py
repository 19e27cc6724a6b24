"""Answering a question: the Answer/Stop control, input level, time against the suggestion, live transcript."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import Word
from app.formatting import clock, sentence
from app.ui.widgets.level_meter import LevelMeter

IDLE_TEXT = "\u25cf  Answer  (Space)"
STOP_TEXT = "\u25a0  Stop  (Space)"
_BUTTON_STYLE = {
    "idle": "QPushButton { background: #1a73e8; color: white; border-radius: 6px; padding: 10px 22px; }"
            "QPushButton:disabled { background: #c6d4ea; }",
    "recording": "QPushButton { background: #d93025; color: white; border-radius: 6px; padding: 10px 22px; }",
}

# A problem with the answer (no microphone, no speech heard): a boxed notice across the panel, not red text.
_MESSAGE_STYLE = ("QLabel#recordMessage { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
                  " border-radius: 4px; padding: 8px 10px; }")


class RecordPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordPanel")
        self.suggested_s = 120
        self.recording = False
        self._ready_hint = ""

        self.answer_button = QPushButton(IDLE_TEXT, self)
        self.answer_button.setObjectName("answerButton")
        self.answer_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to the Answer shortcut
        font = QFont(self.answer_button.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.answer_button.setFont(font)
        self.answer_button.setStyleSheet(_BUTTON_STYLE["idle"])

        self.meter = LevelMeter(self)
        self.elapsed = QLabel(self)
        self.elapsed.setObjectName("elapsed")
        self.time_bar = QProgressBar(self)
        self.time_bar.setObjectName("timeBar")
        self.time_bar.setTextVisible(False)
        self.time_bar.setMaximumHeight(8)
        self.hint = QLabel("Press Space (or the button) to start answering; press it again when you are done.", self)
        self.hint.setObjectName("recordHint")
        self.hint.setWordWrap(True)

        meters = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(QLabel("Input", self))
        row.addWidget(self.meter, 1)
        meters.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.elapsed)
        row.addWidget(self.time_bar, 1)
        meters.addLayout(row)

        top = QHBoxLayout()
        top.addWidget(self.answer_button)
        top.addSpacing(16)
        top.addLayout(meters, 1)

        self.live = QPlainTextEdit(self)
        self.live.setObjectName("liveTranscript")
        self.live.setReadOnly(True)
        self.live.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.live.setPlaceholderText("Your words appear here as they are recognised.")
        live_box = QGroupBox("Live transcript", self)
        QVBoxLayout(live_box).addWidget(self.live)

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setMaximumHeight(12)
        self.busy_label = QLabel(self)
        self.busy_label.setObjectName("analysingLabel")
        busy = QHBoxLayout()
        busy.addWidget(self.busy_bar)
        busy.addWidget(self.busy_label, 1)
        self.busy = QWidget(self)
        self.busy.setLayout(busy)

        self.message = QLabel(self)
        self.message.setObjectName("recordMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet(_MESSAGE_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(live_box, 1)
        layout.addWidget(self.busy)

        self._clock = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(200)
        self._tick.timeout.connect(self._update_time)
        self.prepare(120)

    def prepare(self, suggested_s: int, take: int = 1) -> None:
        """Ready for a new answer to a question with `suggested_s` seconds of suggested answer time."""
        self.suggested_s = max(1, suggested_s)
        self.set_recording(False)
        self.live.clear()
        self.meter.reset()
        self.message.clear()
        self.message.hide()
        self.busy.hide()
        self.time_bar.setRange(0, self.suggested_s)
        self.time_bar.setValue(0)
        self.elapsed.setText(f"0:00 / {clock(self.suggested_s)} suggested")
        self._ready_hint = ("Press Space (or the button) to start answering; press it again when you are done."
                            if take == 1 else f"Take {take}: answer again, then compare with your previous take.")
        self.hint.setText(self._ready_hint)

    def set_recording(self, recording: bool) -> None:
        self.recording = recording
        self.answer_button.setText(STOP_TEXT if recording else IDLE_TEXT)
        self.answer_button.setStyleSheet(_BUTTON_STYLE["recording" if recording else "idle"])
        if recording:
            self.hint.setText("Recording\u2026 press Space (or Stop) when you are done.")
            self.live.clear()
            self.message.hide()
            self._clock.start()
            self._tick.start()
        else:
            self.hint.setText(self._ready_hint)
            self._tick.stop()
            self.meter.reset()

    def show_analysing(self, text: str) -> None:
        self.set_recording(False)
        self.busy_label.setText(text)
        self.busy.show()

    def show_problem(self, text: str) -> None:
        self.busy.hide()
        self.message.setText(sentence(text))
        self.message.show()

    def add_words(self, words: list[Word]) -> None:
        """Show the answer's words so far: each update carries all of them (drafts of the open segment are
        replaced by its final words at the pause), so it replaces the text."""
        self.live.setPlainText(" ".join(w.text for w in words))

    def elapsed_s(self) -> float:
        return self._clock.elapsed() / 1000 if self._clock.isValid() else 0.0

    def _update_time(self) -> None:
        s = self.elapsed_s()
        over = s > self.suggested_s
        self.elapsed.setText(f"{clock(s)} / {clock(self.suggested_s)} suggested" + ("  (over time)" if over else ""))
        self.elapsed.setStyleSheet("color: #b3261e;" if over else "")
        self.time_bar.setValue(min(int(s), self.suggested_s))
