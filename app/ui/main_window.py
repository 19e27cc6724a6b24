"""The main window: menus and shortcuts, a stack of pages, a status bar with a busy indicator.

It owns no logic of its own: it reads from the services, hands plain data to the pages, and runs the
core's use cases (`app.practice`) through the task runner so the window never freezes. The interview
itself is run by an `InterviewController`; audio devices come in through `AudioIO` (tests and the bench
pass file-backed recorders and silent players).
"""

from __future__ import annotations

import logging
import random
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.audio_io import AudioIO, default_audio_io
from app.config import Config
from app.devices import list_devices, rescan_devices
from app.domain import Question
from app.errors import VivaError, describe
from app.model_access import ModelAccess
from app.paths import config_file
from app.plan import Plan, make_plan
from app.player import Player
from app.question_picks import drill_questions, preset_questions
from app.review.problems import analysis_problem
from app.services import Services, build
from app.ui.analysis_controller import AnalysedFile, AnalysisController, session_title
from app.ui.device_check import DeviceCheck
from app.ui.dialogs.question_picker import QuestionPickerDialog
from app.ui.dialogs.settings import SettingsDialog, SettingsProbes
from app.ui.history_controller import HistoryController
from app.ui.interview_controller import InterviewController, Phase
from app.ui.menus import Slots, about_viva, build_menus
from app.ui.pages.analysis import AnalysisPage
from app.ui.pages.history import HistoryPage
from app.ui.pages.home import HomePage
from app.ui.pages.interview import InterviewPage
from app.ui.pages.progress import ProgressPage
from app.ui.recovery_offer import offer_recovery
from app.ui.tasks import MODELS, Task, TaskRunner
from app.ui.widgets.banner import Banner
from app.ui.widgets.busy_indicator import BusyIndicator
from app.ui.window_state import FOCUS_RING, restore_geometry, save_geometry, window_settings

log = logging.getLogger(__name__)

AUDIO_FILTER = "Audio (*.wav *.flac *.mp3 *.m4a *.ogg *.opus *.webm *.aac);;All files (*)"

