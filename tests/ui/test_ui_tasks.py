"""The task runner runs work off the GUI thread and delivers results and errors back on it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.errors import AudioError
from app.ui.tasks import Task, TaskRunner


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown()


def test_success_is_delivered_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    gui = QThread.currentThread()
    worker: list[QThread] = []
    got: list[tuple[int, QThread]] = []

    def work() -> int:
        worker.append(QThread.currentThread())
        return 6 * 7

    Task(work).success(lambda v: got.append((v, QThread.currentThread()))).run(runner)
    qtbot.waitUntil(lambda: bool(got))
    assert got == [(42, gui)]
    assert worker and worker[0] is not gui
    assert runner.pending == 0


def test_failure_is_delivered_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    gui = QThread.currentThread()
    errors: list[tuple[Exception, QThread]] = []
    successes: list[object] = []

    def work() -> None:
        raise AudioError("x.wav: no such file")

    Task(work).success(successes.append).failure(lambda e: errors.append((e, QThread.currentThread()))).run(runner)
    qtbot.waitUntil(lambda: bool(errors))
    (error, thread), = errors
    assert isinstance(error, AudioError) and str(error) == "x.wav: no such file"
    assert thread is gui
    assert successes == []


def test_failure_without_handler_goes_to_unhandled_error(qtbot: QtBot, runner: TaskRunner) -> None:
    with qtbot.waitSignal(runner.unhandled_error) as blocker:
        Task(lambda: 1 / 0).run(runner)
    assert isinstance(blocker.args[0], ZeroDivisionError)


def test_a_lane_runs_one_task_at_a_time_in_order(qtbot: QtBot, runner: TaskRunner) -> None:
    release = threading.Event()
    running = 0
    most = 0
    order: list[int] = []
    lock = threading.Lock()

    def work(i: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        if i == 0:
            release.wait(10)  # hold the lane until the others are queued behind it
        with lock:
            running -= 1
        return i

    for i in range(4):
        Task(lambda i=i: work(i)).on_lane("models").success(order.append).run(runner)
    release.set()
    qtbot.waitUntil(lambda: len(order) == 4)
    assert order == [0, 1, 2, 3]
    assert most == 1


def test_progress_label_and_reports_reach_the_busy_signal(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: list[str] = []
    runner.activity_changed.connect(seen.append)
    go = threading.Event()

    def work() -> str:
        task.report("transcribing")
        go.wait(10)
        return "done"

    task = Task(work).with_progress("Analysing a.wav")
    with qtbot.waitSignal(runner.activity_changed, check_params_cb=lambda s: s.endswith("transcribing")):
        task.run(runner)
    assert seen[0] == "Analysing a.wav"
    with qtbot.waitSignal(runner.activity_changed, check_params_cb=lambda s: s == ""):
        go.set()


def test_cancelled_task_calls_nothing(qtbot: QtBot, runner: TaskRunner) -> None:
    gate = threading.Event()
    called: list[object] = []
    Task(lambda: gate.wait(10)).run(runner)  # occupies the lane
    queued = Task(lambda: "late").success(called.append).failure(called.append).run(runner)
    queued.cancel()
    gate.set()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert called == []
