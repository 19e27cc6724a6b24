"""Settings, one tab each: audio devices (with a test tone and a microphone check), the question voice, the
models, and the delivery targets. Values are validated by the core's config rules before anything is saved.
Home's "Fix in Settings" opens the dialog on its audio tab."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import config as config_mod
from app import devices as audio_check
from app.config import DEVICES, Config
from app.config_toml import save_config
from app.errors import VivaError
from app.formatting import sentence
from app.modelstore import load_manifest
from app.services import llm_path, whisper_dir
from app.ui.tasks import Task, TaskRunner

AUDIO_CHECK = "audio-check"
DEFAULT = "System default"
PAGES = ("audio", "voice", "models", "targets")


@dataclass(frozen=True)
class SettingsProbes:
    """What the dialog asks the system: injectable so it works (and is tested) without a sound card."""
    devices: Callable[[], list[audio_check.AudioDevice]] = audio_check.list_devices
    play_tone: Callable[[str], None] = audio_check.play_tone
    mic_level: Callable[[str], float] = audio_check.mic_level
    voices: Callable[[], list[tuple[str, str]]] = lambda: []


def check_models(cfg: Config) -> None:
    """Raise a VivaError naming the problem when the chosen model files are not there."""
    folder = whisper_dir(cfg)
    if not (folder / "model.bin").exists():
        raise VivaError(f"Whisper model not found in {folder}: choose an installed model or run scripts/setup.sh")
    path, _ = llm_path(cfg)
    if not path.is_file():
        raise VivaError(f"LLM model file not found: {path}")


class SettingsDialog(QDialog):
    def __init__(self, config: Config, path: Path, runner: TaskRunner, probes: SettingsProbes | None = None,
                 parent: QWidget | None = None, *, page: str = "audio") -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self.original = config
        self.path = path
        self.runner = runner
        self.probes = probes or SettingsProbes()
        self.saved: Config | None = None

        devices, device_problem = self._devices()
        self.input_device = self._device_combo([d.name for d in devices if d.inputs], config.input_device)
        self.output_device = self._device_combo([d.name for d in devices if d.outputs], config.output_device)
        self.mic_button = QPushButton("Check microphone", self)
        self.mic_button.clicked.connect(self._check_mic)
        self.tone_button = QPushButton("Play test tone", self)
        self.tone_button.clicked.connect(self._play_tone)
        self.audio_note = QLabel(device_problem, self)
        self.audio_note.setObjectName("audioNote")
        self.audio_note.setWordWrap(True)
        audio = QFormLayout()
        audio.addRow("Microphone:", self._row(self.input_device, self.mic_button))
        audio.addRow("Speaker:", self._row(self.output_device, self.tone_button))
        audio.addRow(self.audio_note)

        self.voice = QComboBox(self)
        self.voice.addItem("Default voice", "")
        try:
            for vid, name in self.probes.voices():
                self.voice.addItem(name, vid)
        except Exception as e:  # no espeak-ng: the default entry stays, with the reason
            self.voice.setToolTip(f"Text-to-speech is unavailable: {e}")
        self._select(self.voice, config.tts_voice)
        self.rate = self._spin(60, 400, config.tts_rate, " words/min")
        voice = QFormLayout()
        voice.addRow("Voice:", self.voice)
        voice.addRow("Speaking rate:", self.rate)

        manifest = load_manifest()
        self.whisper = self._model_combo([e.name for e in manifest.values() if e.kind == "whisper"],
                                         config.whisper_model)
        self.device = QComboBox(self)
        self.device.addItems(list(DEVICES))
        self._select(self.device, config.device, by_text=True)
        self.llm = self._model_combo([e.name for e in manifest.values() if e.kind == "llm"], config.llm_model)
        browse = QPushButton("Browse\u2026", self)
        browse.clicked.connect(self._browse_llm)
        self.gpu_layers = self._spin(-1, 1000, config.n_gpu_layers, "")
        self.gpu_layers.setSpecialValueText("all (-1)")
        self.gpu_layers.setToolTip("Layers of the LLM to run on the GPU: 0 for none, -1 for all")
        models = QFormLayout()
        models.addRow("Whisper model:", self.whisper)
        models.addRow("Run models on:", self.device)
        models.addRow("LLM model:", self._row(self.llm, browse))
        models.addRow("LLM GPU layers:", self.gpu_layers)

        t = config.targets
        self.wpm_low = self._dspin(40, 300, t.wpm_low, " wpm", 0)
        self.wpm_high = self._dspin(40, 300, t.wpm_high, " wpm", 0)
        self.fillers_max = self._dspin(0, 50, t.fillers_per_100_max, " per 100 words", 1)
        self.long_pause = self._dspin(0.5, 20, t.long_pause_s, " s", 1)
        targets = QFormLayout()
        targets.addRow("Pace from:", self._row(self.wpm_low, QLabel("to", self), self.wpm_high))
        targets.addRow("Fillers at most:", self.fillers_max)
        targets.addRow("A long pause is:", self.long_pause)

        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   parent=self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        for name, title, form in (("audio", "Audio", audio), ("voice", "Question voice", voice),
                                  ("models", "Models", models), ("targets", "Delivery targets", targets)):
            tab = QWidget(self.tabs)
            tab.setObjectName(f"settings_{name}")
            box = QVBoxLayout(tab)
            box.addLayout(form)
            box.addStretch(1)
            self.tabs.addTab(tab, title)
        self.show_page(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def show_page(self, page: str) -> None:
        """Bring one tab to the front: one of `PAGES`."""
        if page not in PAGES:
            raise ValueError(f"page must be one of {', '.join(PAGES)}, got {page!r}")
        self.tabs.setCurrentIndex(PAGES.index(page))

    def page(self) -> str:
        return PAGES[self.tabs.currentIndex()]

    @classmethod
    def edit(cls, config: Config, path: Path, runner: TaskRunner, probes: SettingsProbes | None = None,
             parent: QWidget | None = None, *, page: str = "audio") -> Config | None:
        """Show the dialog modally; the saved settings, or None when cancelled."""
        dialog = cls(config, path, runner, probes, parent, page=page)
        try:
            return dialog.saved if dialog.exec() else None
        finally:
            dialog.deleteLater()

    # -- building --------------------------------------------------------------------------------------

    def _devices(self) -> tuple[list[audio_check.AudioDevice], str]:
        try:
            found = self.probes.devices()
        except VivaError as e:
            return [], f"{sentence(str(e))} The system default devices will be used."
        return found, "" if found else "No audio devices were found, so recording and playback will not work."

    def _row(self, *widgets: QWidget) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for i, w in enumerate(widgets):
            layout.addWidget(w, 1 if i == 0 else 0)
        return row

    def _device_combo(self, names: list[str], current: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(DEFAULT, "")
        for name in names:
            combo.addItem(name, name)
        if current and combo.findData(current) < 0:
            combo.addItem(f"{current} (not connected)", current)
        self._select(combo, current)
        return combo

    def _model_combo(self, names: list[str], current: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setEditable(True)  # a manifest name, or a path to a model of one's own
        combo.addItems(names)
        combo.setCurrentText(current)
        return combo

    def _spin(self, low: int, high: int, value: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        return spin

    def _dspin(self, low: float, high: float, value: float, suffix: str, decimals: int) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setRange(low, high)
        spin.setDecimals(decimals)
        spin.setValue(value)
        spin.setSuffix(suffix)
        return spin

    @staticmethod
    def _select(combo: QComboBox, value: str, by_text: bool = False) -> None:
        index = combo.findText(value) if by_text else combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    # -- saving ----------------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The form as a config mapping (settings the dialog does not show keep their current values)."""
        data = asdict(self.original)
        data.update(input_device=self.input_device.currentData() or "",
                    output_device=self.output_device.currentData() or "",
                    tts_voice=self.voice.currentData() or "", tts_rate=self.rate.value(),
                    whisper_model=self.whisper.currentText().strip(), device=self.device.currentText(),
                    llm_model=self.llm.currentText().strip(), n_gpu_layers=self.gpu_layers.value())
        data["targets"] = {"wpm_low": self.wpm_low.value(), "wpm_high": self.wpm_high.value(),
                           "fillers_per_100_max": self.fillers_max.value(), "long_pause_s": self.long_pause.value()}
        return data

    def validate(self) -> Config:
        cfg = config_mod.from_dict(self.values(), "settings")
        if cfg.targets.wpm_low >= cfg.targets.wpm_high:
            raise VivaError("the pace target's lower end must be below its upper end")
        if not cfg.whisper_model or not cfg.llm_model:
            raise VivaError("choose a Whisper model and an LLM model")
        check_models(cfg)
        return cfg

    def save(self) -> None:
        try:
            cfg = self.validate()
            save_config(cfg, self.path)
        except VivaError as e:
            self.error.setText(f"Not saved: {e}")
            return
        self.saved = cfg
        self.accept()

    # -- audio checks ----------------------------------------------------------------------------------

    def _browse_llm(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a GGUF model", str(Path.home()), "GGUF models (*.gguf)")
        if path:
            self.llm.setCurrentText(path)

    def _check_mic(self) -> None:
        device, probe = self.input_device.currentData() or "", self.probes.mic_level
        self.audio_note.setText("Listening for 1.5 s: say something\u2026")
        self.mic_button.setEnabled(False)
        Task(lambda: probe(device)).on_lane(AUDIO_CHECK) \
            .success(lambda level: self._audio_done(audio_check.describe_level(level))) \
            .failure(lambda e: self._audio_done(f"Microphone check failed: {e}")).run(self.runner)

    def _play_tone(self) -> None:
        device, probe = self.output_device.currentData() or "", self.probes.play_tone
        self.tone_button.setEnabled(False)
        Task(lambda: probe(device)).on_lane(AUDIO_CHECK) \
            .success(lambda _: self._audio_done("Played a test tone: did you hear it?")) \
            .failure(lambda e: self._audio_done(f"Test tone failed: {e}")).run(self.runner)

    def _audio_done(self, message: str) -> None:
        if not shiboken6.isValid(self):  # the dialog was closed while the check ran
            return
        self.mic_button.setEnabled(True)
        self.tone_button.setEnabled(True)
        self.audio_note.setText(message)
