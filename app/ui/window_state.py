"""What the window looks like between runs: its size and place (window.ini beside the config file, so
`VIVA_HOME` moves it too and tests keep theirs in a temporary folder), and a visible keyboard-focus ring."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.paths import config_file

RECT_KEY = "main_window/rect"  # the client area: frames differ between window managers
MAXIMIZED_KEY = "main_window/maximized"

# Fusion's focus frame is a faint dotted line; keyboard users need to see where they are.
FOCUS_RING = """
QPushButton:focus, QToolButton:focus {
    border: 2px solid #1a73e8; border-radius: 4px; background: #e8f0fe; padding: 3px 10px;
}
QListWidget:focus, QListView:focus, QTableView:focus, QTreeView:focus, QPlainTextEdit:focus, QTextEdit:focus,
QTextBrowser:focus, QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus {
    border: 2px solid #1a73e8; border-radius: 3px;
}
QCheckBox:focus, QRadioButton:focus { color: #174ea6; text-decoration: underline; }
"""


def window_settings(path: Path | None = None) -> QSettings:
    """The window's own settings file (an INI file; the config file stays TOML and hand-editable)."""
    return QSettings(str(path or config_file().parent / "window.ini"), QSettings.Format.IniFormat)


def restore_geometry(window: QWidget, settings: QSettings) -> bool:
    """Put the window back where it was, kept on a screen that is there now (a screen may have gone or
    shrunk since); False, and the window untouched, when nothing was saved."""
    rect = settings.value(RECT_KEY)
    if not isinstance(rect, QRect) or rect.isEmpty():
        return False
    screen = QGuiApplication.screenAt(rect.center()) or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        size = rect.size().boundedTo(room.size()).expandedTo(window.minimumSize())
        x = min(max(rect.x(), room.left()), max(room.left(), room.right() + 1 - size.width()))
        y = min(max(rect.y(), room.top()), max(room.top(), room.bottom() + 1 - size.height()))
        rect = QRect(x, y, size.width(), size.height())
    window.setGeometry(rect)
    if settings.value(MAXIMIZED_KEY, False, bool):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    return True


def save_geometry(window: QWidget, settings: QSettings) -> None:
    """The window's place and size (its normal ones when it is maximized) and whether it is maximized."""
    maximized = window.isMaximized()
    settings.setValue(RECT_KEY, window.normalGeometry() if maximized else window.geometry())
    settings.setValue(MAXIMIZED_KEY, maximized)
    settings.sync()
