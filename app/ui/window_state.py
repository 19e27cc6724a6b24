"""What the window looks like between runs: its size and place (window.ini beside the config file, so
`VIVA_HOME` moves it too and tests keep theirs in a temporary folder), and a visible keyboard-focus ring."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget

from app.paths import config_file

GEOMETRY_KEY = "main_window/geometry"

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
    """Put the window back where it was; False (and the window untouched) when nothing was saved."""
    data = settings.value(GEOMETRY_KEY)
    return isinstance(data, QByteArray) and not data.isEmpty() and window.restoreGeometry(data)


def save_geometry(window: QWidget, settings: QSettings) -> None:
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.sync()
