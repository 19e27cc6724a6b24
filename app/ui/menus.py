"""The main window's menu bar and shortcuts: one QAction per command, added to the window itself as well, so
shortcuts work whichever page has focus, menu bar or not."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from app import __version__


@dataclass(frozen=True)
class WindowActions:
    analyse: QAction
    settings: QAction
    quit: QAction
    home: QAction
    history: QAction
    progress: QAction
    interview: QAction
    about: QAction


@dataclass(frozen=True)
class Slots:
    analyse: Callable[[], object]
    settings: Callable[[], object]
    home: Callable[[], object]
    history: Callable[[], object]
    progress: Callable[[], object]
    interview: Callable[[], object]
    about: Callable[[], object]


def _action(window: QMainWindow, text: str, shortcut: str | None, slot: Callable[[], object]) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_menus(window: QMainWindow, slots: Slots, interview_actions: Iterable[QAction]) -> WindowActions:
    """File, Go, Interview (the interview page's own actions) and Help; Go > Interview starts disabled."""
    a = WindowActions(
        analyse=_action(window, "&Analyse recording\u2026", "Ctrl+O", slots.analyse),
        settings=_action(window, "&Settings\u2026", "Ctrl+,", slots.settings),
        quit=_action(window, "&Quit", "Ctrl+Q", window.close),
        home=_action(window, "&Home", "Ctrl+1", slots.home),
        history=_action(window, "Hi&story", "Ctrl+H", slots.history),
        progress=_action(window, "&Progress", "Ctrl+G", slots.progress),
        interview=_action(window, "&Interview", "Ctrl+I", slots.interview),
        about=_action(window, "&About Viva", None, slots.about),
    )
    menus = window.menuBar()
    file_menu = menus.addMenu("&File")
    file_menu.addAction(a.analyse)
    file_menu.addAction(a.settings)
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    go_menu = menus.addMenu("&Go")
    for action in (a.home, a.interview, a.history, a.progress):
        go_menu.addAction(action)
    interview_menu = menus.addMenu("I&nterview")
    for action in interview_actions:
        interview_menu.addAction(action)
        window.addAction(action)
    menus.addMenu("&Help").addAction(a.about)
    a.interview.setEnabled(False)
    return a


def about_viva(parent: QWidget) -> None:
    """Help > About Viva."""
    QMessageBox.about(parent, "About Viva", f"<b>Viva {__version__}</b><p>Offline mock-interview coach: speak your "
                      "answers, get feedback on delivery and structure. Nothing leaves this computer.</p>")
