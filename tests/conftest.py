"""Shared fixtures. Tests use the real models fetched by scripts/setup.sh, real audio and a real SQLite file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback_judge import LlamaServer, serve_llama

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# As app.cli.main does: without it, each answer after the first transcribes 5-10x slower in one process
# (CTranslate2's OpenMP threads keep spinning once a transcription worker thread ends).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

SPEECH = Path(__file__).parent / "data" / "speech"


@pytest.fixture
def speech_dir() -> Path:
    return SPEECH


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh VIVA_HOME (data dir and config) for the test."""
    h = tmp_path / "viva-home"
    monkeypatch.setenv("VIVA_HOME", str(h))
    yield h


@pytest.fixture(scope="session")
def output_dir() -> Path:
    d = Path(os.environ.get("VIVA_TEST_OUTPUT", Path(__file__).parent.parent / "test-output"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """The small default model served over HTTP by llama.cpp's own server, with an API key, for the session."""
    with serve_llama(tmp_path_factory.mktemp("llama-server") / "server.log") as server:
        yield server