class MainWindow(QMainWindow):
    analysis_finished = Signal()  # after an analysis's result or error is on screen
    models_ready = Signal(bool)  # after the background model warm-up: True when the speech model loaded

    def __init__(self, services: Services, parent: QWidget | None = None, *, audio: AudioIO | None = None,
                 warm_models: bool = True, config_path: Path | None = None,
                 settings_probes: SettingsProbes | None = None, window_state: QSettings | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.models = ModelAccess(services)
        self._audio_override = audio
        self.audio = audio or default_audio_io(services.config)
        self.config_path = config_path or config_file()
        self.settings_probes = settings_probes
        self._warm_on_show = warm_models
        self.rng = random.Random()
        self.setWindowTitle("Viva")
        self.setMinimumSize(800, 560)
        self.resize(1240, 780)
        self.window_state = window_state or window_settings()  # size and place, kept between runs
        restore_geometry(self, self.window_state)
        self.setStyleSheet(FOCUS_RING)

        self.runner = TaskRunner(self)
        self.devices = DeviceCheck(self.runner, lambda: self.services.config,
                                   settings_probes.devices if settings_probes else list_devices, self,
                                   rescan=None if settings_probes else rescan_devices)
        self.devices.enabled = audio is None  # answers from files: no microphone to check
        self.banner = Banner(self)
        self.controller = InterviewController(services, self.models, self.runner, self.audio, self)
        self.home = HomePage(self)
        self.history = HistoryPage(self)
        self.stored = HistoryController(
            self.history, lambda: self.services, categories=self._categories,
            running_session=lambda: self.controller.session_id if self.controller.active else None,
            new_player=self._new_player, show_error=self.show_error,
            notify=lambda text, ms: self.statusBar().showMessage(text, ms), dialog_parent=self)
        self.progress = ProgressPage(services.config.targets, self)
        self.analysis = AnalysisPage(services.config.targets, self, new_player=self._new_player)
        self.analyses = AnalysisController(lambda: self.services, lambda: self.models, self.runner, self)
        self.analyses.finished.connect(self._analysis_done)
        self.analyses.failed.connect(self._analysis_failed)
        self.analyses.saved.connect(self._analysis_saved)
        self.analyses.save_failed.connect(lambda e: self.analysis.show_save_failed(describe(e)))
        self.analysis.open_requested.connect(self.ask_and_analyse)
        self.analysis.save_requested.connect(self.analyses.save)
        self.analysis.history_requested.connect(lambda: self.show_session(self.analyses.saved_session))
        self.interview = InterviewPage(self.controller, self._new_player, services.config.targets, self)
        self.stack = QStackedWidget(self)
        self.stack.currentChanged.connect(lambda _i: self.banner.page_changed())
        for page in (self.home, self.history, self.progress, self.analysis, self.interview):
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

        self.commands = build_menus(self, Slots(self.ask_and_analyse, self.open_settings, self.show_home,
                                               self.show_history, self.show_progress, self.show_interview,
                                               lambda: about_viva(self)), self.interview.menu_actions())
        self.home.start_requested.connect(self.start_interview)
        self.home.drill_requested.connect(self.start_drill)
        self.home.analyse_requested.connect(self.ask_and_analyse)
        self.home.history_requested.connect(self.show_history)
        self.home.settings_requested.connect(lambda: self.open_settings(page="audio"))
        # Looking again re-initialises the sound system, which stops open streams: not while an interview runs
        self.home.recheck_requested.connect(
            lambda: self.devices.in_background(rescan=self.controller.phase is Phase.IDLE))
        self.home.plan_requested.connect(self.start_plan)
        self.devices.checked.connect(self.home.set_devices)
        self.progress.category_changed.connect(lambda _c: self.refresh_progress())
        self.progress.answer_requested.connect(self.stored.review_attempt)
        self.interview.home_requested.connect(self._leave_interview_home)
        self.interview.history_requested.connect(self._leave_interview_history)
        self.controller.phase_changed.connect(self._on_phase)
        self.show_home()

    def _new_player(self) -> Player:
        return self.audio.new_player()  # the current devices, also after the settings change

    # -- navigation ----------------------------------------------------------------------------------

    # A page is shown first, then filled: a problem found while filling it stays in the banner, which clears
    # what it said about the page before (Banner.page_changed).

    def show_home(self) -> None:
        self.stack.setCurrentWidget(self.home)
        self.refresh_home()

    def show_history(self) -> None:
        self.stack.setCurrentWidget(self.history)
        self.refresh_history()

    def show_progress(self) -> None:
        self.stack.setCurrentWidget(self.progress)
        self.refresh_progress()

    def show_interview(self) -> None:
        if self.controller.phase is not Phase.IDLE:
            self.stack.setCurrentWidget(self.interview)

    def _categories(self) -> dict[str, str]:
        try:
            return dict(self.services.bank.categories)
        except VivaError:
            return {}

    def refresh_home(self) -> None:
        try:
            self.home.set_presets(self.services.bank.presets.values())
            self.home.set_categories(self.services.bank.categories)
        except VivaError as e:
            self.show_error(e)
        try:
            sessions = self.services.store.sessions()
        except VivaError as e:
            self.show_error(e)
            return
        self.home.set_last_session(sessions[0] if sessions else None)
        self.devices.in_background()
        self.refresh_plan()

    def refresh_plan(self, today: date | None = None) -> Plan | None:
        """Home's practice plan for `today` (default: the real today), from the stored verdicts."""
        today = today or date.today()
        try:
            bank = self.services.bank
            plan: Plan | None = make_plan(self.services.store.trend(), bank.questions, today,
                                          categories=bank.categories)
        except VivaError:
            plan = None  # the bank's or the store's problem is already in the banner
        self.home.set_plan(plan, today)
        return plan

    def refresh_history(self) -> None:
        self.stored.refresh()

    def refresh_progress(self) -> None:
        self.progress.set_categories(self._categories())
        try:
            self.progress.set_points(self.services.store.trend(self.progress.selected_category()))
        except VivaError as e:
            self.show_error(e)

    # -- interviews ----------------------------------------------------------------------------------

    def start_interview(self, preset_id: str) -> None:
        """Pick the preset's questions and open the interview screen on the first one."""
        try:
            questions, title = preset_questions(self.services.bank, preset_id, self.rng)
        except VivaError as e:
            self.show_error(e)
            return
        self._start(questions, preset_id, title)

    def start_drill(self, category: str) -> None:
        """A short interview of questions from one category."""
        try:
            questions, title = drill_questions(self.services.bank, category, self.rng)
        except VivaError as e:
            self.show_error(e)
            return
        self._start(questions, None, title)

    def start_plan(self, plan: Plan) -> None:
        """Home's "Start this plan": an interview of the plan's questions."""
        self._start(plan.questions, None, "Practice plan")

    def _start(self, questions: list[Question], preset: str | None, title: str) -> None:
        if self.controller.active:
            self.show_interview()
            self.show_error("An interview is already running: end it first (Ctrl+E).")
            return
        self.banner.clear()
        report = self.devices.now()  # answers from the microphone: never start without one
        if report is not None and report.microphone is None:
            self.home.set_devices(report, refused=True)
            self.stack.setCurrentWidget(self.home)
            return
        if report is not None and report.speaker is None:
            self.interview.read_aloud.setChecked(False)
        self.interview.category_names = self._categories()
        try:
            self.controller.start(questions, preset, title)
        except VivaError as e:
            self.show_error(e)
            return
        self.stack.setCurrentWidget(self.interview)
        if report is not None and report.speaker is None:
            self.banner.show_info(report.message())  # after the page change, which clears the banner

    def _on_phase(self, phase: Phase) -> None:
        self.commands.interview.setEnabled(phase is not Phase.IDLE)
        self.commands.settings.setEnabled(phase not in (Phase.RECORDING, Phase.ANALYSING))

    def _leave_interview_home(self) -> None:
        self.controller.reset()
        self.show_home()

    def _leave_interview_history(self) -> None:
        session_id = self.controller.session_id
        self.controller.reset()
        self.show_session(session_id)

    def show_session(self, session_id: int | None) -> None:
        """History, with `session_id` (if any) selected whatever the category filter showed."""
        self.show_history()
        if session_id is not None:
            self.history.filter_by_category(None)
            self.history.select_session(session_id)

    # -- models and settings ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._warm_on_show:
            self._warm_on_show = False
            QTimer.singleShot(0, self._warm_if_open)  # after the window is on screen

    def _warm_if_open(self) -> None:
        if not self.runner.closed:
            self.warm_models()
            offer_recovery(self)

    def warm_models(self) -> Task[str | None]:
        """Load Whisper and the LLM on the models lane, so the first answer does not wait for them."""
        models = self.models

        def work() -> str | None:
            return models.warm(task.report)

        def done(note: str | None) -> None:
            if note:
                self.banner.show_info(note)
            self.models_ready.emit(True)

        def failed(error: Exception) -> None:
            self.show_error(f"The speech model could not be loaded: {describe(error).rstrip('.')}. Interviews and "
                            "analysis need it; history, progress and settings still work.")
            self.models_ready.emit(False)

        task: Task[str | None] = (Task(work).on_lane(MODELS).with_progress("Loading models")
                                  .success(done).failure(failed))
        return task.run(self.runner)

    def open_settings(self, *, page: str = "audio") -> None:
        if self.controller.phase in (Phase.RECORDING, Phase.ANALYSING):
            return
        probes = self.settings_probes or SettingsProbes(voices=self.services.speaker.voices)
        saved = SettingsDialog.edit(self.services.config, self.config_path, self.runner, probes, self, page=page)
        if saved is not None:
            self.apply_config(saved)

    def apply_config(self, config: Config) -> None:
        """Use new settings from now on: models are rebuilt lazily and warmed again."""
        self.services = build(config, self.services.home)
        self.models = ModelAccess(self.services)
        self.audio = self._audio_override or default_audio_io(config)
        c = self.controller
        c.services, c.models, c.io = self.services, self.models, self.audio
        for page in (self.progress, self.analysis, self.interview.review):
            page.targets = config.targets
        self.banner.page_changed()  # what it said may be fixed now; the checks below say again if not
        self.statusBar().showMessage(f"Settings saved to {self.config_path}", 5000)
        self.warm_models()
        self.devices.in_background()

    # -- analysing a recording -----------------------------------------------------------------------

    def ask_and_analyse(self) -> None:
        """File > Analyse recording: choose a file and the question it answers, then `analyse_file`."""
        path, _ = QFileDialog.getOpenFileName(self, "Analyse a recording", str(Path.home()), AUDIO_FILTER)
        if not path:
            return
        try:
            questions = list(self.services.bank.questions.values())
        except VivaError:
            questions = []  # no bank: delivery only
        picker = QuestionPickerDialog(Path(path).name, questions, self._categories(), self)
        if picker.exec() == QDialog.DialogCode.Accepted:
            self.analyse_file(path, picker.picker.selected_question())

    def analyse_file(self, path: str | Path, question: Question | None = None,
                     kind: str | None = None) -> Task[AnalysedFile]:
        """Transcribe `path`, measure delivery and score it against `question` (or as `kind`), in the background."""
        task = self.analyses.analyse(path, question, kind)
        self.banner.clear()
        self.analysis.show_busy(Path(path), question)
        self.commands.analyse.setEnabled(False)
        self.stack.setCurrentWidget(self.analysis)
        return task

    def _analysis_done(self, done: AnalysedFile) -> None:
        self.commands.analyse.setEnabled(True)
        self.analysis.show_analysis(done.source, done.record(), done.question)
        self.statusBar().showMessage(f"Analysed {done.source.name}", 5000)
        self.analysis_finished.emit()

    def _analysis_failed(self, source: Path, error: Exception) -> None:
        self.commands.analyse.setEnabled(True)
        if not isinstance(error, VivaError):
            log.error("unexpected error", exc_info=error)
        self.analysis.show_failure(source, analysis_problem(error))
        self.analysis_finished.emit()

    def _analysis_saved(self, session_id: int) -> None:
        done = self.analyses.current
        self.analysis.show_saved(session_title(done.source) if done else "")
        self.statusBar().showMessage("Saved to History", 5000)

    # -- errors, about, closing ----------------------------------------------------------------------

    def show_error(self, error: BaseException | str) -> None:
        """Put a one-line message in the banner; unexpected exceptions are logged with their traceback."""
        if isinstance(error, BaseException) and not isinstance(error, VivaError):
            log.error("unexpected error", exc_info=error)
        self.banner.show_error(error if isinstance(error, str) else describe(error))

    def closeEvent(self, event: QCloseEvent) -> None:
        # Stop recording and speech, then let a running transcription finish rather than tearing the model
        # down under it.
        self.controller.abort()
        self.interview.review.stop()
        self.runner.shutdown()
        save_geometry(self, self.window_state)
        self.analyses.close()
        super().closeEvent(event)
