"""The review of one answer: delivery cards, what changed since the previous take, the marked transcript with
playback, and the rubric checklist with advice on what was missing."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QVBoxLayout, QWidget

from app.audio_io import PlayerFactory
from app.config import Targets
from app.review.answer import AnswerRecord
from app.review.compare import Comparison, compare
from app.review.marks import mark_words, word_at
from app.ui.widgets.delivery_cards import DeliveryCards
from app.ui.widgets.playback_bar import PlaybackBar
from app.ui.widgets.rubric_checklist import RubricChecklist
from app.ui.widgets.transcript_view import TranscriptView, legend_html

BETTER, WORSE = "#137333", "#a50e0e"


def comparison_html(c: Comparison, previous_take: int) -> str:
    parts = []
    for change in c.changes:
        colour = "" if change.better is None else f' style="color:{BETTER if change.better else WORSE}"'
        parts.append(f"<span{colour}>{escape(change.text)}</span>")
    lines = [f"<b>Compared with take {previous_take}:</b> " + " &nbsp;\u00b7&nbsp; ".join(parts)]
    if c.gained:
        lines.append(f'<span style="color:{BETTER}">Now covered: {escape(", ".join(c.gained))}</span>')
    if c.lost:
        lines.append(f'<span style="color:{WORSE}">No longer covered: {escape(", ".join(c.lost))}</span>')
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
    def __init__(self, new_player: PlayerFactory, targets: Targets | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.targets = targets or Targets()
        self.record: AnswerRecord | None = None

        self.heading = QLabel(self)
        self.heading.setObjectName("reviewHeading")
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
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
        self.player = PlaybackBar(new_player, self)
        self.player.position_changed.connect(self._follow)
        self.player.problem.connect(self._audio_problem)
        self.audio_note = QLabel(self)
        self.audio_note.setObjectName("audioNote")
        self.audio_note.setWordWrap(True)
        self.audio_note.setStyleSheet("color: #5f6368;")
        transcript_box = QGroupBox("Transcript", self)
        box = QVBoxLayout(transcript_box)
        box.addWidget(legend)
        box.addWidget(self.transcript, 1)
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.cards)
        layout.addWidget(self.comparison)
        layout.addWidget(splitter, 1)

    def show_answer(self, record: AnswerRecord) -> None:
        self.record = record
        a = record.analysis
        q = record.question
        self.heading.setText(f"Your answer (take {record.take})" if record.take > 1 else "Your answer")
        self.cards.show_answer(a.delivery, a.rubric, self.targets, q.answer_time_s)
        if record.previous is not None:
            self.comparison.setText(comparison_html(compare(record.previous.analysis, a, self.targets),
                                                    record.previous.take))
            self.comparison.show()
        else:
            self.comparison.clear()
            self.comparison.hide()
        self.transcript.set_marks(mark_words(a.transcript, a.delivery, a.rubric), self.targets.long_pause_s)
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

    def stop(self) -> None:
        self.player.stop()

    def _seek_to_word(self, index: int) -> None:
        self.player.play_from(self.transcript.marks[index].word.start)

    def _follow(self, seconds: float) -> None:
        if not self.player.playing and seconds <= 0:
            self.transcript.highlight_word(None)
            return
        self.transcript.highlight_word(word_at([m.word for m in self.transcript.marks], seconds))

    def _audio_problem(self, message: str) -> None:
        self.audio_note.setText(message)
