"""Audio devices for the settings dialog: what is there, a test tone, and a microphone level check.
Each call may block for about a second, so the dialog runs them on a background lane."""

from __future__ import annotations

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
