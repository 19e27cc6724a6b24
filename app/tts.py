"""Reading questions aloud: text -> WAV (pyttsx3 / espeak-ng) -> the same output device the app uses.

pyttsx3 2.99's espeak driver silently writes nothing for some multi-sentence texts, so text is rendered one
sentence at a time and the pieces are joined.
"""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path
from typing import Protocol

import numpy as np
import soundfile as sf

from app.errors import DeviceError

_SENTENCE = re.compile(r"(?<=[.?!])\s+")


class Speaker(Protocol):
    def render(self, text: str, dest: Path) -> Path:
        """Write `text` as speech to the WAV file `dest`."""
        ...


def _silence_driver() -> None:
    """pyttsx3's espeak driver prints "Audio saved to ..." from espeak's callback, possibly on another
    thread and after runAndWait returns, so redirecting stdout around the call does not catch it reliably
    (it leaked into `--json` output). Shadow `print` in that module instead."""
    import sys

    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is not None and getattr(driver, "print", None) is not _no_print:
        driver.print = _no_print  # type: ignore[attr-defined]


def _no_print(*_: object, **__: object) -> None:
    pass


class Pyttsx3Speaker:
    def __init__(self, voice: str = "", rate: int = 170) -> None:
        self.voice = voice
        self.rate = rate
        self._lock = threading.Lock()  # the engine is not thread-safe

    def _render_one(self, text: str, dest: Path) -> None:
        import pyttsx3

        try:
            engine = pyttsx3.init()
        except Exception as e:
            raise DeviceError(f"text-to-speech is unavailable ({e}); install espeak-ng") from None
        _silence_driver()
        if self.voice:
            engine.setProperty("voice", self.voice)
        engine.setProperty("rate", self.rate)
        engine.save_to_file(text, str(dest))
        engine.runAndWait()
        engine.stop()

    def render(self, text: str, dest: Path) -> Path:
        parts = [p for p in _SENTENCE.split(" ".join(text.split())) if p]
        if not parts:
            raise ValueError("nothing to say")
        chunks: list[np.ndarray] = []
        rate = 22050
        with self._lock, tempfile.TemporaryDirectory() as tmp:
            for i, part in enumerate(parts):
                piece = Path(tmp) / f"{i}.wav"
                self._render_one(part, piece)
                if not piece.exists() or piece.stat().st_size <= 44:
                    raise DeviceError(f"text-to-speech produced no audio for {part[:40]!r}")
                data, rate = sf.read(str(piece), dtype="float32", always_2d=False)
                chunks.append(data if data.ndim == 1 else data.mean(axis=1))
                chunks.append(np.zeros(int(rate * 0.25), dtype=np.float32))
        dest.parent.mkdir(parents=True, exist_ok=True)
        sf.write(str(dest), np.concatenate(chunks), rate, subtype="PCM_16")
        return dest

    def voices(self) -> list[tuple[str, str]]:
        import pyttsx3

        engine = pyttsx3.init()
        return [(v.id, v.name) for v in engine.getProperty("voices")]


def play(path: Path, device: str | int | None = None, stop: threading.Event | None = None) -> None:
    """Play a WAV on the output device; returns early when `stop` is set."""
    try:
        import sounddevice as sd

        data, rate = sf.read(str(path), dtype="float32")
        sd.play(data, rate, device=device or None)
        stream = sd.get_stream()
        while stream.active:
            if stop is not None and stop.wait(0.05):
                sd.stop()
                break
            if stop is None:
                sd.wait()
                break
    except Exception as e:
        raise DeviceError(f"no usable audio output ({e}); choose another output device in settings") from None
