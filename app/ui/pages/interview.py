"""The interview screen: the question (read aloud), answering it, its review, and the session summary.

What happens is decided by the `InterviewController`; this page shows its signals and turns the user's
buttons and shortcuts into its method calls. Every control is also a QAction with a shortcut, listed in
the window's Interview menu and enabled only when it makes sense.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QFont, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.audio_io import PlayerFactory
from app.config import Targets
from app.domain import Question
from app.formatting import clock
from app.review.answer import AnswerRecord
from app.ui.interview_controller import InterviewController, Phase
from app.ui.widgets.record_panel import RecordPanel
from app.ui.widgets.review_panel import ReviewPanel
from app.ui.widgets.summary_panel import SummaryPanel

READING = "Reading the question aloud\u2026 (Esc to stop)"
KIND_NAMES = {"behavioral": "STAR answer", "technical": "concept explanation", "design": "design discussion"}

# Which actions are usable in each phase.
ENABLED: dict[Phase, frozenset[str]] = {
    Phase.IDLE: frozenset(),
    Phase.ASKING: frozenset({"answer", "follow_up_answer", "replay", "stop_voice", "skip", "end"}),
    Phase.RECORDING: frozenset({"answer", "end"}),
    Phase.ANALYSING: frozenset({"end"}),
    Phase.REVIEW: frozenset({"follow_up_answer", "replay", "stop_voice", "next", "retry", "end", "play"}),
    Phase.FINISHED: frozenset(),
}


class InterviewPage(QWidget):
    home_requested = Signal()
    history_requested = Signal()

    def __init__(self, controller: InterviewController, new_player: PlayerFactory, targets: Targets,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("interviewPage")
        self.controller = controller
        self.category_names: dict[str, str] = {}  # category id -> display name, set by the window

        self.progress = QLabel(self)
        self.progress.setObjectName("questionProgress")
        self.progress.setStyleSheet("color: #5f6368;")
        self.question = QLabel(self)
        self.question.setObjectName("questionText")
        self.question.setWordWrap(True)
        font = QFont(self.question.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.question.setFont(font)
        self.voice_status = QLabel(self)
        self.voice_status.setObjectName("voiceStatus")
        self.voice_status.setWordWrap(True)

        self.read_aloud = QCheckBox("Read questions aloud", self)
        self.read_aloud.setChecked(controller.speak_questions)
        self.read_aloud.toggled.connect(self._set_read_aloud)
        self.follow_up = QCheckBox("Ask a follow-up on what was missing", self)
        self.follow_up.setObjectName("followUpOption")
        self.follow_up.setChecked(controller.ask_follow_up)
        self.follow_up.toggled.connect(lambda on: setattr(controller, "ask_follow_up", on))

        self.actions_by_name: dict[str, QAction] = {}
        self.answer_action = self._action("answer", "&Answer / stop", "Space", controller.toggle_recording)
        self.replay_action = self._action("replay", "&Replay question", "Ctrl+R", controller.replay)
        self.stop_voice_action = self._action("stop_voice", "S&top voice and playback", "Esc", self._stop_audio)
        self.play_action = self._action("play", "&Play / pause answer", "Ctrl+P", self._toggle_playback)
        self.retry_action = self._action("retry", "&Try again", "Ctrl+T", self._retry)
        self.follow_up_action = self._action("follow_up_answer", "Answer the &follow-up", "Ctrl+F",
                                             self._answer_follow_up)
        self.skip_action = self._action("skip", "&Skip question", "Ctrl+Shift+N", controller.skip)
        self.next_action = self._action("next", "&Next question", "Ctrl+N", controller.next_question)
        self.end_action = self._action("end", "&End session", "Ctrl+E", controller.end)

        self.record = RecordPanel(self)
        self.record.answer_button.clicked.connect(self.answer_action.trigger)
        self.review = ReviewPanel(new_player, targets, self)
        self.summary = SummaryPanel(self)
        self.summary.home_requested.connect(self.home_requested)
        self.summary.history_requested.connect(self.history_requested)
        self.stack = QStackedWidget(self)
        for panel in (self.record, self.review, self.summary):
            self.stack.addWidget(panel)

        self.replay_button = self._button(self.replay_action, "\u21ba Replay question")
        self.stop_voice_button = self._button(self.stop_voice_action, "\u25a0 Stop voice")
        self.skip_button = self._button(self.skip_action, "Skip")
        self.retry_button = self._button(self.retry_action, "\u21bb Try again")
        self.follow_up_button = self._button(self.follow_up_action, "Answer follow-up")
        self.next_button = self._button(self.next_action, "Next question \u2192")
        self.end_button = self._button(self.end_action, "End session")

        voice = QHBoxLayout()
        voice.addWidget(self.replay_button)
        voice.addWidget(self.stop_voice_button)
        voice.addWidget(self.voice_status, 1)
        voice.addWidget(self.read_aloud)
        voice.addWidget(self.follow_up)
        self.header = QWidget(self)
        header = QVBoxLayout(self.header)
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.progress)
        header.addWidget(self.question)
        header.addLayout(voice)

        footer = QHBoxLayout()
        footer.addWidget(self.end_button)
        footer.addStretch(1)
        footer.addWidget(self.skip_button)
        footer.addWidget(self.retry_button)
        footer.addWidget(self.follow_up_button)
        footer.addWidget(self.next_button)
        self.footer = QWidget(self)
        self.footer.setLayout(footer)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.footer)

        controller.phase_changed.connect(self._on_phase)
        controller.question_shown.connect(self._on_question)
        controller.speaking_changed.connect(self._on_speaking)
        controller.speech_failed.connect(self._on_speech_failed)
        controller.level.connect(self.record.meter.set_level)
        controller.words.connect(self.record.add_words)
        controller.analysing.connect(self.record.show_analysing)
        controller.answer_ready.connect(self._on_answer)
        controller.answer_failed.connect(self.record.show_problem)
        controller.finished.connect(self._on_finished)
        self._on_phase(controller.phase)

    # -- building --------------------------------------------------------------------------------------

    def _action(self, name: str, text: str, shortcut: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.actions_by_name[name] = action
        return action

    def _button(self, action: QAction, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(f"{action.text().replace('&', '')} ({action.shortcut().toString()})")
        button.clicked.connect(action.trigger)
        action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
        button.setEnabled(action.isEnabled())
        return button

    def menu_actions(self) -> list[QAction]:
        return list(self.actions_by_name.values())

    # -- controller signals -----------------------------------------------------------------------------

    def _enable_actions(self) -> None:
        """Actions fit for the phase, and only while this page is on screen (Space means nothing elsewhere)."""
        allowed = ENABLED[self.controller.phase] if self.isVisible() else frozenset()
        if not self.controller.pending_follow_up:
            allowed -= {"follow_up_answer"}
        for name, action in self.actions_by_name.items():
            action.setEnabled(name in allowed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._enable_actions()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._enable_actions()

    def _on_phase(self, phase: Phase) -> None:
        self._enable_actions()
        self.header.setVisible(phase is not Phase.FINISHED)
        self.footer.setVisible(phase is not Phase.FINISHED)
        self.record.set_recording(phase is Phase.RECORDING)
        c = self.controller
        if c.active:
            following = c.answering_follow_up if phase is not Phase.ASKING else None
            self.question.setText(f"Follow-up: {following}" if following else c.question.text)
        if phase in (Phase.ASKING, Phase.RECORDING, Phase.ANALYSING):
            self.review.stop()
            self.stack.setCurrentWidget(self.record)
        last = self.controller.position >= self.controller.total
        self.next_button.setText("Finish \u2192" if last else "Next question \u2192")

    def _on_question(self, position: int, total: int, q: Question) -> None:
        category = self.category_names.get(q.category, q.category.replace("_", " "))
        self.progress.setText(f"Question {position} of {total} \u00b7 {category} \u00b7 "
                              f"{KIND_NAMES.get(q.kind, q.kind)} \u00b7 {clock(q.answer_time_s)} suggested")
        self.question.setText(q.text)
        self.voice_status.clear()
        self.record.prepare(q.answer_time_s)

    def _on_speaking(self, speaking: bool) -> None:
        if speaking:
            self.voice_status.setStyleSheet("color: #1a73e8;")
            self.voice_status.setText(READING)
        elif self.voice_status.text() == READING:
            self.voice_status.clear()

    def _on_speech_failed(self, message: str) -> None:
        self.voice_status.setStyleSheet("color: #b3261e;")
        self.voice_status.setText(message)

    def _on_answer(self, record: AnswerRecord) -> None:
        self.review.show_answer(record)
        self.stack.setCurrentWidget(self.review)

    def _on_finished(self, _session_id: int) -> None:
        c = self.controller
        self.review.stop()
        summary = c.summary()
        if summary is not None:
            self.summary.show_summary(c.title, summary)
        self.stack.setCurrentWidget(self.summary)

    # -- user actions ----------------------------------------------------------------------------------

    def _retry(self) -> None:
        c = self.controller
        if c.phase is Phase.REVIEW:
            take = len(c.answers.get(c.position, [])) + 1
            c.retake()
            self.record.prepare(c.question.answer_time_s, take)

    def _answer_follow_up(self) -> None:
        c = self.controller
        if c.pending_follow_up:
            self.record.prepare(c.question.answer_time_s)
            c.answer_follow_up()

    def _set_read_aloud(self, on: bool) -> None:
        self.controller.speak_questions = on
        if not on:
            self.controller.stop_speaking()

    def _stop_audio(self) -> None:
        self.controller.stop_speaking()
        if self.review.player.playing:
            self.review.player.pause()

    def _toggle_playback(self) -> None:
        self.review.player.toggle()
