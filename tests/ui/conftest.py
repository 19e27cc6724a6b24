"""GUI tests run in a real, offscreen QApplication (pytest-qt), each with its own Viva data directory."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

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
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.runner.shutdown()
