"""Recording answers. Every recorder writes a 16 kHz mono WAV to disk as audio arrives.

`FileRecorder` streams an existing recording at real-time pace through the same path as the microphone:
it is how users analyse recordings they already have, and how CI exercises the recording path.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from app.audio import SAMPLE_RATE, iter_audio_blocks, rms_dbfs
from app.errors import DeviceError

BLOCK_S = 0.1
FLUSH_EVERY_S = 1.0
LevelCallback = Callable[[float], None]
BlockCallback = Callable[[np.ndarray], None]


def part_path(dest: Path) -> Path:
    """Where an answer's WAV is written until its header is on disk (_WavSink): a kill in between leaves it,
    holding no audio, and recovery removes it."""
    return dest.with_name(dest.name + ".part")


class Recorder(Protocol):
    def record(self, dest: Path, stop: threading.Event, on_level: LevelCallback | None = None,
               on_block: BlockCallback | None = None) -> Path:
        """Record into `dest` until `stop` is set (or the source ends); return `dest`. Each block of audio
        (16 kHz mono float32) goes to `on_block` as it arrives, e.g. to transcribe while recording."""
        ...


class _WavSink:
    """A 16-bit mono WAV written as audio arrives. Python's `wave` rewrites the header's sizes on every
    write, and the file is flushed and fsync'ed at least once a second: a crash, kill -9 or power cut loses
    at most about a second, and the file on disk stays a valid WAV (see `audio.repair_wav`)."""

    def __init__(self, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name until its header is on disk, then renamed (the open file follows):
        # a kill between creating the file and writing the header leaves no headerless WAV behind.
        part = part_path(dest)
        self.raw = part.open("wb")
        self.file = wave.open(self.raw, "wb")  # noqa: SIM115 - closed in close()
        self.file.setnchannels(1)
        self.file.setsampwidth(2)
        self.file.setframerate(SAMPLE_RATE)
        self.file.writeframes(b"")  # the header is on disk from the start
        self.sync()
        os.replace(part, dest)

    def sync(self) -> None:
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.last_sync = time.monotonic()

    def write(self, block: np.ndarray) -> None:
        pcm = (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2")
        self.file.writeframes(pcm.tobytes())
        if time.monotonic() - self.last_sync >= FLUSH_EVERY_S:
            self.sync()

    def close(self) -> None:
        self.file.close()  # patches the header
        if not self.raw.closed:
            self.sync()
            self.raw.close()


class FileRecorder:
    def __init__(self, source: Path, realtime: bool = True) -> None:
        self.source = source
        self.realtime = realtime

    def record(self, dest: Path, stop: threading.Event, on_level: LevelCallback | None = None,
               on_block: BlockCallback | None = None) -> Path:
        sink = _WavSink(dest)
        t0 = time.monotonic()
        try:
            for i, chunk in enumerate(iter_audio_blocks(self.source, BLOCK_S)):
                if stop.is_set():
                    break
                sink.write(chunk)
                if on_level:
                    on_level(rms_dbfs(chunk))
                if on_block:
                    on_block(chunk)
                if self.realtime:
                    # Pace by the clock, not by per-block sleeps, so timing errors never accumulate.
                    stop.wait(max(0.0, t0 + (i + 1) * BLOCK_S - time.monotonic()))
        finally:
            sink.close()
        return dest


class MicRecorder:
    """The microphone, through PortAudio (sounddevice)."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device = device or None

    @staticmethod
    def check(device: str | int | None = None) -> None:
        try:
            import sounddevice as sd

            sd.check_input_settings(device=device or None, samplerate=SAMPLE_RATE, channels=1)
        except Exception as e:
            raise DeviceError(f"no usable microphone ({e}); connect one or choose another input "
                              "device in settings") from None

    def record(self, dest: Path, stop: threading.Event, on_level: LevelCallback | None = None,
               on_block: BlockCallback | None = None) -> Path:
        import sounddevice as sd

        self.check(self.device)
        blocks: queue.Queue[np.ndarray] = queue.Queue()
        failed: list[str] = []

        def callback(indata: np.ndarray, frames: int, t: object, status: sd.CallbackFlags) -> None:
            blocks.put(indata[:, 0].copy())

        def finished() -> None:
            if not stop.is_set():
                failed.append("the input device stopped (unplugged?)")
                stop.set()

        sink = _WavSink(dest)
        try:
            with sd.InputStream(samplerate=SAMPLE_RATE, channels=1, dtype="float32", device=self.device,
                                blocksize=int(SAMPLE_RATE * BLOCK_S), callback=callback,
                                finished_callback=finished):
                while not stop.is_set() or not blocks.empty():
                    try:
                        chunk = blocks.get(timeout=0.2)
                    except queue.Empty:
                        continue
                    sink.write(chunk)
                    if on_level:
                        on_level(rms_dbfs(chunk))
                    if on_block:
                        on_block(chunk)
        except sd.PortAudioError as e:
            raise DeviceError(f"recording failed: {e}; what was recorded so far is kept in {dest}") from None
        finally:
            sink.close()
        if failed:
            raise DeviceError(f"recording stopped: {failed[0]}; what was recorded so far is kept in {dest}")
        return dest
