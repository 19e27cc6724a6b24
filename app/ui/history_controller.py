"""What History (and a point on the progress charts) asks of stored sessions, for the window: fill the page,
show a session's answers, rename, delete, export, and open the review of one stored answer.

No page of its own: it reads and writes through the services it is given (looked up on every call, so new
settings take effect), reports problems with `show_error` (the window's banner) and short confirmations with
`notify` (the status bar).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.errors import VivaError
from app.export import write_report
from app.player import Player
from app.review.stored import stored_records
from app.services import Services
from app.ui.dialogs.review import ReviewDialog
from app.ui.pages.history import HistoryPage
from app.ui.widgets.sessions_filter import categories_by_session


class HistoryController:
    def __init__(self, page: HistoryPage, services: Callable[[], Services], *,
                 categories: Callable[[], dict[str, str]], running_session: Callable[[], int | None],
                 new_player: Callable[[], Player], show_error: Callable[[BaseException | str], None],
                 notify: Callable[[str, int], None], dialog_parent: QWidget) -> None:
        self.page = page
        self._services, self._categories, self._running = services, categories, running_session
        self._new_player, self._show_error, self._notify = new_player, show_error, notify
        self._parent = dialog_parent
        page.session_selected.connect(self.load_attempts)
        page.review_requested.connect(self.review_stored)
        page.rename_requested.connect(self.rename_session)
        page.delete_requested.connect(self.delete_session)
        page.export_requested.connect(self.export_session)

    def refresh(self) -> None:
        services = self._services()
        try:
            names = {p.id: p.name for p in services.bank.presets.values()}
        except VivaError:
            names = {}  # the home page reports bank problems; here preset ids will do
        self.page.set_categories(self._categories())
        try:
            store = services.store
            self.page.set_sessions(store.sessions(), names, categories_by_session(store.trend()))
        except VivaError as e:
            self._show_error(e)

    def load_attempts(self, session_id: int) -> None:
        try:
            self.page.show_attempts(session_id, self._services().store.attempts(session_id))
        except VivaError as e:
            self._show_error(e)

    def rename_session(self, session_id: int, title: str) -> None:
        try:
            self._services().store.rename_session(session_id, title)
        except VivaError as e:
            self._show_error(e)
        self.refresh()

    def delete_session(self, session_id: int) -> None:
        """Delete a stored session (History asked for confirmation); not the one an interview is running in."""
        if self._running() == session_id:
            self._show_error("This session is still running in the interview. End it first (Ctrl+E).")
            return
        try:
            self._services().store.delete_session(session_id)
        except VivaError as e:
            self._show_error(e)
        self.refresh()
        self._notify("Session deleted", 5000)

    def export_session(self, session_id: int, path: Path, fmt: str) -> Path | None:
        services = self._services()
        try:
            written = write_report(services.store, session_id, path, fmt, services.config.targets)
        except VivaError as e:
            self._show_error(e)
            return None
        except OSError as e:
            self._show_error(f"Could not write {path}: {e.strerror or e}.")
            return None
        self._notify(f"Exported to {written}", 8000)
        return written

    def review_stored(self, session_id: int, row: int) -> ReviewDialog | None:
        """Open the review (with replay) of the `row`-th stored answer of a session."""
        services = self._services()
        try:
            store, questions = services.store, services.bank.questions
            attempts = store.attempts(session_id)
            records = stored_records(attempts, store.absolute, questions)
        except VivaError as e:
            self._show_error(e)
            return None
        wanted = attempts[row]
        record = next((r for r in records if r.attempt_id == wanted.id), None)
        if record is None:  # the panel offers no review for these; the store may have changed since
            self._show_error(f"Answer {wanted.position} has nothing to review: {wanted.outcome}.")
            return None
        dialog = ReviewDialog(record, self._new_player, services.config.targets, self._parent)
        dialog.show()
        return dialog

    def review_attempt(self, session_id: int, attempt_id: int) -> ReviewDialog | None:
        """Open the review of one stored answer, by its id (a point on the progress charts)."""
        try:
            ids = [a.id for a in self._services().store.attempts(session_id)]
        except VivaError as e:
            self._show_error(e)
            return None
        if attempt_id not in ids:
            self._show_error("That answer is no longer stored.")
            return None
        return self.review_stored(session_id, ids.index(attempt_id))
