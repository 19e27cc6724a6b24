"""The log file: one rotating `viva.log` in the platform's log directory (or `$VIVA_HOME/logs`).

Set up once, by the entry point (`app.cli.main`), from the directory it is given; library code only calls
`logging.getLogger(__name__)`. A log directory that cannot be created never stops the app: it runs without
a log file. Answers (transcripts, audio) are never logged, only what happened and what went wrong.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from app.paths import APP_NAME, data_dir

LOG_NAME = "viva.log"
MAX_BYTES = 1_000_000  # rotate at ~1 MB ...
BACKUPS = 3  # ... keeping viva.log.1 .. viva.log.3
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def log_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$VIVA_HOME/logs` when VIVA_HOME is set, else the platform's user log dir (~/.local/state/viva/log)."""
    env = os.environ if environ is None else environ
    if env.get("VIVA_HOME"):
        return data_dir(env) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME))


def _private_dirs(path: Path) -> None:
    """Create `path` and every missing parent readable by the user only (the log dir may be the first thing
    made inside a new $VIVA_HOME, which must stay private)."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700, exist_ok=True)


class _VivaHandler(RotatingFileHandler):
    """Marks the handler Viva installed, so a second set-up replaces it instead of adding another."""


def setup_logging(directory: Path | None = None, level: int = logging.INFO, max_bytes: int = MAX_BYTES,
                  backups: int = BACKUPS) -> Path | None:
    """Send log records (Viva's and its libraries') to `directory/viva.log`, rotated at `max_bytes`.

    Returns the log file's path, or None when the directory cannot be written (no log file then)."""
    stop_logging()
    root = logging.getLogger()
    path = (directory or log_dir()) / LOG_NAME
    try:
        _private_dirs(path.parent)
        handler = _VivaHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def current_log_file() -> Path | None:
    """The file Viva logs to now (None before `setup_logging`, or when it could not open one)."""
    for h in logging.getLogger().handlers:
        if isinstance(h, _VivaHandler):
            return Path(h.baseFilename)
    return None


def stop_logging() -> None:
    """Close and remove the handler `setup_logging` installed (a no-op when there is none)."""
    root = logging.getLogger()
    for h in [h for h in root.handlers if isinstance(h, _VivaHandler)]:
        root.removeHandler(h)
        h.close()
