"""The main window: menus and shortcuts, a stack of pages, a status bar with a busy indicator.

It owns no logic of its own: it reads from the services, hands plain data to the pages, and runs the
core's use cases (`app.practice`) through the task runner so the window never freezes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.domain import KINDS, Analysis
from app.errors import VivaError
from app.practice import analyze_file
from app.services import Services
from app.ui.analysis_page import AnalysisPage
from app.ui.banner import Banner
from app.ui.busy_indicator import BusyIndicator
from app.ui.history_page import HistoryPage
from app.ui.home_page import HomePage
from app.ui.tasks import MODELS, Task, TaskRunner

log = logging.getLogger(__name__)

AUDIO_FILTER = "Audio (*.wav *.flac *.mp3 *.m4a *.ogg *.opus *.webm *.aac);;All files (*)"
SCORING_CHOICES = {"Delivery only (no structure score)": None,
                   "Behavioral (STAR)": "behavioral", "Technical (concept)": "technical", "Design": "design"}


def describe(error: BaseException) -> str:
    """One line for the user. VivaErrors already say what to do; anything else is a bug, logged in full."""
    if isinstance(error, VivaError):
        return str(error)
    return f"Unexpected error ({type(error).__name__}: {error}). Please report it; details are in the log."


class MainWindow(QMainWindow):
    analysis_finished = Signal()  # after an analysis's result or error is on screen

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Viva")
        self.resize(1100, 720)
        self.setMinimumSize(800, 560)

        self.runner = TaskRunner(self)
        self.banner = Banner(self)
        self.home = HomePage(self)
        self.history = HistoryPage(self)
        self.analysis = AnalysisPage(services.config.targets, self)
        self.stack = QStackedWidget(self)
        for page in (self.home, self.history, self.analysis):
            self.stack.addWidget(page)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.busy = BusyIndicator(self)
        self.statusBar().addPermanentWidget(self.busy)
        self.runner.activity_changed.connect(self.busy.set_activity)
        self.runner.unhandled_error.connect(self.show_error)

        self._build_actions()
        self.home.start_requested.connect(self.start_interview)
        self.home.analyse_requested.connect(self.ask_and_analyse)
        self.home.history_requested.connect(self.show_history)
        self.history.session_selected.connect(self._load_attempts)
        self.show_home()

    # -- menus and shortcuts -------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work whichever page has focus, menu bar or not
        return action

    def _build_actions(self) -> None:
        self.analyse_action = self._action("&Analyse recording\u2026", "Ctrl+O", self.ask_and_analyse)
        self.quit_action = self._action("&Quit", "Ctrl+Q", self.close)
        self.home_action = self._action("&Home", "Ctrl+1", self.show_home)
        self.history_action = self._action("Hi&story", "Ctrl+H", self.show_history)
        self.about_action = self._action("&About Viva", None, self._about)
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self.analyse_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        go_menu = menus.addMenu("&Go")
        go_menu.addAction(self.home_action)
        go_menu.addAction(self.history_action)
        menus.addMenu("&Help").addAction(self.about_action)

    # -- navigation ----------------------------------------------------------------------------------

    def show_home(self) -> None:
        self.refresh_home()
        self.stack.setCurrentWidget(self.home)

    def show_history(self) -> None:
        self.refresh_history()
        self.stack.setCurrentWidget(self.history)

    def refresh_home(self) -> None:
        try:
            self.home.set_presets(self.services.bank.presets.values())
        except VivaError as e:
            self.show_error(e)
        try:
            sessions = self.services.store.sessions()
        except VivaError as e:
            self.show_error(e)
            return
        self.home.set_last_session(sessions[0] if sessions else None)

    def refresh_history(self) -> None:
        try:
            names = {p.id: p.name for p in self.services.bank.presets.values()}
        except VivaError:
            names = {}  # the home page reports bank problems; here preset ids will do
        try:
            self.history.set_sessions(self.services.store.sessions(), names)
        except VivaError as e:
            self.show_error(e)

    def _load_attempts(self, session_id: int) -> None:
        try:
            self.history.show_attempts(session_id, self.services.store.attempts(session_id))
        except VivaError as e:
            self.show_error(e)

    def start_interview(self, preset_id: str) -> None:
        preset = self.services.bank.presets.get(preset_id)
        name = preset.name if preset else preset_id
        self.banner.show_info(
            f"The interview screen for \u201c{name}\u201d is coming in the next version. Meanwhile run "
            f"`viva practice --preset {preset_id}`, or analyse a recorded answer with File \u203a Analyse "
            "recording\u2026 (Ctrl+O).")

    # -- analysing a recording -----------------------------------------------------------------------

    def ask_and_analyse(self) -> None:
        """File > Analyse recording: choose a file and how to score it, then `analyse_file`."""
        path, _ = QFileDialog.getOpenFileName(self, "Analyse a recording", str(Path.home()), AUDIO_FILTER)
        if not path:
            return
        choice, ok = QInputDialog.getItem(self, "Analyse a recording", "Score the answer's structure as:",
                                          list(SCORING_CHOICES), 0, False)
        if ok:
            self.analyse_file(path, SCORING_CHOICES[choice])

    def analyse_file(self, path: str | Path, kind: str | None = None) -> Task[Analysis]:
        """Transcribe `path`, measure delivery and (with a question `kind`) score it, in the background."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, got {kind!r}")
        source = Path(path)
        services = self.services

        def work() -> Analysis:
            judge = services.judge if kind else None
            return analyze_file(source, services.transcriber, kind=kind, judge=judge, progress=task.report,
                                targets=services.config.targets)

        task: Task[Analysis] = (Task(work).on_lane(MODELS).with_progress(f"Analysing {source.name}")
                                .success(lambda a: self._analysis_done(source, a))
                                .failure(lambda e: self._analysis_failed(source, e)))
        self.banner.clear()
        self.analysis.show_busy(source)
        self.analyse_action.setEnabled(False)
        self.stack.setCurrentWidget(self.analysis)
        return task.run(self.runner)

    def _analysis_done(self, source: Path, analysis: Analysis) -> None:
        self.analyse_action.setEnabled(True)
        self.analysis.show_analysis(source, analysis)
        self.statusBar().showMessage(f"Analysed {source.name}", 5000)
        self.analysis_finished.emit()

    def _analysis_failed(self, source: Path, error: Exception) -> None:
        self.analyse_action.setEnabled(True)
        self.analysis.show_failure(source, describe(error))
        self.show_error(error)
        self.analysis_finished.emit()

    # -- errors, about, closing ----------------------------------------------------------------------

    def show_error(self, error: BaseException | str) -> None:
        """Put a one-line message in the banner; unexpected exceptions are logged with their traceback."""
        if isinstance(error, BaseException) and not isinstance(error, VivaError):
            log.error("unexpected error", exc_info=error)
        self.banner.show_error(error if isinstance(error, str) else describe(error))

    def _about(self) -> None:
        QMessageBox.about(self, "About Viva", f"<b>Viva {__version__}</b><p>Offline mock-interview coach: "
                          "speak your answers, get feedback on delivery and structure. Nothing leaves "
                          "this computer.</p>")

    def closeEvent(self, event: QCloseEvent) -> None:
        # Let a running transcription finish rather than tearing the model down under it.
        self.runner.shutdown()
        super().closeEvent(event)
