"""Which sessions are being recorded right now: each running session holds an OS lock on a small file.

A session left 'in_progress' whose lock nobody holds was interrupted (crash, kill, power cut) and can be
recovered. The OS drops the lock when the process dies, however it dies.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class SessionLock:
    def __init__(self, data_dir: Path, session_id: int) -> None:
        self.path = data_dir / "locks" / f"session-{session_id:05d}.lock"
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        f = self.path.open("a")
        if fcntl is not None:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                f.close()
                return False
        f.write(f"{os.getpid()}\n")
        f.flush()
        self._file = f
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            with contextlib.suppress(OSError):
                self.path.unlink()

    def __enter__(self) -> SessionLock:
        if not self.acquire():
            raise RuntimeError(f"session lock {self.path} is held by another process")
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def is_running(data_dir: Path, session_id: int) -> bool:
    """Whether a live process holds the session's lock."""
    lock = SessionLock(data_dir, session_id)
    if not lock.path.exists():
        return False
    if lock.acquire():
        lock.release()
        return False
    return True
