"""`viva import`: recordings made elsewhere (mp3 from a phone, m4a, ogg, webm from a video call), encoded here
with FFmpeg's real encoders through PyAV, are analysed with the real models and show up in history."""

from __future__ import annotations

import json
import threading
import wave
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf

from app.audio import SAMPLE_RATE, load_audio, write_wav
from app.cli import main
from app.domain import Transcript, Word
from app.errors import ModelError
from app.importing import convert_to_wav, import_recordings
from app.recovery import interrupted_sessions
from app.store import Store

SPEECH = Path(__file__).parent / "data" / "speech"
JFK = SPEECH / "whisper_jfk.flac"
SHORT = SPEECH / "mfa_youknow.flac"  # under 8 s: always one segment, so one transcribe() call per file
QUESTION = "beh-proud-project"

# (extension, encoder, sample rate, channel layout): what phones and video-call apps write.
FORMATS = {
    "mp3": ("libmp3lame", 44100, "stereo"),
    "m4a": ("aac", 16000, "mono"),
    "ogg": ("libopus", 48000, "mono"),
    "webm": ("libopus", 48000, "stereo"),
}


def encode(src: Path, dest: Path, codec: str, rate: int, layout: str) -> Path:
    """Re-encode `src` with one of FFmpeg's encoders (the container follows dest's extension)."""
    audio = load_audio(src)
    with av.open(str(dest), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        assert isinstance(stream, av.audio.stream.AudioStream)
        resampler = av.AudioResampler(format=stream.format.name, layout=layout, rate=rate)
        frame = av.AudioFrame.from_ndarray(audio.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for f in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return dest


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("recorded-elsewhere")
    out = {ext: encode(JFK, d / f"answer.{ext}", *spec) for ext, spec in FORMATS.items()}
    for ext, path in out.items():  # really that format, not a WAV with another name
        with av.open(str(path)) as c:
            assert c.streams.audio[0].codec_context.name.startswith(("mp3", "aac", "opus")), ext
    return out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_convert_to_wav_decodes_any_format(recordings: dict[str, Path], tmp_path: Path) -> None:
    for ext, path in recordings.items():
        dest = tmp_path / f"{ext}.wav"
        seconds = convert_to_wav(path, dest)
        info = sf.info(str(dest))
        assert (info.samplerate, info.channels, info.subtype) == (SAMPLE_RATE, 1, "PCM_16"), ext
        assert 10.9 < seconds < 11.2 and info.frames == round(seconds * SAMPLE_RATE), ext


def test_convert_to_wav_leaves_nothing_for_a_bad_file(tmp_path: Path) -> None:
    from app.errors import AudioError

    bad = tmp_path / "notes.mp3"
    bad.write_text("this is not audio")
    with pytest.raises(AudioError, match="not a readable audio file"):
        convert_to_wav(bad, tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()


@pytest.mark.models
def test_mp3_recorded_elsewhere_imports_and_appears_in_history(
        home: Path, recordings: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", str(recordings["mp3"]), "--question", QUESTION, "--json")
    assert code == 0, err
    result = json.loads(out)
    sid = result["session_id"]
    [item] = result["imported"]
    assert item["status"] == "analysed" and item["file"] == str(recordings["mp3"])
    assert "country" in item["analysis"]["transcript"]["text"].lower()
    assert item["analysis"]["rubric"]["rubric"] == "star"

    code, out, _ = run(capsys, "sessions", "--json")
    [session] = [s for s in json.loads(out) if s["id"] == sid]
    assert session["title"] == "import" and session["status"] == "completed" and session["attempts"] == 1

    code, out, _ = run(capsys, "show", str(sid), "--json")
    shown = json.loads(out)
    [attempt] = shown["attempts"]
    assert attempt["id"] == item["attempt_id"] and attempt["question_id"] == QUESTION
    assert attempt["status"] == "analysed" and attempt["kind"] == "behavioral"
    assert "ask not what your country can do for you" in attempt["transcript"]["text"].lower()
    assert attempt["results"] and attempt["results"][-1]["rubric"] == "star"
    # The audio is kept as a WAV in the data dir, stored by relative path, playable like a practised answer.
    audio = Store(home).absolute(attempt["audio_path"])
    assert not Path(attempt["audio_path"]).is_absolute() and audio.is_relative_to(home)
    with wave.open(str(audio)) as w:
        assert (w.getframerate(), w.getnchannels()) == (SAMPLE_RATE, 1)
        assert 10.9 < w.getnframes() / SAMPLE_RATE < 11.2

    code, out, _ = run(capsys, "show", str(sid))
    assert code == 0 and "Session" in out and "(import)" in out and "country" in out.lower()
    code, out, _ = run(capsys, "trends", "--json")
    assert any(p["attempt_id"] == attempt["id"] for p in json.loads(out))


@pytest.mark.models
def test_every_common_format_imports_into_one_session(
        home: Path, recordings: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wav = tmp_path / "answer.wav"
    write_wav(wav, load_audio(JFK))
    files = [JFK, wav, *(recordings[ext] for ext in ("m4a", "ogg", "webm"))]
    code, out, err = run(capsys, "import", *map(str, files), "--question-text", "What would you ask?",
                         "--no-llm", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert [i["status"] for i in result["imported"]] == ["analysed"] * 5
    attempts = Store(home).attempts(result["session_id"])
    assert [a.position for a in attempts] == [1, 2, 3, 4, 5]
    for a, f in zip(attempts, files, strict=True):
        assert a.question_text == "What would you ask?" and a.question_id is None
        assert "your country" in a.text.lower(), f.suffix
        assert 120 < (a.wpm or 0) < 140, f.suffix  # the same 11 s clip: the same pace whatever the format
        assert a.results == ()  # no kind given: delivery only


@pytest.mark.models
def test_unreadable_and_silent_files(home: Path, recordings: dict[str, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "voice-memo.m4a"
    bad.write_bytes(b"\x00\x01not really audio" * 100)
    silent = tmp_path / "silence.wav"
    write_wav(silent, np.zeros(3 * SAMPLE_RATE, dtype=np.float32))
    code, out, err = run(capsys, "import", str(bad), str(recordings["ogg"]), str(silent), "--no-llm", "--json")
    assert code == 4
    result = json.loads(out)
    assert [i["status"] for i in result["imported"]] == ["unreadable", "analysed", "no_speech"]
    assert "voice-memo.m4a: not a readable audio file" in err and "(skipped)" in err
    assert "silence.wav" in err and "kept in the session" in err
    attempts = Store(home).attempts(result["session_id"])
    assert [(a.position, a.status) for a in attempts] == [(1, "analysed"), (2, "no_speech")]

    # Nothing readable at all: an error, and no empty session left behind.
    code, out, err = run(capsys, "import", str(bad), "--json")
    assert code == 4 and json.loads(out)["session_id"] is None
    _, out, _ = run(capsys, "sessions", "--json")
    assert [s["id"] for s in json.loads(out)] == [result["session_id"]]


def test_unknown_question_is_a_bank_error(home: Path, recordings: dict[str, Path],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", str(recordings["mp3"]), "--question", "no-such-question")
    assert code == 5 and "no question 'no-such-question'" in err
    assert Store(home).sessions() == []


class ScriptedTranscriber:
    """Stands in for Whisper where a test needs a failure at a given answer: the n-th call raises (one call
    per file for files shorter than the streaming transcriber's shortest segment)."""

    name = "scripted"

    def __init__(self, fail_on: int, error: BaseException) -> None:
        self.calls = 0
        self.fail_on = fail_on
        self.error = error

    def transcribe(self, audio: np.ndarray) -> Transcript:
        self.calls += 1
        if self.calls == self.fail_on:
            raise self.error
        words = tuple(Word(w, 0.5 * i, 0.5 * i + 0.4) for i, w in enumerate(["we", "shipped", "the", "model"]))
        return Transcript(words, len(audio) / SAMPLE_RATE, model=self.name)


def test_a_failure_before_anything_is_stored_leaves_no_session(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    with pytest.raises(ModelError):
        import_recordings([SHORT, SHORT], store, ScriptedTranscriber(1, ModelError("model gone")))
    assert store.sessions() == []
    assert not list((tmp_path / "home" / "audio").glob("session-*"))


def test_an_interrupted_import_keeps_its_answers_for_recover(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    with pytest.raises(KeyboardInterrupt):
        import_recordings([SHORT, SHORT, SHORT], store, ScriptedTranscriber(2, KeyboardInterrupt()))
    [session] = store.sessions()
    assert session.status == "interrupted" and session.title == "import"
    statuses = [a.status for a in store.attempts(session.id)]
    assert statuses == ["analysed", "recording"]  # the second answer's WAV is kept, unfinished
    assert [r.id for r in interrupted_sessions(store)] == [session.id]  # `viva recover` will find it


def test_cancel_stops_between_files(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    cancel = threading.Event()
    result = import_recordings([SHORT, SHORT], store, ScriptedTranscriber(0, RuntimeError()),
                               progress=lambda m: cancel.set() if "transcribing" in m else None, cancel=cancel)
    assert [i.status for i in result.items] == ["analysed"]
    assert store.session(result.session_id or 0).status == "cancelled"
