"""A dismissable message strip at the top of the window: where user-facing errors go, never a traceback.

A message belongs to the page it was shown on: moving to another page clears it (the window calls
`page_changed`), except an offer with an action button (e.g. "Recover"), which stays until it is used or
dismissed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

_STYLES = {
    "error": "background: #fdecea; color: #611a15; border: 1px solid #f5c2c0; border-radius: 4px;",
    "info": "background: #e8f4fd; color: #0d3c61; border: 1px solid #b6dcfb; border-radius: 4px;",
}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.kind = ""
        self.sticky = False  # stays across page changes
        self.label = QLabel(self)
        self.label.setObjectName("bannerText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setText("\u2715")
        close.setToolTip("Dismiss")
        close.setAutoRaise(True)
        close.clicked.connect(self.clear)
        self.action = QPushButton(self)
        self.action.setObjectName("bannerAction")
        self.action.hide()
        self.action.clicked.connect(self._act)
        self._callback: Callable[[], None] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def offer(self, text: str, button: str, callback: Callable[[], None]) -> None:
        """An info message with one action button (e.g. "Recover")."""
        self._show("info", text)
        self._callback = callback
        self.sticky = True
        self.action.setText(button)
        self.action.show()

    def _act(self) -> None:
        callback, self._callback = self._callback, None
        self.action.hide()
        if callback is not None:
            callback()

    def show_error(self, text: str) -> None:
        self._show("error", text)

    def show_info(self, text: str) -> None:
        self._show("info", text)

    def page_changed(self) -> None:
        """The user moved to another page: what was said about the last one no longer applies."""
        if not self.sticky:
            self.clear()

    def clear(self) -> None:
        self._callback = None
        self.sticky = False
        self.action.hide()
        self.kind = ""
        self.label.clear()
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def _show(self, kind: str, text: str) -> None:
        self._callback = None
        self.sticky = False
        self.action.hide()
        self.kind = kind
        self.setStyleSheet(f"#banner {{ {_STYLES[kind]} }}")
        self.label.setText(text)
        self.show()
