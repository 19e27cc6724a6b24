"""Makes ordinary Qt calls (widgets, a painter, signal emissions) and prints how the reference counts of the
None/True/False singletons moved. Run in its own process by test_ui_refcounts.py: with a binding that takes a
reference it does not own (PySide6 6.12.0 on CPython 3.11), the interpreter aborts here, not in the test runner.

    python tests/ui/refcount_probe.py CALLS
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLineF, QObject, Signal  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter, QPen  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QWidget  # noqa: E402


class Source(QObject):
    number = Signal(int)
    flag = Signal(bool)
    plain = Signal()


def counts() -> dict[str, int]:
    return {"None": sys.getrefcount(None), "True": sys.getrefcount(True), "False": sys.getrefcount(False)}


def main() -> int:
    calls = int(sys.argv[1])
    app = QApplication(sys.argv[:1])
    label, bar, widget = QLabel(), QProgressBar(), QWidget()
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    source = Source()
    received: list[object] = []
    source.number.connect(received.append)
    source.flag.connect(received.append)
    source.plain.connect(lambda: received.append(None))
    pen = QPen(QColor("#3060c0"))
    line = QLineF(0, 0, 63, 63)
    before = counts()
    lowest = dict(before)
    done = 0
    rounds = 0
    while done < calls:
        painter = QPainter(image)
        for i in range(250):  # 10 calls each
            label.setText(f"word {i}")
            label.setToolTip("tip")
            bar.setValue(i % 100)
            widget.setEnabled(i % 2 == 0)
            painter.setPen(pen)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.drawLine(line)
            source.number.emit(i)
            source.flag.emit(i % 2 == 0)
            source.plain.emit()
        painter.end()
        done += 2500
        rounds += 1
        received.clear()
        app.processEvents()
        now = counts()
        lowest = {k: min(lowest[k], now[k]) for k in now}
    after = counts()
    print(json.dumps({"calls": done, "before": before, "after": after, "lowest": lowest,
                      "pyside6": __import__("PySide6").__version__, "python": sys.version.split()[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
