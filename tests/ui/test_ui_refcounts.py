"""The Qt binding must not corrupt the interpreter: 50,000 ordinary widget, painter and signal calls leave the
reference counts of None, True and False where they were.

PySide6-Essentials 6.12.0 on CPython 3.11 takes a reference from None (or True) on every call that returns
nothing, so a window that repaints a level meter aborts after a few minutes ("Fatal Python error:
none_dealloc"); pyproject.toml pins a binding without the bug where the singletons are not immortal. The calls
run in a child process so that a binding with the bug fails this test instead of aborting the test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CALLS = 50_000
# Counts move a little with whatever the interpreter caches meanwhile; the bug moves them by one per call.
NOISE = 200


def test_qt_calls_leave_singleton_refcounts_alone() -> None:
    probe = Path(__file__).with_name("refcount_probe.py")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, str(probe), str(CALLS)], capture_output=True, text=True, env=env,
                         timeout=600, check=False)
    assert run.returncode == 0, f"the Qt calls crashed the interpreter (exit {run.returncode}): {run.stderr[-800:]}"
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["calls"] >= CALLS
    for name in ("None", "True", "False"):
        fell = report["before"][name] - report["lowest"][name]
        assert fell <= NOISE, (f"{report['calls']} Qt calls took {fell} references from {name} "
                               f"(PySide6 {report['pyside6']}, Python {report['python']})")
