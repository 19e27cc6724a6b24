"""Background work for the GUI: run a function on a worker thread, get its result back on the GUI thread.

In the spirit of Anki's `aqt/operations`:

    Task(lambda: analyze(audio, transcriber)).success(show).failure(show_error) \\
        .with_progress("Analysing").on_lane(MODELS).run(runner)

Each lane is a single worker thread, so a resource that is not thread-safe (Whisper, the LLM) is only ever
used by one job at a time, in submission order. Results and errors travel back through a queued signal on
the runner, which lives in the GUI thread: callbacks always run there, and nothing polls or sleeps.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, QThreadPool, Signal, Slot

T = TypeVar("T")

log = logging.getLogger(__name__)

DEFAULT_LANE = "background"
MODELS = "models"  # Whisper and the LLM: neither is thread-safe, so they share one worker

_ids = itertools.count(1)


class Task(Generic[T]):
    """One piece of work: `fn` runs on a worker thread; the callbacks run on the GUI thread."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self.fn = fn
        self.id = next(_ids)
        self.label = ""
        self.lane = DEFAULT_LANE
        self.cancel_event = threading.Event()
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[Exception], None] | None = None
        self._runner: TaskRunner | None = None

    # -- building ------------------------------------------------------------------------------------

    def success(self, cb: Callable[[T], None]) -> Task[T]:
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[Exception], None]) -> Task[T]:
        """Called with the exception `fn` raised. Without one, the runner's `unhandled_error` fires."""
        self._on_failure = cb
        return self

    def with_progress(self, label: str) -> Task[T]:
        """Show `label` in the busy indicator while this task is queued or running."""
        self.label = label
        return self

    def on_lane(self, lane: str) -> Task[T]:
        self.lane = lane
        return self

    def run(self, runner: TaskRunner) -> Task[T]:
        runner.submit(self)
        return self

    # -- while running -------------------------------------------------------------------------------

    def report(self, message: str) -> None:
        """Progress from inside `fn` (any thread); shown next to the task's label."""
        if self._runner is not None:
            self._runner.report(self.id, message)

    def cancel(self) -> None:
        """Ask `fn` to stop (it may watch `cancel_event`); its callbacks will not be called."""
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    # -- called by the runner, on the GUI thread -----------------------------------------------------

    def _deliver(self, ok: bool, payload: Any, fallback: Callable[[Exception], None]) -> None:
        if self.cancelled:
            return
        if ok:
            if self._on_success is not None:
                self._on_success(payload)
        elif self._on_failure is not None:
            self._on_failure(payload)
        else:
            fallback(payload)


class TaskRunner(QObject):
    """Owns the worker lanes. Create it, and submit tasks to it, from the GUI thread."""

    activity_changed = Signal(str)  # what the busy indicator should say; "" when idle
    unhandled_error = Signal(object)  # an Exception from a task that has no failure callback

    _finished = Signal(int, bool, object)  # task id, ok, result or exception (emitted from a worker)
    _progressed = Signal(int, str)  # task id, message (emitted from a worker)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes: dict[str, QThreadPool] = {}
        self._tasks: dict[int, Task[Any]] = {}
        self._messages: dict[int, str] = {}
        self._closed = False
        # Queued: the slots run in this object's thread (the GUI thread) whichever thread emits.
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._progressed.connect(self._on_progressed, Qt.ConnectionType.QueuedConnection)

    def _lane(self, name: str) -> QThreadPool:
        pool = self._lanes.get(name)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            pool.setExpiryTimeout(-1)  # keep the one worker thread for the runner's lifetime
            pool.setObjectName(f"viva-{name}")
            self._lanes[name] = pool
        return pool

    def submit(self, task: Task[Any]) -> None:
        if QThread.currentThread() is not self.thread():
            raise RuntimeError("submit tasks from the GUI thread")
        if self._closed:
            raise RuntimeError("the task runner has been shut down")
        task._runner = self
        self._tasks[task.id] = task
        self._lane(task.lane).start(lambda: self._execute(task))
        self._announce()

    @property
    def closed(self) -> bool:
        """True after `shutdown`: nothing more can be submitted."""
        return self._closed

    @property
    def pending(self) -> int:
        """Tasks submitted whose callbacks have not run yet."""
        return len(self._tasks)

    def report(self, task_id: int, message: str) -> None:
        self._progressed.emit(task_id, message)

    def shutdown(self, wait_ms: int = 30000) -> bool:
        """Cancel queued tasks and wait for running ones; True if every worker stopped in time."""
        self._closed = True
        for task in self._tasks.values():
            task.cancel()
        stopped = True
        for pool in self._lanes.values():
            pool.clear()
            stopped = pool.waitForDone(wait_ms) and stopped
        self._tasks.clear()
        self._messages.clear()
        self._announce()
        return stopped

    # -- worker side ---------------------------------------------------------------------------------

    def _execute(self, task: Task[Any]) -> None:
        if task.cancelled:
            self._finished.emit(task.id, False, None)
            return
        try:
            result = task.fn()
        except Exception as e:  # every failure goes back to the GUI thread, typed, never printed
            self._finished.emit(task.id, False, e)
            return
        self._finished.emit(task.id, True, result)

    # -- GUI side ------------------------------------------------------------------------------------

    @Slot(int, bool, object)
    def _on_finished(self, task_id: int, ok: bool, payload: object) -> None:
        task = self._tasks.pop(task_id, None)
        self._messages.pop(task_id, None)
        self._announce()
        if task is not None:
            task._deliver(ok, payload, self._unhandled)

    @Slot(int, str)
    def _on_progressed(self, task_id: int, message: str) -> None:
        if task_id in self._tasks:
            self._messages[task_id] = message
            self._announce()

    def _unhandled(self, error: Exception) -> None:
        log.error("background task failed", exc_info=error)
        self.unhandled_error.emit(error)

    def _announce(self) -> None:
        labelled = [t for t in self._tasks.values() if t.label and not t.cancelled]
        if not labelled:
            self.activity_changed.emit("")
            return
        current = labelled[0]
        text = current.label
        if message := self._messages.get(current.id):
            text = f"{text}: {message}"
        if len(labelled) > 1:
            text = f"{text} (+{len(labelled) - 1} more)"
        self.activity_changed.emit(text)
