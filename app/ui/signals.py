"""Handing Qt signals to code that calls back from worker threads.

A signal emitted from a worker thread reaches its slots on the GUI thread (a queued connection), so the
headless use cases can report levels, words and progress through plain callbacks without knowing about Qt.
The binding is pinned in pyproject.toml to one that keeps the interpreter's reference counts intact
(tests/ui/test_ui_refcounts.py checks it), so nothing here compensates for the binding.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import SignalInstance


def emitter(signal: SignalInstance) -> Callable[..., None]:
    """A callback that emits `signal`, for handing to code that calls back from worker threads."""
    return lambda *args: signal.emit(*args)
