"""Playing back a recorded answer with a position the review can follow word by word.

`Player` is all the review needs. `SoundDevicePlayer` plays through PortAudio on the app's output device
(PySide6-Essentials has no QtMultimedia); `ClockPlayer` keeps the same timeline without sound, for a
computer with no audio output and for tests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import soundfile as sf

from app.errors import AudioError, DeviceError


class Player(Protocol):
    duration: float

    def load(self, path: Path) -> None:
        """Open `path` (stopped, at 0 s). Raises AudioError when it cannot be read."""
        ...

    def play(self) -> None:
        """Start or resume from the current position (from 0 s when at the end). May raise DeviceError."""
        ...

    def pause(self) -> None: ...

    def seek(self, seconds: float) -> None: ...

    def position(self) -> float: ...

    def is_playing(self) -> bool: ...

    def close(self) -> None: ...


def _duration(path: Path) -> float:
    try:
        return float(sf.info(str(path)).duration)
    except Exception as e:  # soundfile raises RuntimeError/LibsndfileError/OSError for unreadable files
        raise AudioError(f"{path}: cannot play this recording ({e})") from None


class ClockPlayer:
    """A silent player: the position moves with the clock, so highlighting works without a sound card."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.duration = 0.0
        self._base = 0.0
        self._started: float | None = None

    def load(self, path: Path) -> None:
        self.duration = _duration(path)
        self._base, self._started = 0.0, None

    def play(self) -> None:
        if self._base >= self.duration:
            self._base = 0.0
        self._started = self._clock()

    def pause(self) -> None:
        self._base, self._started = self.position(), None

    def seek(self, seconds: float) -> None:
        self._base = min(max(0.0, seconds), self.duration)
        if self._started is not None:
            self._started = self._clock()

    def position(self) -> float:
        if self._started is None:
            return self._base
        pos = self._base + self._clock() - self._started
        if pos >= self.duration:
            self._base, self._started = self.duration, None
            return self.duration
        return pos

    def is_playing(self) -> bool:
        return self._started is not None and self.position() < self.duration

    def close(self) -> None:
        self._started = None


class SoundDevicePlayer:
    """Plays through sounddevice's callback stream; the position is the next frame to be played."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device = device or None
        self.duration = 0.0
        self._data = np.zeros((0, 1), dtype=np.float32)
        self._rate = 16000
        self._frame = 0
        self._lock = threading.Lock()
        self._stream: Any = None

    def load(self, path: Path) -> None:
        self.close()
        try:
            data, rate = sf.read(str(path), dtype="float32", always_2d=True)
        except Exception as e:
            raise AudioError(f"{path}: cannot play this recording ({e})") from None
        self._data, self._rate, self._frame = data, int(rate), 0
        self.duration = len(data) / self._rate

    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        import sounddevice as sd

        with self._lock:
            start = self._frame
            chunk = self._data[start:start + frames]
            self._frame = start + len(chunk)
        outdata[:len(chunk)] = chunk
        outdata[len(chunk):] = 0
        if len(chunk) < frames:
            raise sd.CallbackStop

    def play(self) -> None:
        self.close()
        if self._frame >= len(self._data):
            self._frame = 0
        try:
            import sounddevice as sd

            self._stream = sd.OutputStream(samplerate=self._rate, channels=self._data.shape[1], dtype="float32",
                                           device=self.device, callback=self._callback)
            self._stream.start()
        except Exception as e:
            self._stream = None
            raise DeviceError(f"no usable audio output ({e}); choose another output device in settings") from None

    def pause(self) -> None:
        self.close()

    def seek(self, seconds: float) -> None:
        with self._lock:
            self._frame = int(min(max(0.0, seconds), self.duration) * self._rate)

    def position(self) -> float:
        return self._frame / self._rate

    def is_playing(self) -> bool:
        if self._stream is None:
            return False
        try:
            return bool(self._stream.active)
        except Exception:  # the device went away, or the sound system was re-initialised (devices.rescan_devices)
            return False

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception:  # an unplugged device: nothing left to stop
                pass
