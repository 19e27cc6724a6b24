"""GUI tests run in a real, offscreen QApplication (pytest-qt), each with its own Viva data directory."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from app.audio_io import AudioIO  # noqa: E402
from app.config import Config  # noqa: E402
from app.paths import models_dir  # noqa: E402
from app.services import Services, build  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

SPEECH = ("tests/data/speech", "../shared/data/speech-dev")
REPO = Path(__file__).resolve().parents[2]


def speech_file(name: str) -> Path:
    """A recording from the test data, or from the shared development set while it is not copied yet."""
    for folder in SPEECH:
        path = (REPO / folder / name).resolve()
        if path.exists():
            return path
    pytest.skip(f"speech sample {name} not found in {' or '.join(SPEECH)}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if (models_dir() / "whisper-tiny.en" / "model.bin").exists():
        return
    skip = pytest.mark.skip(reason="models not fetched; run scripts/setup.sh")
    here = Path(__file__).parent
    for item in items:
        if "models" in item.keywords and item.path.is_relative_to(here):
            item.add_marker(skip)


@pytest.fixture
def cold_corpus_wav() -> Path:
    """25 s of semi-spontaneous speech ("I have a cold ...") with several "uh"s."""
    return speech_file("mfa_cold_corpus.wav")


@pytest.fixture(autouse=True)
def viva_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "viva-home"
    monkeypatch.setenv("VIVA_HOME", str(home))
    return home


@pytest.fixture
def services(viva_home: Path) -> Services:
    return build(Config())


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    w = MainWindow(services, warm_models=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.runner.shutdown()


STAR_ANSWER = ("Last year at my previous company, our fraud model was getting slower every week. "
               "Um, my goal was to bring the latency under fifty milliseconds. "
               "I profiled the service, and I rewrote the feature pipeline to batch requests. "
               "As a result, latency dropped by forty percent and we shipped on time.")


@pytest.fixture(scope="session")
def star_answer_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A STAR-shaped answer (with one "um") spoken by espeak-ng through the app's own speaker."""
    from app.errors import DeviceError
    from app.tts import Pyttsx3Speaker

    try:
        return Pyttsx3Speaker(rate=170).render(STAR_ANSWER, tmp_path_factory.mktemp("speech") / "star.wav")
    except DeviceError as e:
        pytest.skip(f"espeak-ng unavailable: {e}")


def file_audio(answers: dict[tuple[int, int], Path], played: list[Path] | None = None,
               realtime: bool = True) -> AudioIO:
    """Answers streamed from files ((position, take) -> file) through the microphone's path; the question's
    voice is rendered for real but "played" by noting the file; answers play back silently."""
    from app.player import ClockPlayer
    from app.recorder import FileRecorder

    def recorder(_q: object, position: int, take: int) -> FileRecorder:
        return FileRecorder(answers[(position, take)], realtime=realtime)

    def play_voice(path: Path, _stop: object) -> None:
        if played is not None:
            played.append(path)

    return AudioIO(recorder, play_voice, ClockPlayer)


def output_dir() -> Path:
    out = Path(os.environ.get("VIVA_TEST_OUTPUT", REPO / "test-output"))
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture
def speech() -> Callable[[str], Path]:
    """`speech(name)`: a recording from the test data (skips the test when it is missing)."""
    return speech_file


@pytest.fixture
def audio_from_files() -> Callable[..., AudioIO]:
    """`audio_from_files({(position, take): file}, played=None, realtime=True)`, see `file_audio`."""
    return file_audio


@pytest.fixture
def test_output() -> Path:
    """Where screenshots go: $VIVA_TEST_OUTPUT, default test-output/."""
    return output_dir()
