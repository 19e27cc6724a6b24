"""Audio devices: what is there, whether the configured microphone and speaker are among them (Home checks
before an interview), a test tone and a microphone level check (the settings dialog). Listing is quick; the
tone and the level check block for about a second, so the dialog runs them on a background lane."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from app.audio import SAMPLE_RATE, rms_dbfs
from app.errors import DeviceError

TONE_HZ = 440.0
QUIET_DBFS = -50.0


@dataclass(frozen=True)
class AudioDevice:
    name: str
    inputs: int
    outputs: int


def list_devices() -> list[AudioDevice]:
    try:
        import sounddevice as sd

        found = sd.query_devices()
    except Exception as e:  # no PortAudio library, or no audio subsystem at all
        raise DeviceError(f"cannot list audio devices ({e})") from None
    return [AudioDevice(str(d["name"]), int(d["max_input_channels"]), int(d["max_output_channels"]))
            for d in found]


def rescan_devices() -> None:
    """Make PortAudio look for devices again. It lists them once, when first used, so a headset plugged in
    after Viva started is otherwise never seen (python-sounddevice #125: terminate and initialise again).
    That stops any open stream: call it only while nothing records or plays."""
    try:
        import sounddevice as sd

        sd._terminate()
        sd._initialize()
    except Exception as e:
        raise DeviceError(f"cannot look for audio devices again ({e})") from None


def play_tone(device: str, seconds: float = 0.7) -> None:
    t = np.arange(int(SAMPLE_RATE * seconds)) / SAMPLE_RATE
    fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.05)
    tone = (0.2 * np.sin(2 * np.pi * TONE_HZ * t) * fade).astype(np.float32)
    try:
        import sounddevice as sd

        sd.play(tone, SAMPLE_RATE, device=device or None, blocking=True)
    except Exception as e:
        raise DeviceError(f"cannot play on {device or 'the default output'} ({e})") from None


def mic_level(device: str, seconds: float = 1.5) -> float:
    """Record `seconds` from the input device; the loudest 100 ms block's level in dBFS."""
    try:
        import sounddevice as sd

        audio = sd.rec(int(SAMPLE_RATE * seconds), samplerate=SAMPLE_RATE, channels=1, dtype="float32",
                       device=device or None, blocking=True)[:, 0]
    except Exception as e:
        raise DeviceError(f"cannot record from {device or 'the default input'} ({e})") from None
    block = SAMPLE_RATE // 10
    return max((rms_dbfs(audio[i:i + block]) for i in range(0, len(audio), block)), default=-100.0)


def describe_level(dbfs: float) -> str:
    if dbfs < QUIET_DBFS:
        return f"Very quiet ({dbfs:.0f} dBFS): is the microphone muted or the wrong device?"
    if dbfs > -3:
        return f"Very loud ({dbfs:.0f} dBFS): lower the input gain to avoid distortion."
    return f"The microphone works ({dbfs:.0f} dBFS while you spoke)."


@dataclass(frozen=True)
class DeviceReport:
    """What Home and the interview need to know: is there a microphone to record from and a speaker to read
    the questions aloud on (the configured ones, or the system's when none is configured)."""

    microphone: str | None  # the input device's name; None when there is none
    speaker: str | None
    wanted_input: str = ""  # the devices the settings name ("" for the system default)
    wanted_output: str = ""
    problem: str = ""  # why the devices could not be listed at all ("" when they could)

    @property
    def ok(self) -> bool:
        return self.microphone is not None and self.speaker is not None

    def message(self) -> str:
        """What is wrong, in plain sentences ("" when nothing is)."""
        if self.ok:
            return ""
        if self.problem:
            return (f"Viva cannot use the sound system, so it can neither record your answers nor read the "
                    f"questions aloud. The system said: {self.problem.rstrip('.')}.")
        missing = []
        if self.microphone is None:
            missing.append(f"The microphone chosen in Settings ({self.wanted_input}) is not connected, so Viva "
                           "cannot record your answers." if self.wanted_input else
                           "No microphone was found, so Viva cannot record your answers.")
        if self.speaker is None:
            missing.append(f"The speaker chosen in Settings ({self.wanted_output}) is not connected, so the "
                           "questions are shown but not read aloud." if self.wanted_output else
                           "No speaker was found, so the questions are shown but not read aloud.")
        return " ".join(missing)


def find_device(found: Sequence[AudioDevice], wanted: str, *, inputs: bool) -> str | None:
    """The device that `wanted` names as sounddevice reads it (an index, or all or part of a name; "" for the
    first device of the right kind), if it is there and has channels in that direction."""
    usable = [d for d in found if (d.inputs if inputs else d.outputs) > 0]
    if not wanted:
        return usable[0].name if usable else None
    if wanted.isdigit():
        index = int(wanted)
        return found[index].name if index < len(found) and found[index] in usable else None
    exact = [d for d in usable if d.name == wanted]
    partial = [d for d in usable if wanted.lower() in d.name.lower()]
    match = exact or partial
    return match[0].name if match else None


def check_devices(found: Sequence[AudioDevice], input_device: str = "", output_device: str = "") -> DeviceReport:
    """Whether the configured (or default) microphone and speaker are among `found`."""
    return DeviceReport(find_device(found, input_device, inputs=True), find_device(found, output_device, inputs=False),
                        input_device, output_device)


def probe_devices(input_device: str = "", output_device: str = "",
                  lister: Callable[[], list[AudioDevice]] = list_devices) -> DeviceReport:
    """`check_devices` over what the system lists now; a sound system that cannot be reached is a report too."""
    try:
        found = lister()
    except DeviceError as e:
        return DeviceReport(None, None, input_device, output_device, problem=str(e))
    return check_devices(found, input_device, output_device)
