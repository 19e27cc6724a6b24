"""Reading and writing audio. Decoding goes through PyAV (FFmpeg), so any common format works and is
resampled to Whisper's 16 kHz mono; a file that is not audio gets a one-line AudioError."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import soundfile as sf

from app.errors import AudioError

SAMPLE_RATE = 16000


def _check_file(path: Path) -> None:
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if path.is_dir():
        raise AudioError(f"{path}: is a directory, not an audio file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: the file is empty")


def iter_audio_blocks(path: Path, block_s: float = 1.0) -> Iterator[np.ndarray]:
    """The file's audio as float32 mono 16 kHz blocks, decoded as it is read: memory stays bounded however
    long the recording is. Any sample rate or channel count is resampled and mixed down."""
    import av

    _check_file(path)
    # s16 like faster-whisper's own decoder: its down-mix keeps levels in range (float sums can exceed 1.0).
    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    block = int(block_s * SAMPLE_RATE)
    buf: list[np.ndarray] = []
    have = 0
    produced = 0
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{path}: has no audio stream")
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    samples = out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
                    buf.append(samples)
                    have += len(samples)
                    while have >= block:
                        joined = np.concatenate(buf)
                        yield joined[:block]
                        produced += block
                        buf, have = [joined[block:]], have - block
            for out in resampler.resample(None):
                buf.append(out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0)
    except AudioError:
        raise
    except Exception as e:  # PyAV raises many types for bad input; all mean "not readable audio"
        raise AudioError(f"{path}: not a readable audio file ({type(e).__name__}: {e})") from None
    tail = np.concatenate(buf) if buf else np.zeros(0, dtype=np.float32)
    if produced + len(tail) == 0:
        raise AudioError(f"{path}: contains no audio samples (empty or truncated)")
    if len(tail):
        yield tail


def load_audio(path: Path) -> np.ndarray:
    """The file's audio as float32 mono at 16 kHz."""
    _check_file(path)
    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as e:  # PyAV raises many types for bad input; all mean "not readable audio"
        raise AudioError(f"{path}: not a readable audio file ({type(e).__name__}: {e})") from None
    if audio.size == 0:
        raise AudioError(f"{path}: contains no audio samples (empty or truncated)")
    return np.asarray(audio, dtype=np.float32)


def repair_wav(path: Path) -> float:
    """Make a WAV cut short by a crash readable: fix its header's sizes from the file's real length.
    Returns the audio duration in seconds (0 when nothing but the header made it to disk)."""
    with path.open("r+b") as f:
        head = f.read(44)
        size = f.seek(0, 2)
        if len(head) < 44 or head[:4] != b"RIFF" or head[8:16] != b"WAVEfmt " or head[36:40] != b"data":
            raise AudioError(f"{path}: not a WAV file Viva wrote; cannot repair it")
        channels = int.from_bytes(head[22:24], "little")
        rate = int.from_bytes(head[24:28], "little")
        width = int.from_bytes(head[34:36], "little") // 8
        frame = max(1, channels * width)
        data = (size - 44) // frame * frame
        f.seek(4)
        f.write((36 + data).to_bytes(4, "little"))
        f.seek(40)
        f.write(data.to_bytes(4, "little"))
        f.truncate(44 + data)
    return data / frame / rate if rate else 0.0


def write_wav(path: Path, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), samples, sample_rate, subtype="PCM_16")


def duration_s(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    return float(len(samples)) / sample_rate


def rms_dbfs(samples: np.ndarray) -> float:
    """Level of a block in dBFS (-100 for digital silence), for level meters and silence checks."""
    if samples.size == 0:
        return -100.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return max(-100.0, 20.0 * float(np.log10(rms))) if rms > 0 else -100.0
