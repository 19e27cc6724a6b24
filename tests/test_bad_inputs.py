"""Every bad input gets a clear one-line message and loses nothing (issue 7's table, one test per row)."""

from __future__ import annotations

import os
import shutil
import stat
import threading
import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.audio import SAMPLE_RATE, load_audio
from app.cli import main
from app.errors import DeviceError, ModelError, StoreError
from app.modelstore import load_manifest, require
from app.practice import analyze_file
from app.recorder import MicRecorder
from app.speech.transcribe import WhisperTranscriber
from app.store import Store

SPEECH = Path(__file__).parent / "data" / "speech"


def one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str], code: int, needle: str) -> None:
    got = main(argv)
    out, err = capsys.readouterr()
    assert got == code, err
    assert err.count("\n") == 1 and err.startswith("viva: error: ") and needle in err, err


def test_no_input_device(home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # CI machines have no microphone at all; on a desktop, name a device that does not exist.
    monkeypatch.setenv("VIVA_HOME", str(home))
    (home).mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('input_device = "no such microphone 12345"\n')
    one_line_error(capsys, ["practice", "--preset", "quick-3", "--no-tts"], 7, "microphone")


class _UnpluggedStream:
    """sounddevice.InputStream at the hardware edge: delivers real recorded audio, then the device vanishes."""

    def __init__(self, *, callback, finished_callback, blocksize, **_: object) -> None:  # type: ignore[no-untyped-def]
        self.callback, self.finished, self.blocksize = callback, finished_callback, blocksize
        self.audio = load_audio(SPEECH / "whisper_jfk.flac")[: SAMPLE_RATE * 3]

    def __enter__(self) -> _UnpluggedStream:
        def run() -> None:
            for i in range(0, len(self.audio), self.blocksize):
                self.callback(self.audio[i:i + self.blocksize, None], self.blocksize, None, None)
            self.finished()

        threading.Thread(target=run).start()
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def test_device_unplugged_mid_recording_keeps_the_audio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sounddevice as sd

    monkeypatch.setattr(sd, "InputStream", _UnpluggedStream)
    monkeypatch.setattr(MicRecorder, "check", staticmethod(lambda device=None: None))
    dest = tmp_path / "take.wav"
    with pytest.raises(DeviceError, match="unplugged") as e:
        MicRecorder().record(dest, threading.Event())
    assert "\n" not in str(e.value) and str(dest) in str(e.value)
    with wave.open(str(dest)) as w:
        assert abs(w.getnframes() / w.getframerate() - 3.0) < 0.11


@pytest.mark.models
def test_one_second_answer(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = tmp_path / "short.wav"
    audio = load_audio(SPEECH / "whisper_jfk.flac")
    sf.write(str(clip), audio[int(SAMPLE_RATE * 0.3): int(SAMPLE_RATE * 1.3)], SAMPLE_RATE)
    code = main(["analyze", str(clip), "--json"])
    out, err = capsys.readouterr()
    if code == 0:
        assert '"words"' in out
    else:  # too short to hear anything is a clear "no speech", not a crash
        assert code == 4 and "no speech" in err and err.count("\n") == 1


@pytest.mark.models
def test_twenty_minute_answer_in_bounded_memory(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    speech = load_audio(SPEECH / "whisper_jfk.flac")
    path = tmp_path / "long.wav"
    with sf.SoundFile(str(path), "w", samplerate=SAMPLE_RATE, channels=1, subtype="PCM_16") as f:
        for minute in range(20):
            if minute in (0, 10, 19):
                f.write(speech)
            f.write(rng.standard_normal(SAMPLE_RATE * 60).astype(np.float32) * 0.0005)
    assert path.stat().st_size > 20 * 60 * SAMPLE_RATE * 2
    transcriber = WhisperTranscriber(require(load_manifest()["whisper-tiny.en"]), method="plain")
    transcriber.load()
    tracemalloc.start()
    a = analyze_file(path, transcriber)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert a.transcript.duration_s > 20 * 60
    assert a.transcript.text.lower().count("country") >= 5  # the speech at 0, 10 and 19 minutes
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.0f} MB: the whole file was held in memory"


@pytest.mark.parametrize("kind", ["truncated", "garbage", "empty", "text"])
def test_corrupt_audio_files(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    path = tmp_path / f"{kind}.wav"
    data = (SPEECH / "librispeech_1272-128104-0000.wav").read_bytes()
    path.write_bytes({"truncated": data[:30], "garbage": os.urandom(5000), "empty": b"",
                      "text": b"hello, this is a text file"}[kind])
    one_line_error(capsys, ["analyze", str(path)], 4, str(path))


@pytest.mark.models
@pytest.mark.parametrize("rate,channels", [(8000, 1), (44100, 2), (48000, 6)])
def test_any_sample_rate_or_channel_count_is_resampled(tmp_path: Path, rate: int, channels: int) -> None:
    speech = load_audio(SPEECH / "librispeech_1272-128104-0000.wav")
    idx = np.linspace(0, len(speech) - 1, int(len(speech) * rate / SAMPLE_RATE))
    resampled = np.interp(idx, np.arange(len(speech)), speech).astype(np.float32)
    path = tmp_path / f"{rate}x{channels}.flac"
    sf.write(str(path), np.repeat(resampled[:, None], channels, axis=1) / channels, rate)
    a = analyze_file(path, WhisperTranscriber(require(load_manifest()["whisper-tiny.en"]), method="plain"))
    assert "apostle" in a.transcript.text.lower() or "middle classes" in a.transcript.text.lower()


@pytest.mark.models
@pytest.mark.parametrize("damage", ["missing", "truncated", "wrong"])
def test_broken_whisper_model(tmp_path: Path, damage: str) -> None:
    good = require(load_manifest()["whisper-tiny.en"])
    model = tmp_path / "whisper"
    shutil.copytree(good, model)
    if damage == "missing":
        (model / "model.bin").unlink()
    elif damage == "truncated":
        with (model / "model.bin").open("r+b") as f:
            f.truncate(1000)
    else:
        (model / "model.bin").write_bytes(b"GGUF" + os.urandom(4096))
    with pytest.raises(ModelError) as e:
        WhisperTranscriber(model).load()
    assert "\n" not in str(e.value) and "make setup" in str(e.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_data_dir(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    with pytest.raises(StoreError):
        Store(ro / "data")


def test_unwritable_data_dir(tmp_path: Path) -> None:
    # A file where the data directory should be fails like a read-only mount, even for root.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StoreError) as e:
        Store(blocker / "data")
    assert "\n" not in str(e.value)


def test_full_disk_loses_nothing_already_saved(home: Path) -> None:
    store = Store(home)
    kept = store.create_session("quick-3")
    # SQLite's own limit on pages makes every further write fail with SQLITE_FULL, as a full disk does.
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="full") as e:
        for _ in range(1000):
            store.create_session("x" * 2000, title="y" * 2000)
    assert "\n" not in str(e.value)
    store.db.execute("PRAGMA max_page_count = 1073741823")
    assert store.session(kept).preset == "quick-3"
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_database_from_a_newer_version(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(home)
    store.db.execute("INSERT INTO _migrations VALUES ('999_from_the_future', '2030-01-01')")
    store.db.conn.close()
    one_line_error(capsys, ["sessions"], 6, "newer Viva")
