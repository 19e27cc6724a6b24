"""Two takes of the same question side by side: each with its figures, marked transcript and its own playback.
Playing one take pauses the other."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.audio_io import PlayerFactory
from app.config import Targets
from app.formatting import clock
from app.review.answer import AnswerRecord
from app.review.marks import mark_words, word_at
from app.ui.widgets.playback_bar import PlaybackBar
from app.ui.widgets.transcript_view import TranscriptView


def take_figures(record: AnswerRecord) -> str:
    d, r = record.analysis.delivery, record.analysis.rubric
    parts = [clock(d.duration_s), f"{d.wpm:.0f} wpm", f"{d.fillers_per_100_words:.1f} fillers / 100 words"]
    if r is not None:
        parts.append(f"structure {r.score}/100")
    return " \u00b7 ".join(parts)


class TakeColumn(QGroupBox):
    def __init__(self, new_player: PlayerFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures = QLabel(self)
        self.figures.setWordWrap(True)
        self.transcript = TranscriptView(self)
        self.player = PlaybackBar(new_player, self)
        self.transcript.word_clicked.connect(lambda i: self.player.play_from(self.transcript.marks[i].word.start))
        self.player.position_changed.connect(self._follow)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self.player)

    def show_take(self, record: AnswerRecord, targets: Targets) -> None:
        self.setTitle(record.label)
        self.figures.setText(take_figures(record))
        a = record.analysis
        self.transcript.set_marks(mark_words(a.transcript, a.delivery, a.rubric), targets.long_pause_s)
        self.player.load(record.audio)

    def _follow(self, seconds: float) -> None:
        playing = self.player.playing or seconds > 0
        self.transcript.highlight_word(word_at([m.word for m in self.transcript.marks], seconds) if playing else None)


class TakeCompare(QWidget):
    def __init__(self, new_player: PlayerFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("takeCompare")
        self.before = TakeColumn(new_player, self)
        self.before.setObjectName("takeBefore")
        self.after = TakeColumn(new_player, self)
        self.after.setObjectName("takeAfter")
        self.before.player.started.connect(self.after.player.pause_if_playing)
        self.after.player.started.connect(self.before.player.pause_if_playing)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.before, 1)
        layout.addWidget(self.after, 1)

    def show_takes(self, before: AnswerRecord, after: AnswerRecord, targets: Targets) -> None:
        self.before.show_take(before, targets)
        self.after.show_take(after, targets)

    def stop(self) -> None:
        self.before.player.stop()
        self.after.player.stop()
