"""The result of analysing one recording: transcript, delivery numbers and the rubric verdicts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.config import Targets
from app.domain import Analysis, Delivery, RubricResult
from app.formatting import DASH

METRICS = ("Duration", "Words", "Pace", "Fillers", "Filler words", "Hedges", "Longest pause", "Pauses over 2 s")
PRESENT, MISSING = "\u2713", "\u2717"


def _within(value: float, low: float, high: float) -> str:
    if value < low:
        return "slow"
    return "fast" if value > high else "on target"


def delivery_lines(d: Delivery, targets: Targets) -> dict[str, str]:
    """The metrics table's text for one answer, with the user's targets as the yardstick."""
    fillers = ", ".join(sorted({f.text.lower() for f in d.fillers}))
    return {
        "Duration": f"{d.duration_s:.1f} s (speaking {d.speaking_s:.1f} s)",
        "Words": str(d.word_count),
        "Pace": f"{d.wpm:.0f} wpm, {_within(d.wpm, targets.wpm_low, targets.wpm_high)} "
                f"(target {targets.wpm_low:.0f}\u2013{targets.wpm_high:.0f})",
        "Fillers": f"{len(d.fillers)} ({d.fillers_per_100_words:.1f} per 100 words; target \u2264 "
                   f"{targets.fillers_per_100_max:.0f})",
        "Filler words": fillers or DASH,
        "Hedges": str(len(d.hedges)),
        "Longest pause": f"{d.longest_pause_s:.1f} s",
        "Pauses over 2 s": str(d.long_pauses_2s),
    }


def rubric_lines(r: RubricResult) -> list[str]:
    lines = []
    for item in r.items:
        name = item.id.replace("_", " ").capitalize()
        if item.present and item.evidence:
            lines.append(f"{PRESENT} {name}: \u201c{item.evidence[0].text}\u201d")
        elif item.present:
            lines.append(f"{PRESENT} {name}")
        else:
            lines.append(f"{MISSING} {name}: {item.advice}" if item.advice else f"{MISSING} {name}")
    return lines


class AnalysisPage(QWidget):
    def __init__(self, targets: Targets | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisPage")
        self.targets = targets or Targets()
        self.source: Path | None = None

        self.heading = QLabel("Analyse a recording with File \u203a Analyse recording\u2026 (Ctrl+O).", self)
        self.heading.setObjectName("analysisHeading")
        self.heading.setWordWrap(True)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)

        self.transcript = QPlainTextEdit(self)
        self.transcript.setObjectName("analysisTranscript")
        self.transcript.setReadOnly(True)
        self.transcript.setPlaceholderText("The transcript appears here.")
        transcript_box = QGroupBox("Transcript", self)
        QVBoxLayout(transcript_box).addWidget(self.transcript)

        self._metric_values: dict[str, QLabel] = {}
        metrics_box = QGroupBox("Delivery", self)
        form = QFormLayout(metrics_box)
        for name in METRICS:
            value = QLabel(DASH, metrics_box)
            value.setWordWrap(True)
            self._metric_values[name] = value
            form.addRow(f"{name}:", value)

        self.score = QLabel(self)
        self.score.setObjectName("rubricScore")
        self.score.setWordWrap(True)
        self.items = QListWidget(self)
        self.items.setObjectName("rubricItems")
        self.items.setWordWrap(True)
        self.feedback = QListWidget(self)
        self.feedback.setObjectName("rubricFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setMaximumHeight(110)
        rubric_box = QGroupBox("Structure", self)
        rubric_layout = QVBoxLayout(rubric_box)
        rubric_layout.addWidget(self.score)
        rubric_layout.addWidget(self.items, 1)
        rubric_layout.addWidget(self.feedback)

        right = QVBoxLayout()
        right.addWidget(metrics_box)
        right.addWidget(rubric_box, 1)
        body = QHBoxLayout()
        body.addWidget(transcript_box, 3)
        body.addLayout(right, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        self._clear_results()

    def show_busy(self, source: Path) -> None:
        self.source = source
        self.heading.setText(f"Analysing {source.name}\u2026")
        self._clear_results()

    def show_analysis(self, source: Path, analysis: Analysis) -> None:
        self.source = source
        self.heading.setText(f"Analysis of {source.name}")
        self.transcript.setPlainText(analysis.transcript.text)
        for name, text in delivery_lines(analysis.delivery, self.targets).items():
            self._metric_values[name].setText(text)
        self._show_rubric(analysis.rubric)

    def show_failure(self, source: Path, message: str) -> None:
        self.source = source
        self.heading.setText(f"Could not analyse {source.name}")
        self._clear_results()
        self.transcript.setPlaceholderText(message)

    def metric_text(self, name: str) -> str:
        return self._metric_values[name].text()

    def rubric_item_texts(self) -> list[str]:
        return [self.items.item(i).text() for i in range(self.items.count())]

    def _show_rubric(self, r: RubricResult | None) -> None:
        self.items.clear()
        if r is None:
            self.score.setText("Not scored: choose a question type when analysing to score the structure.")
            self.feedback.clear()
            return
        self.score.setText(f"{r.rubric.upper()} score: {r.score}/100")
        for line in rubric_lines(r):
            self.items.addItem(QListWidgetItem(line))
        self.feedback.addItems([f"\u2022 {f}" for f in r.feedback])

    def _clear_results(self) -> None:
        self.transcript.clear()
        self.transcript.setPlaceholderText("The transcript appears here.")
        for value in self._metric_values.values():
            value.setText(DASH)
        self.items.clear()
        self.score.setText(DASH)
        self.feedback.clear()
