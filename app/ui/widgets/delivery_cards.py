"""A row of cards with the answer's delivery figures, each against the user's target."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.config import Targets
from app.domain import Delivery, RubricResult
from app.formatting import DASH, clock, plural
from app.review.coaching import length_verdict, long_pauses, pace_side

GOOD, WARN, NEUTRAL = "#1e8e3e", "#b3261e", "#3c4043"
CARDS = ("pace", "fillers", "pause", "length", "score")
PACE_WORDS = {"slow": "Too slow", "fast": "Too fast", "on target": "On target"}


@dataclass(frozen=True)
class CardText:
    value: str
    caption: str
    colour: str = NEUTRAL


def card_texts(d: Delivery, rubric: RubricResult | None, targets: Targets, suggested_s: int) -> dict[str, CardText]:
    band = f"target {targets.wpm_low:.0f}\u2013{targets.wpm_high:.0f}"
    side = pace_side(d.wpm, targets)
    pace = CardText(f"{d.wpm:.0f} wpm", f"{PACE_WORDS[side]} \u00b7 {band}", GOOD if side == "on target" else WARN)
    ok = d.fillers_per_100_words <= targets.fillers_per_100_max
    fillers = CardText(f"{d.fillers_per_100_words:.1f} / 100 words",
                       f"{plural(len(d.fillers), 'filler')} \u00b7 target \u2264 {targets.fillers_per_100_max:g}",
                       GOOD if ok else WARN)
    n_long = long_pauses(d, targets)
    pause = CardText(f"{d.longest_pause_s:.1f} s", f"{plural(n_long, 'pause')} of {targets.long_pause_s:g} s or more",
                     WARN if n_long else GOOD)
    verdict = length_verdict(d.duration_s, suggested_s)
    words = plural(d.word_count, "word")
    if suggested_s > 0:
        length = CardText(clock(d.duration_s), f"{verdict.text.split(':')[0]} \u00b7 {clock(suggested_s)} suggested",
                          GOOD if verdict.ok else WARN)
    else:
        length = CardText(clock(d.duration_s), words.capitalize())
    if rubric is None:
        score = CardText(DASH, "Structure not scored")
    else:
        score = CardText(f"{rubric.score}/100", f"{sum(i.present for i in rubric.items)} of {len(rubric.items)} "
                         "points covered", GOOD if rubric.score >= 75 else (NEUTRAL if rubric.score >= 50 else WARN))
    return {"pace": pace, "fillers": fillers, "pause": pause, "length": length, "score": score}


class DeliveryCards(QWidget):
    TITLES = {"pace": "Pace", "fillers": "Fillers", "pause": "Longest pause", "length": "Length",
              "score": "Structure"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deliveryCards")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for key in CARDS:
            card = QFrame(self)
            card.setObjectName(f"card_{key}")
            card.setFrameShape(QFrame.Shape.StyledPanel)
            card.setStyleSheet(f"#card_{key} {{ background: #f8f9fa; border: 1px solid #dadce0; border-radius: 6px; }}")
            title = QLabel(self.TITLES[key], card)
            title.setStyleSheet("color: #5f6368;")
            value = QLabel(DASH, card)
            font = QFont(value.font())
            font.setPointSizeF(font.pointSizeF() * 1.5)
            font.setBold(True)
            value.setFont(font)
            caption = QLabel(card)
            caption.setWordWrap(True)
            caption.setStyleSheet("color: #5f6368;")
            box = QVBoxLayout(card)
            box.setContentsMargins(10, 6, 10, 6)
            box.setSpacing(2)
            box.addWidget(title)
            box.addWidget(value)
            box.addWidget(caption)
            layout.addWidget(card, 1)
            self.values[key], self.captions[key] = value, caption

    def show_answer(self, d: Delivery, rubric: RubricResult | None, targets: Targets, suggested_s: int) -> None:
        for key, text in card_texts(d, rubric, targets, suggested_s).items():
            self.values[key].setText(text.value)
            self.values[key].setStyleSheet(f"color: {text.colour};")
            self.captions[key].setText(text.caption)

    def text(self, key: str) -> str:
        return f"{self.values[key].text()} ({self.captions[key].text()})"
