"""The review of one answer, the same wherever an answer is reviewed (interview, analysis of a recording,
history): the coaching summary, delivery cards against targets, what changed since the previous take (and both
takes side by side), the marked transcript with a timeline strip and playback, and the rubric checklist with
quotes and advice on what was missing."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.audio_io import PlayerFactory
from app.config import Targets
from app.review.answer import AnswerRecord
from app.review.coaching import coach
from app.review.compare import BETTER, COLOURS, WORSE, Comparison, compare
from app.review.marks import mark_words, word_at
from app.review.timeline import timeline
from app.ui.widgets.coaching_box import CoachingBox
from app.ui.widgets.delivery_cards import DeliveryCards
from app.ui.widgets.playback_bar import PlaybackBar
from app.ui.widgets.rubric_checklist import RubricChecklist
from app.ui.widgets.take_compare import TakeCompare
from app.ui.widgets.timeline import TimelineStrip
from app.ui.widgets.transcript_view import TranscriptView, legend_html


def comparison_html(c: Comparison, previous: str) -> str:
    """The changes since `previous` ("Take 1"), each coloured by whether it moved toward its target."""
    parts = [f'<span style="color:{ch.colour}">{escape(ch.text)}</span>' for ch in c.changes]
    lines = [f"<b>Compared with {escape(previous.lower())}:</b> " + " &nbsp;\u00b7&nbsp; ".join(parts)]
    if c.gained:
        lines.append(f'<span style="color:{COLOURS[BETTER]}">Now covered: {escape(", ".join(c.gained))}</span>')
    if c.lost:
        lines.append(f'<span style="color:{COLOURS[WORSE]}">No longer covered: {escape(", ".join(c.lost))}</span>')
    if not c.gained and not c.lost:
        lines.append("Same rubric points covered as before.")
    return "<br>".join(lines)


def earlier_scores_text(record: AnswerRecord) -> str:
    """The other stored results of this answer (`viva rescore` adds them), latest first; "" when there are none."""
    if not record.earlier_scores or record.analysis.rubric is None:
        return ""
    shown = f"{record.analysis.rubric.score}/100 by {record.analysis.rubric.model.get('name', '')}"
    others = ", ".join(f"{score}/100 by {model}" for model, score in record.earlier_scores)
    return f"Shown: {shown} (latest). Earlier: {others}."


class ReviewPanel(QWidget):
    """`shortcuts=True` adds Space and Ctrl+P for play / pause, anywhere in the window while the panel is shown
    (for a review window, and the analysis page; the interview page has its own)."""

    def __init__(self, new_player: PlayerFactory, targets: Targets | None = None,
                 parent: QWidget | None = None, *, shortcuts: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.targets = targets or Targets()
        self.record: AnswerRecord | None = None

        self.heading = QLabel(self)
        self.heading.setObjectName("reviewHeading")
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.coaching = CoachingBox(self)
        self.cards = DeliveryCards(self)
        self.comparison = QLabel(self)
        self.comparison.setObjectName("comparison")
        self.comparison.setWordWrap(True)
        self.comparison.setStyleSheet("QLabel { background: #f1f3f4; border-radius: 4px; padding: 6px; }")

        self.transcript = TranscriptView(self)
        self.transcript.word_clicked.connect(self._seek_to_word)
        legend = QLabel(legend_html(), self)
        legend.setObjectName("transcriptLegend")
        legend.setWordWrap(True)
        self.timeline = TimelineStrip(self)
        self.player = PlaybackBar(new_player, self)
        self.player.position_changed.connect(self._follow)
        self.player.problem.connect(self._audio_problem)
        self.timeline.seek_requested.connect(self.player.play_from)
        self.audio_note = QLabel(self)
        self.audio_note.setObjectName("audioNote")
        self.audio_note.setWordWrap(True)
        self.audio_note.setStyleSheet("color: #5f6368;")
        transcript_box = QGroupBox("Transcript", self)
        box = QVBoxLayout(transcript_box)
        box.addWidget(legend)
        box.addWidget(self.transcript, 1)
        box.addWidget(self.timeline)
        box.addWidget(self.player)
        box.addWidget(self.audio_note)

        self.checklist = RubricChecklist(self)
        self.checklist.item_selected.connect(self.show_evidence)
        self.evidence_note = QLabel(self)
        self.evidence_note.setObjectName("evidenceNote")
        self.evidence_note.setWordWrap(True)
        self.follow_up = QLabel(self)
        self.follow_up.setObjectName("followUp")
        self.follow_up.setWordWrap(True)
        self.follow_up.setStyleSheet("QLabel { background: #e8f0fe; border-radius: 4px; padding: 6px; }")
        self.earlier_scores = QLabel(self)
        self.earlier_scores.setObjectName("earlierScores")
        self.earlier_scores.setTextFormat(Qt.TextFormat.PlainText)  # model names are user text
        self.earlier_scores.setWordWrap(True)
        self.earlier_scores.setStyleSheet("color: #5f6368;")
        rubric_box = QGroupBox("Structure", self)
        box = QVBoxLayout(rubric_box)
        box.addWidget(self.earlier_scores)
        box.addWidget(self.checklist, 1)
        box.addWidget(self.evidence_note)
        box.addWidget(self.follow_up)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(transcript_box)
        splitter.addWidget(rubric_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        self.takes = TakeCompare(new_player, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("reviewTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(splitter, "This take")
        self.tabs.addTab(self.takes, "Takes side by side")
        self.tabs.currentChanged.connect(lambda _i: self._pause_all())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.coaching)
        layout.addWidget(self.cards)
        layout.addWidget(self.comparison)
        layout.addWidget(self.tabs, 1)

        self.play_actions: list[QAction] = []
        if shortcuts:
            for key in ("Space", "Ctrl+P"):
                action = QAction("Play / pause the answer", self)
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                action.triggered.connect(lambda _checked=False: self.toggle_playback())
                self.addAction(action)
                self.play_actions.append(action)

    def show_answer(self, record: AnswerRecord) -> None:
        self.stop()
        self.record = record
        a = record.analysis
        self.heading.setText(f"Your answer \u00b7 {record.label}")
        self.coaching.show_coaching(coach(a, record.suggested_s, self.targets))
        self.cards.show_answer(a.delivery, a.rubric, self.targets, record.suggested_s)
        previous = record.previous
        if previous is not None:
            self.comparison.setText(comparison_html(compare(previous.analysis, a, self.targets, record.suggested_s),
                                                    previous.label))
            self.takes.show_takes(previous, record, self.targets)
            self.tabs.setTabText(1, f"{previous.label} and {record.label.lower()} side by side")
        else:
            self.comparison.clear()
        self.comparison.setVisible(previous is not None)
        self.tabs.setCurrentIndex(0)
        self.tabs.tabBar().setVisible(previous is not None)
        self.tabs.setTabEnabled(1, previous is not None)
        self.transcript.set_marks(mark_words(a.transcript, a.delivery, a.rubric), self.targets.long_pause_s)
        self.timeline.set_timeline(timeline(a.transcript, a.delivery, self.targets.long_pause_s))
        self.checklist.set_result(a.rubric)
        self.earlier_scores.setText(earlier_scores_text(record))
        self.earlier_scores.setVisible(bool(record.earlier_scores))
        self.evidence_note.setText("Select a covered point to see where you said it." if a.rubric else "")
        self.follow_up.setText(f"<b>Follow-up:</b> {escape(record.follow_up)}" if record.follow_up else "")
        self.follow_up.setVisible(bool(record.follow_up))
        self.audio_note.clear()
        self.player.load(record.audio)

    def show_evidence(self, item_id: str) -> None:
        if self.transcript.show_evidence(item_id):
            self.evidence_note.setText("Highlighted in green in the transcript.")
        else:
            self.evidence_note.setText("Nothing in this answer shows this point yet.")

    def show_side_by_side(self) -> None:
        if self.tabs.isTabEnabled(1):
            self.tabs.setCurrentIndex(1)

    def toggle_playback(self) -> None:
        """Play / pause the take on screen (side by side: the one playing, else the newer take)."""
        if self.tabs.currentIndex() == 1:
            before, after = self.takes.before.player, self.takes.after.player
            (before if before.playing else after).toggle()
        else:
            self.player.toggle()

    def stop(self) -> None:
        self.player.stop()
        self.takes.stop()

    def _pause_all(self) -> None:
        for bar in (self.player, self.takes.before.player, self.takes.after.player):
            bar.pause_if_playing()

    def _seek_to_word(self, index: int) -> None:
        self.player.play_from(self.transcript.marks[index].word.start)

    def _follow(self, seconds: float) -> None:
        self.timeline.set_position(seconds)
        if not self.player.playing and seconds <= 0:
            self.transcript.highlight_word(None)
            return
        self.transcript.highlight_word(word_at([m.word for m in self.transcript.marks], seconds))

    def _audio_problem(self, message: str) -> None:
        self.audio_note.setText(message)
