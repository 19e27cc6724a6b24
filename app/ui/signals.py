"""Emitting Qt signals from Python without corrupting the interpreter.

PySide6 6.12.0's `SignalInstance.emit()` returns `True` without taking a reference to it, so every call
from Python takes one reference away from the `True` singleton. CPython 3.11 does not make `True` immortal:
after a few thousand emissions (a level meter emits ten a second) its count reaches zero and the process
aborts with "Fatal Python error: bool_dealloc". `emit` here gives the reference back, but only when this
PySide6 is measured (at import) to leak it, so a fixed PySide6 needs no change here.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 16


class _Probe(QObject):
    fired = Signal()


def _measure_leak() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    leaked = before - sys.getrefcount(True)
    if leaked > 0:
        for _ in range(leaked):  # repair what the measurement itself took
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return leaked >= _PROBES


LEAKS_TRUE = _measure_leak()


def emit(signal: SignalInstance, *args: Any) -> None:
    """`signal.emit(*args)`, safe on every PySide6 version (any thread: ctypes.pythonapi keeps the GIL)."""
    send: Callable[..., object] = signal.emit  # the stubs say None; PySide6 returns a bool
    result = send(*args)
    if LEAKS_TRUE and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))


def emitter(signal: SignalInstance) -> Callable[..., None]:
    """A callback that emits `signal`, for handing to code that calls back from worker threads."""
    return lambda *args: emit(signal, *args)
