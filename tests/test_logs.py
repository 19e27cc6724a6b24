"""The log file: in $VIVA_HOME/logs (or the platform's log dir), rotated, written by the CLI entry, with
tracebacks for unexpected errors and one line on stderr."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from app.cli import library, main
from app.logs import LOG_NAME, current_log_file, log_dir, setup_logging, stop_logging


@pytest.fixture(autouse=True)
def _no_handler_left() -> Iterator[None]:
    yield
    stop_logging()


def test_log_dir_follows_viva_home_else_the_platform(tmp_path: Path) -> None:
    assert log_dir({"VIVA_HOME": str(tmp_path)}) == tmp_path / "logs"
    assert log_dir({}) == Path(platformdirs.user_log_dir("viva"))


def test_cli_logs_each_command_to_the_file(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "list", "--presets", "--json"]) == 0
    assert main(["show", "999"]) == 6
    log = home / "logs" / LOG_NAME
    assert current_log_file() == log
    text = log.read_text(encoding="utf-8")
    assert "viva bank: exit 0" in text
    assert "viva show: no session 999" in text and "ERROR" in text
    for d in (home, home / "logs"):  # a new data dir, first made for the log, is still private
        assert d.stat().st_mode & 0o077 == 0, d


def test_setting_up_twice_keeps_one_handler(tmp_path: Path) -> None:
    setup_logging(tmp_path / "a")
    setup_logging(tmp_path / "b")
    ours = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)
            and Path(h.baseFilename).name == LOG_NAME]
    assert [Path(h.baseFilename).parent.name for h in ours] == ["b"]


def test_log_rotates(tmp_path: Path) -> None:
    path = setup_logging(tmp_path, max_bytes=2_000, backups=2)
    assert path == tmp_path / LOG_NAME
    log = logging.getLogger("app.test")
    for n in range(300):
        log.info("line %d %s", n, "x" * 40)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [LOG_NAME, f"{LOG_NAME}.1", f"{LOG_NAME}.2"]
    assert all(p.stat().st_size <= 2_000 for p in tmp_path.iterdir())
    assert "line 299" in path.read_text(encoding="utf-8")


def test_unwritable_log_dir_does_not_stop_the_app(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert setup_logging(blocker / "logs") is None
    assert current_log_file() is None


def test_unexpected_error_is_one_line_on_stderr_and_a_traceback_in_the_log(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(_args: object) -> int:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(library, "cmd_sessions", broken)
    assert main(["sessions"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("viva: error: unexpected RuntimeError: something nobody expected; details in ")
    assert err[-1].endswith(str(home / "logs" / LOG_NAME))
    text = (home / "logs" / LOG_NAME).read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: something nobody expected" in text
