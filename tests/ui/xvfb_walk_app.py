"""Run by test_ui_xvfb_walk.py in its own process on a real X display: a new user's first run without a
microphone or speaker, the practice plan on Home, progress with a tooltip and a click through to a review,
then the window reopened where it was left. Screenshots go to OUT_DIR; one JSON line of findings is printed.

Only PortAudio's device list is faked (sounddevice.query_devices, the device edge); the store is real SQLite
under VIVA_HOME, seeded with answers over ten days.

Usage: python tests/ui/xvfb_walk_app.py OUT_DIR WIDTH HEIGHT   (VIVA_HOME must be set)
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sounddevice
from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from app.config import Config
from app.delivery import analyze_delivery
from app.domain import Analysis, ItemVerdict, RubricResult, Transcript, Word
from app.services import Services, build
from app.store import Store
from app.ui.app import application
from app.ui.dialogs.review import ReviewDialog
from app.ui.main_window import MainWindow

DEVICES: list[dict[str, Any]] = []  # what PortAudio lists; empty: no sound card at all
HEADSET = {"name": "USB headset", "max_input_channels": 1, "max_output_channels": 2}
STAR = ("situation", "task", "action", "result")


def query_devices(*_args: object, **_kwargs: object) -> list[dict[str, Any]]:
    return [dict(d) for d in DEVICES]


def answer(words_n: int, covered: tuple[bool, ...]) -> Analysis:
    words = tuple(Word(w, i * 0.42, i * 0.42 + 0.3) for i, w in enumerate(
        (["so", "last", "year", "um", "our", "team", "shipped", "a", "ranking", "model"] * 30)[:words_n]))
    transcript = Transcript(words, words_n * 0.42 + 1.0, model="test")
    items = tuple(ItemVerdict(i, p, 0.8) for i, p in zip(STAR, covered, strict=True))
    result = RubricResult("star", items, 25 * sum(covered), (), {"name": "test"}, "1")
    return Analysis(transcript, analyze_delivery(transcript), result, {})


def seed(services: Services) -> None:
    """Four sessions over ten days of behavioral answers that keep missing Task."""
    store: Store = services.store
    questions = sorted(services.bank.filter("behavioral", kind="behavioral"), key=lambda q: q.id)
    now = datetime.now(UTC)
    plan = [(10, (True, False, True, True)), (10, (True, True, True, True)), (6, (True, False, True, False)),
            (3, (True, False, True, True)), (3, (True, True, True, True)), (1, (True, False, True, True))]
    sid, day = 0, -1
    for n, (days_ago, covered) in enumerate(plan):
        if days_ago != day:
            if sid:
                store.finish_session(sid)
            sid, day, position = store.create_session("behavioral-round", title="Behavioral round"), days_ago, 0
        position += 1
        q = questions[n % len(questions)]
        aid = store.add_attempt(sid, position, q, q.text, None, answer(70 + 12 * n, covered))
        when = now - timedelta(days=days_ago) + timedelta(minutes=7 * n)
        store.db.execute("UPDATE attempts SET created_at = ? WHERE id = ?", [when.isoformat(timespec="seconds"), aid])
    store.finish_session(sid)


def settle(window: QWidget) -> None:
    QTest.qWaitForWindowExposed(window)
    for _ in range(5):
        QApplication.processEvents()


def shot(widget: QWidget, path: Path, screen: bool = False) -> bool:
    settle(widget.window())
    if screen:  # from the X server's framebuffer: includes tooltips and other top-level windows
        g = widget.window().frameGeometry()
        return widget.screen().grabWindow(0, g.x(), g.y(), g.width(), g.height()).save(str(path))
    return widget.grab().save(str(path))


def open_window(width: int, height: int, first: bool) -> MainWindow:
    window = MainWindow(build(Config()), warm_models=False)
    if first:
        window.resize(width, height)
        window.move(24, 18)
    window.show()
    settle(window)
    return window


def walk(out: Path, width: int, height: int) -> dict[str, Any]:
    app = application()
    sounddevice.query_devices = query_devices  # the device edge: PortAudio lists nothing
    found: dict[str, Any] = {"platform": app.platformName()}
    services = build(Config())
    seed(services)
    services.close()

    w = open_window(width, height, first=True)
    with_signal(w.devices.checked, lambda: w.devices.in_background())
    notice = w.home.devices
    found["notice"] = notice.isVisible() and notice.text.text()
    found["plan_focus"] = w.home.plan.focus.text()
    found["plan_size"] = len(w.home.plan.plan.items) if w.home.plan.plan else 0
    found["home_shot"] = shot(w, out / f"walk-{width}-1-home-no-devices.png")
    QTest.mouseClick(w.home.plan.start_button, Qt.MouseButton.LeftButton)
    found["refused"] = (not w.controller.active) and notice.title.text()
    found["refused_shot"] = shot(w, out / f"walk-{width}-2-plan-refused.png")

    w.commands.progress.trigger()
    chart = w.progress.charts["wpm"]
    settle(w)
    pos = chart.point_position(0, 3)
    QApplication.sendEvent(chart, QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(chart.mapToGlobal(pos)),
                                              Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                                              Qt.KeyboardModifier.NoModifier))
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    found["tooltip"] = QToolTip.isVisible() and QToolTip.text()
    found["x_labels"] = [label for _i, label in chart.x_ticks()]
    found["progress_shot"] = shot(w, out / f"walk-{width}-3-progress-tooltip.png", screen=True)
    QToolTip.hideText()
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=pos)
    dialogs = [d for d in w.findChildren(ReviewDialog) if d.isVisible()]
    found["review_opened"] = len(dialogs) == 1
    if dialogs:
        d = dialogs[0]
        settle(d)
        found["review_fits"] = d.frameGeometry().width() <= w.width() + 8 and d.height() <= w.height()
        found["review_size"] = [d.width(), d.height()]
        found["review_shot"] = shot(d, out / f"walk-{width}-4-review-from-progress.png")
        d.close()

    DEVICES.append(HEADSET)  # plugged in; Home checks again when shown
    w.commands.home.trigger()
    with_signal(w.devices.checked, lambda: None)
    found["notice_after_plugging_in"] = w.home.devices.isVisible()
    found["plan_shot"] = shot(w, out / f"walk-{width}-5-home-plan.png")
    w.controller.speak_questions = False
    QTest.mouseClick(w.home.plan.start_button, Qt.MouseButton.LeftButton)
    found["plan_started"] = w.controller.active and w.controller.title
    found["interview_shot"] = shot(w, out / f"walk-{width}-6-plan-interview.png")
    w.interview.end_action.trigger()
    for _ in range(3):
        QApplication.processEvents()
    w.setGeometry(40, 30, width - 120, height - 100)  # somewhere else, to be found there again
    settle(w)
    geometry = w.geometry()
    w.close()
    w.runner.shutdown()

    again = open_window(width, height, first=False)  # reopened: where it was left
    # With no window manager the X server confirms the place asynchronously (a first configure can still say
    # 0,0): wait for it, up to 3 s, rather than read it once.
    for _ in range(60):
        if again.geometry() == geometry:
            break
        QTest.qWait(50)
    found["geometry_kept"] = again.geometry() == geometry
    found["geometry"] = [geometry.x(), geometry.y(), geometry.width(), geometry.height(),
                         again.geometry().x(), again.geometry().y(), again.width(), again.height()]
    again.close()
    again.runner.shutdown()
    return found


def with_signal(signal: Any, trigger: Any, timeout_ms: int = 10_000) -> bool:
    """Run `trigger` and wait in an event loop until `signal` comes (False when it did not in time)."""
    loop, spy = QEventLoop(), []
    signal.connect(lambda *a: (spy.append(a), loop.quit()))
    trigger()
    if not spy:
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
    return bool(spy)


def main(out: Path, width: int, height: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    found = walk(out, width, height)
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
