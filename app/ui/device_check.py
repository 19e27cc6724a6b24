"""The window's microphone and speaker check: in the background when Home is shown (the result goes to
Home's notice), and at once before an interview starts. Nothing to check when answers come from files."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.config import Config
from app.devices import AudioDevice, DeviceReport, probe_devices
from app.ui.dialogs.settings import AUDIO_CHECK
from app.ui.tasks import Task, TaskRunner


class DeviceCheck(QObject):
    checked = Signal(object)  # DeviceReport

    def __init__(self, runner: TaskRunner, config: Callable[[], Config], lister: Callable[[], list[AudioDevice]],
                 parent: QObject | None = None, *, rescan: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.config = config  # the current settings (they change when saved)
        self.lister = lister
        self.rescan = rescan  # makes the sound system look for devices plugged in since (None: nothing to do)
        self.enabled = True  # False while answers come from files
        self.report: DeviceReport | None = None  # the latest check

    def in_background(self, *, rescan: bool = False) -> Task[DeviceReport] | None:
        """Check on the audio-check lane; `checked` says the result. None when there is nothing to check.
        With `rescan` (Home's Check again, only while nothing records or plays) the sound system first looks
        for devices plugged in since it started; if it cannot, the listing says what is wrong."""
        if not self.enabled:
            return None
        cfg, lister, again = self.config(), self.lister, self.rescan if rescan else None

        def look_again() -> list[AudioDevice]:  # a DeviceError from either becomes the report's problem
            if again is not None:
                again()
            return lister()

        task: Task[DeviceReport] = (Task(lambda: probe_devices(cfg.input_device, cfg.output_device, look_again))
                                    .on_lane(AUDIO_CHECK).success(self._done))
        return task.run(self.runner)

    def now(self) -> DeviceReport | None:
        """Check at once (listing devices is quick); None when there is nothing to check."""
        if not self.enabled:
            return None
        cfg = self.config()
        report = probe_devices(cfg.input_device, cfg.output_device, self.lister)
        self._done(report)
        return report

    def _done(self, report: DeviceReport) -> None:
        self.report = report
        self.checked.emit(report)
