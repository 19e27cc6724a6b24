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
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.audio_io import PlayerFactory
from app.config import Targets
from app.domain import Question
from app.formatting import clock, plural
from app.review.answer import AnswerRecord
from app.ui.dialogs.review import ReviewDialog
from app.ui.interview_controller import InterviewController, Phase
from app.ui.widgets.record_panel import RecordPanel
from app.ui.widgets.review_panel import ReviewPanel
from app.ui.widgets.summary_panel import SummaryPanel
from app.ui.widgets.take_feedback import TakeFeedback

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
        self.new_player = new_player
        self.end_box: QMessageBox | None = None  # the confirmation on screen, if any
        self.end_confirm: QPushButton | None = None  # its "End session" button
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
        self.end_action = self._action("end", "&End session", "Ctrl+E", self.ask_end)

        self.record = RecordPanel(self)
        self.record.answer_button.clicked.connect(self.answer_action.trigger)
        self.earlier = TakeFeedback(self)  # the previous take's feedback, while answering again
        self.earlier.hide()
        self.answering = QWidget(self)
        answering = QHBoxLayout(self.answering)
        answering.setContentsMargins(0, 0, 0, 0)
        answering.addWidget(self.record, 3)
        answering.addWidget(self.earlier, 2)
        self.review = ReviewPanel(new_player, targets, self)
        self.summary = SummaryPanel(self, targets)
        self.summary.home_requested.connect(self.home_requested)
        self.summary.history_requested.connect(self.history_requested)
        self.summary.review_requested.connect(self.open_review)
        self.stack = QStackedWidget(self)
        for panel in (self.answering, self.review, self.summary):
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
            self.stack.setCurrentWidget(self.answering)
        if not c.active and self.end_box is not None:
            self.end_box.done(0)  # the session ended anyway: nothing left to confirm
        last = self.controller.position >= self.controller.total
        self.next_button.setText("Finish \u2192" if last else "Next question \u2192")

    def _on_question(self, position: int, total: int, q: Question) -> None:
        category = self.category_names.get(q.category, q.category.replace("_", " "))
        self.progress.setText(f"Question {position} of {total} \u00b7 {category} \u00b7 "
                              f"{KIND_NAMES.get(q.kind, q.kind)} \u00b7 {clock(q.answer_time_s)} suggested")
        self.question.setText(q.text)
        self.voice_status.clear()
        self.earlier.hide()
        self.record.prepare(q.answer_time_s)

    def _on_speaking(self, speaking: bool) -> None:
        if speaking:
            self.voice_status.setStyleSheet("color: #1a73e8;")
            self.voice_status.setText(READING)
        elif self.voice_status.text() == READING:
            self.voice_status.clear()

    def _on_speech_failed(self, message: str) -> None:
        """Said in the answer area's message box, as a full sentence, not squeezed beside the voice buttons."""
        self.voice_status.clear()
        self.record.show_problem(message)

    def _on_answer(self, record: AnswerRecord) -> None:
        self.review.show_answer(record)
        self.stack.setCurrentWidget(self.review)

    def _on_finished(self, _session_id: int) -> None:
        c = self.controller
        self.review.stop()
        self.summary.targets = self.review.targets
        summary = c.summary()
        if summary is not None:
            self.summary.show_summary(c.title, summary)
        self.stack.setCurrentWidget(self.summary)
        self.summary.table.setFocus()

    def record_of(self, attempt_id: int) -> AnswerRecord | None:
        """An answer of this session, by its attempt id (takes and follow-up answers alike)."""
        c = self.controller
        for takes in (*c.answers.values(), *c.follow_up_answers.values()):
            for record in takes:
                if record.attempt_id == attempt_id:
                    return record
        return None

    def open_review(self, attempt_id: int) -> ReviewDialog | None:
        """A summary row's answer in its own review window, with replay."""
        record = self.record_of(attempt_id)
        if record is None:
            return None
        dialog = ReviewDialog(record, self.new_player, self.review.targets, self)
        dialog.show()
        return dialog

    # -- user actions ----------------------------------------------------------------------------------

    def _retry(self) -> None:
        c = self.controller
        if c.phase is Phase.REVIEW:
            take = len(c.answers.get(c.position, [])) + 1
            latest = c.latest()  # the take being improved on (also after a follow-up answer was reviewed)
            c.retake()
            self._keep_feedback(latest)
            self.record.prepare(c.question.answer_time_s, take)

    def _answer_follow_up(self) -> None:
        c = self.controller
        if c.pending_follow_up:
            self._keep_feedback(c.latest())
            self.record.prepare(c.question.answer_time_s)
            c.answer_follow_up()

    def _keep_feedback(self, record: AnswerRecord | None) -> None:
        """Keep the answer just reviewed in sight while answering again."""
        if record is None:
            self.earlier.hide()
        else:
            self.earlier.show_record(record, self.review.targets)

    def ask_end(self) -> None:
        """End session (Ctrl+E): asks first when something would be lost or cut short (an answer given, or one
        being recorded); with nothing answered yet it just ends."""
        c = self.controller
        answered = sum(len(t) for t in c.answers.values()) + sum(len(t) for t in c.follow_up_answers.values())
        recording = c.phase is Phase.RECORDING
        if not c.active or (not answered and not recording and c.phase is not Phase.ANALYSING):
            c.end()
            return
        if self.end_box is not None:
            self.end_box.raise_()
            return
        lines = [f"Your {plural(answered, 'answer')} so far {'is' if answered == 1 else 'are'} kept in History."
                 if answered else "Nothing has been answered yet."]
        if recording:
            lines.append("The answer you are recording now will not be kept.")
        elif c.phase is Phase.ANALYSING:
            lines.append("The answer being analysed is kept.")
        left = c.total - c.position
        if left > 0:
            lines.append(f"{plural(left, 'question')} will not be asked.")
        box = QMessageBox(QMessageBox.Icon.Question, "End session", "End this session now?", parent=self)
        box.setObjectName("endSessionBox")
        box.setInformativeText(" ".join(lines))
        confirm = box.addButton("End session", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep practising", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(lambda button: c.end() if button is confirm else None)
        box.finished.connect(self._end_box_closed)
        self.end_box, self.end_confirm = box, confirm
        box.open()

    def _end_box_closed(self, _result: int) -> None:
        if self.end_box is not None:
            self.end_box.deleteLater()
        self.end_box = self.end_confirm = None

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
