"""The status bar's busy indicator: an indeterminate bar plus what is being done, hidden when idle."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget


class BusyIndicator(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busyIndicator")
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # indeterminate: moves without us knowing how far along we are
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(120)
        self.bar.setMaximumHeight(14)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.set_activity("")

    @property
    def busy(self) -> bool:
        return bool(self.label.text())

    def set_activity(self, text: str) -> None:
        """Show `text` with a moving bar; an empty text hides the indicator."""
        self.label.setText(text)
        self.setVisible(bool(text))
