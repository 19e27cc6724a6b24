"""The microphone and speaker check Home runs: which device the settings name, and what is said when one is
missing (plain sentences)."""

from __future__ import annotations

from app.devices import (
    AudioDevice,
    DeviceReport,
    check_devices,
    find_device,
    list_devices,
    probe_devices,
    rescan_devices,
)
from app.errors import DeviceError

FOUND = [AudioDevice("HDA Intel: ALC (hw:0,0)", 2, 2), AudioDevice("USB Mic", 1, 0), AudioDevice("HDMI out", 0, 8)]


def test_the_default_is_the_first_device_of_its_kind() -> None:
    report = check_devices(FOUND)
    assert report == DeviceReport("HDA Intel: ALC (hw:0,0)", "HDA Intel: ALC (hw:0,0)")
    assert report.ok and report.message() == ""


def test_a_configured_device_is_found_by_index_or_name_as_sounddevice_reads_it() -> None:
    assert find_device(FOUND, "1", inputs=True) == "USB Mic"
    assert find_device(FOUND, "2", inputs=True) is None  # HDMI has no inputs
    assert find_device(FOUND, "9", inputs=False) is None
    assert find_device(FOUND, "usb", inputs=True) == "USB Mic"
    assert find_device(FOUND, "HDMI out", inputs=False) == "HDMI out"
    assert find_device(FOUND, "USB Mic", inputs=False) is None


def test_nothing_found_says_both_in_sentences() -> None:
    report = check_devices([])
    assert not report.ok
    assert report.message() == ("No microphone was found, so Viva cannot record your answers. No speaker was "
                                "found, so the questions are shown but not read aloud.")


def test_a_configured_device_that_is_gone_is_named() -> None:
    report = check_devices([AudioDevice("Speakers", 0, 2)], input_device="Old headset")
    assert report.microphone is None and report.speaker == "Speakers"
    assert report.message() == ("The microphone chosen in Settings (Old headset) is not connected, so Viva cannot "
                                "record your answers.")


def test_a_sound_system_that_cannot_be_reached_is_a_report_too() -> None:
    def broken() -> list[AudioDevice]:
        raise DeviceError("cannot list audio devices (PortAudio library not found)")

    report = probe_devices("", "", broken)
    assert report.microphone is None and report.speaker is None
    message = report.message()
    assert message.startswith("Viva cannot use the sound system, so it can neither record your answers nor read")
    assert message.endswith("The system said: cannot list audio devices (PortAudio library not found).")
    assert probe_devices("", "", lambda: FOUND).ok


def test_looking_again_reinitialises_the_real_sound_system_and_listing_still_works() -> None:
    before = list_devices()  # this machine's PortAudio, whatever it lists (CI has no sound card)
    rescan_devices()
    rescan_devices()
    assert list_devices() == before
