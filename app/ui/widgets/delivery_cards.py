"""A row of cards with the answer's delivery figures, each against the user's target."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.config import Targets
from app.domain import Delivery, RubricResult
from app.formatting import DASH, clock

GOOD, WARN, NEUTRAL = "#1e8e3e", "#b3261e", "#3c4043"
CARDS = ("pace", "fillers", "pause", "length", "score")


@dataclass(frozen=True)
class CardText:
    value: str
    caption: str
    colour: str = NEUTRAL


def card_texts(d: Delivery, rubric: RubricResult | None, targets: Targets, suggested_s: int) -> dict[str, CardText]:
    band = f"target {targets.wpm_low:.0f}\u2013{targets.wpm_high:.0f}"
    if d.wpm < targets.wpm_low:
        pace = CardText(f"{d.wpm:.0f} wpm", f"slow \u00b7 {band}", WARN)
    elif d.wpm > targets.wpm_high:
        pace = CardText(f"{d.wpm:.0f} wpm", f"fast \u00b7 {band}", WARN)
    else:
        pace = CardText(f"{d.wpm:.0f} wpm", f"on target \u00b7 {band}", GOOD)
    ok = d.fillers_per_100_words <= targets.fillers_per_100_max
    fillers = CardText(f"{d.fillers_per_100_words:.1f} / 100 words",
                       f"{len(d.fillers)} filler(s) \u00b7 target \u2264 {targets.fillers_per_100_max:g}",
                       GOOD if ok else WARN)
    long_ok = d.longest_pause_s < targets.long_pause_s
    pause = CardText(f"{d.longest_pause_s:.1f} s", f"{d.long_pauses_2s} pause(s) over 2 s", GOOD if long_ok else WARN)
    length = CardText(clock(d.duration_s), f"{d.word_count} words \u00b7 {clock(suggested_s)} suggested",
                      WARN if d.duration_s > suggested_s * 1.25 else NEUTRAL)
    if rubric is None:
        score = CardText(DASH, "structure not scored")
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
