"""On start, find sessions that stopped mid-answer (crash, kill, power cut) and offer to recover them: the kept
audio is transcribed, scored and stored on the models lane, like any other answer."""

from __future__ import annotations

from typing import Protocol

from app.formatting import plural
from app.model_access import ModelAccess
from app.recovery import Recovered, interrupted_sessions, recover
from app.services import Services
from app.ui.tasks import MODELS, Task, TaskRunner
from app.ui.widgets.banner import Banner


class _Window(Protocol):
    services: Services
    models: ModelAccess
    runner: TaskRunner
    banner: Banner

    def refresh_history(self) -> None: ...

    def show_error(self, error: BaseException | str) -> None: ...


def offer_recovery(window: _Window) -> int:
    """Show the offer when interrupted sessions exist; returns how many were found."""
    found = len(interrupted_sessions(window.services.store))
    if found:
        window.banner.offer(f"{plural(found, 'interrupted session')} found: what was recorded before the stop is "
                            "kept and can be analysed now.", "Recover", lambda: _start(window))
    return found


def _start(window: _Window) -> None:
    run_recovery(window)


def run_recovery(window: _Window) -> Task[list[Recovered]]:
    services, models = window.services, window.models

    def work() -> list[Recovered]:
        return recover(services.store, models.transcriber(), models.judge(), services.config.targets,
                       progress=task.report)

    def done(result: list[Recovered]) -> None:
        analysed = sum(1 for r in result if r.status == "analysed")
        sessions = plural(len({r.session_id for r in result}), "session")
        window.banner.show_info(f"Recovered {plural(analysed, 'answer')} from {sessions}. They are in History.")
        window.refresh_history()

    task: Task[list[Recovered]] = (Task(work).on_lane(MODELS).with_progress("Recovering interrupted sessions")
                                   .success(done).failure(window.show_error))
    return task.run(window.runner)
