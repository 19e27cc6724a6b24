"""Play / pause and a position slider for the recorded answer; reports the position while playing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from app.audio_io import PlayerFactory
from app.errors import VivaError
from app.formatting import clock
from app.player import ClockPlayer, Player

TICK_MS = 40


class PlaybackBar(QWidget):
    position_changed = Signal(float)  # seconds
    problem = Signal(str)  # the audio could not be played; the bar falls back to silent timing
    started = Signal()  # playback began (another bar showing a take beside this one pauses)

    def __init__(self, new_player: PlayerFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playbackBar")
        self._new_player = new_player
        self.player: Player = new_player()
        self.path: Path | None = None

        self.play_button = QPushButton("\u25b6  Play answer", self)
        self.play_button.setObjectName("playButton")
        self.play_button.clicked.connect(self.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("playbackSlider")
        self.slider.sliderMoved.connect(lambda ms: self.seek(ms / 1000))
        self.time = QLabel("0:00 / 0:00", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.play_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time)

        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self.set_enabled(False)

    def load(self, path: Path | None) -> None:
        self.stop()
        self.path = path
        if path is None or not path.exists():
            self.set_enabled(False)
            return
        try:
            self.player.load(path)
        except VivaError:
            self.set_enabled(False)
            self.problem.emit("This recording could not be opened for replay; its transcript and figures are "
                              "all here.")
            return
        self.set_enabled(True)
        self.slider.setRange(0, int(self.player.duration * 1000))
        self._show(0.0)

    def set_enabled(self, enabled: bool) -> None:
        self.play_button.setEnabled(enabled)
        self.slider.setEnabled(enabled)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self.path is None or not self.play_button.isEnabled():
            return
        try:
            self.player.play()
        except VivaError as e:
            self._fall_back(str(e))
        self._timer.start()
        self.play_button.setText("\u275a\u275a  Pause")
        self.started.emit()

    def pause(self) -> None:
        self.player.pause()
        self._timer.stop()
        self.play_button.setText("\u25b6  Play answer")
        self._show(self.player.position())

    def pause_if_playing(self) -> None:
        if self.playing:
            self.pause()

    def stop(self) -> None:
        self.player.close()
        self._timer.stop()
        self.play_button.setText("\u25b6  Play answer")

    def seek(self, seconds: float) -> None:
        self.player.seek(seconds)
        self._show(self.player.position())

    def play_from(self, seconds: float) -> None:
        self.seek(seconds)
        if not self.playing:
            self.play()

    def _fall_back(self, message: str) -> None:
        """No sound: keep the timeline (and the word highlighting) going silently."""
        position = self.player.position()
        self.player.close()
        self.player = ClockPlayer()
        if self.path is not None:
            self.player.load(self.path)
            self.player.seek(position)
            self.player.play()
        self.problem.emit(f"{message} Playing the word timing without sound.")

    def _tick(self) -> None:
        self._show(self.player.position())
        if not self.player.is_playing():
            self.pause()

    def _show(self, seconds: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(int(seconds * 1000))
        self.slider.blockSignals(False)
        self.time.setText(f"{clock(seconds)} / {clock(self.player.duration)}")
        self.position_changed.emit(seconds)
