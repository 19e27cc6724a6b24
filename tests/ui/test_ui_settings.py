"""Settings: devices (with fake probes: no sound card needed), voice, models and targets saved to the user's
config file as TOML that the core reads back; invalid values are explained, not saved."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import config as config_mod
from app.config import Config, Targets
from app.config_toml import save_config, to_toml
from app.devices import AudioDevice, describe_level
from app.errors import DeviceError
from app.paths import config_file
from app.ui.dialogs.settings import SettingsDialog, SettingsProbes
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner

DEVICES = [AudioDevice("USB mic", 1, 0), AudioDevice("Speakers", 0, 2), AudioDevice("Headset", 1, 2)]


def probes(tone: list[str], level: float = -20.0) -> SettingsProbes:
    return SettingsProbes(devices=lambda: DEVICES, play_tone=tone.append, mic_level=lambda _d: level,
                          voices=lambda: [("en-us", "English (America)"), ("fr", "French")])


@pytest.fixture
def runner(qtbot: QtBot) -> TaskRunner:
    return TaskRunner()


def test_config_toml_round_trips(tmp_path: Path) -> None:
    cfg = Config(whisper_model="whisper-base", n_gpu_layers=-1, tts_voice='en "quoted" \\ voice', tts_rate=150,
                 input_device="Mic \u00e9", targets=Targets(wpm_low=120.0, fillers_per_100_max=2.5))
    path = tmp_path / "c" / "config.toml"
    save_config(cfg, path)
    assert config_mod.load(path) == cfg
    assert to_toml(Config()).splitlines()[1:] == []  # defaults are not written
    assert "[targets]" in path.read_text(encoding="utf-8") and "wpm_high" not in path.read_text(encoding="utf-8")


def test_settings_are_saved_and_read_back(qtbot: QtBot, runner: TaskRunner, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    tone: list[str] = []
    d = SettingsDialog(Config(), path, runner, probes(tone))
    qtbot.addWidget(d)
    assert [d.input_device.itemText(i) for i in range(d.input_device.count())] == [
        "System default", "USB mic", "Headset"]
    assert [d.output_device.itemText(i) for i in range(d.output_device.count())] == [
        "System default", "Speakers", "Headset"]
    d.input_device.setCurrentIndex(1)
    d.output_device.setCurrentIndex(2)
    d.voice.setCurrentIndex(d.voice.findData("fr"))
    d.rate.setValue(190)
    d.gpu_layers.setValue(-1)
    d.wpm_low.setValue(120)
    d.long_pause.setValue(3.0)

    d.tone_button.click()
    qtbot.waitUntil(lambda: d.audio_note.text() == "Played a test tone: did you hear it?")
    assert tone == ["Headset"]
    d.mic_button.click()
    qtbot.waitUntil(lambda: d.audio_note.text().startswith("The microphone works"))

    d.save()
    assert d.result() == SettingsDialog.DialogCode.Accepted and d.error.text() == ""
    saved = config_mod.load(path)
    assert saved == d.saved
    assert (saved.input_device, saved.output_device, saved.tts_voice, saved.tts_rate) == (
        "USB mic", "Headset", "fr", 190)
    assert saved.n_gpu_layers == -1 and saved.targets == Targets(wpm_low=120.0, long_pause_s=3.0)


def test_invalid_settings_are_explained_and_not_saved(qtbot: QtBot, runner: TaskRunner, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    d = SettingsDialog(Config(), path, runner, probes([]))
    qtbot.addWidget(d)
    d.wpm_low.setValue(170)
    d.save()
    assert d.error.text() == "Not saved: the pace target's lower end must be below its upper end"
    d.wpm_low.setValue(120)
    d.whisper.setCurrentText(str(tmp_path / "no-such-model"))
    d.save()
    assert d.error.text().startswith("Not saved: Whisper model not found in ")
    d.whisper.setCurrentText("whisper-tiny.en")
    d.llm.setCurrentText("nonexistent-model")
    d.save()
    assert "unknown LLM model 'nonexistent-model'" in d.error.text()
    assert not path.exists() and d.saved is None


def test_no_audio_devices_is_said_plainly(qtbot: QtBot, runner: TaskRunner, tmp_path: Path) -> None:
    def broken() -> list[AudioDevice]:
        raise DeviceError("cannot list audio devices (PortAudio library not found)")

    def no_mic(_device: str) -> float:
        raise DeviceError("cannot record from the default input (no device)")

    d = SettingsDialog(Config(input_device="Old mic"), tmp_path / "c.toml", runner,
                       SettingsProbes(devices=broken, mic_level=no_mic))
    qtbot.addWidget(d)
    assert "PortAudio library not found" in d.audio_note.text()
    assert d.input_device.currentText() == "Old mic (not connected)"
    d.mic_button.click()
    qtbot.waitUntil(lambda: d.audio_note.text().startswith("Microphone check failed: cannot record"))
    assert describe_level(-70).startswith("Very quiet")


def test_the_dialog_opens_on_the_tab_asked_for(qtbot: QtBot, runner: TaskRunner, tmp_path: Path) -> None:
    d = SettingsDialog(Config(), tmp_path / "c.toml", runner, probes([]), page="targets")
    qtbot.addWidget(d)
    assert d.page() == "targets" and d.tabs.tabText(d.tabs.currentIndex()) == "Delivery targets"
    d.show_page("audio")
    assert d.tabs.currentWidget().isAncestorOf(d.input_device)
    with pytest.raises(ValueError, match="page must be one of audio, voice, models, targets"):
        d.show_page("network")


def test_saving_in_the_window_applies_the_new_targets(window: MainWindow, qtbot: QtBot) -> None:
    new = replace(window.services.config, targets=Targets(wpm_low=100.0, wpm_high=140.0))
    save_config(new, config_file())
    window.apply_config(new)
    assert window.services.config.targets.wpm_low == 100.0
    assert window.interview.review.targets.wpm_high == 140.0
    assert window.controller.services is window.services
    assert "Settings saved" in window.statusBar().currentMessage()
