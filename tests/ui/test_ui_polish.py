"""Polish: banners belong to their page, the window keeps its size and place between runs (in a temporary
settings file here), the review dialog fits a 1024x700 window, messages are sentences with proper plurals,
and the keyboard focus can be seen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.delivery import analyze_delivery
from app.domain import Analysis, ItemVerdict, Question, RubricResult, Transcript, Word
from app.services import Services
from app.ui.main_window import MainWindow
from app.ui.recovery_offer import offer_recovery

QUESTION = Question("conflict-teammate", "behavioral", "behavioral", "medium", 120,
                    "Tell me about a time you disagreed with a teammate.", ())


def stored_answer(services: Services) -> int:
    words = tuple(Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(
        ["last", "year", "my", "team", "um", "argued", "about", "the", "launch", "date"]))
    transcript = Transcript(words, duration_s=4.5, model="test")
    result = RubricResult("star", (ItemVerdict("situation", True, 0.9), ItemVerdict("result", False, 0.2)), 50, (),
                          {"name": "test"}, "1")
    store = services.store
    sid = store.create_session("behavioral-round", title="Behavioral round")
    store.add_attempt(sid, 1, QUESTION, QUESTION.text, None,
                      Analysis(transcript, analyze_delivery(transcript), result, {}))
    store.finish_session(sid)
    return sid


def open_window(qtbot: QtBot, services: Services, state: QSettings) -> MainWindow:
    w = MainWindow(services, warm_models=False, window_state=state)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_an_error_belongs_to_its_page_and_an_offer_stays(window: MainWindow) -> None:
    window.show_error("Something on Home went wrong.")
    assert window.banner.isVisible() and window.banner.kind == "error"
    window.commands.history.trigger()
    assert not window.banner.isVisible() and window.banner.text() == ""
    window.show_progress()
    window.banner.offer("1 interrupted session found.", "Recover", lambda: None)
    window.commands.home.trigger()
    assert window.banner.isVisible() and window.banner.action.isVisible()  # an offer waits for an answer
    window.banner.clear()
    window.start_interview("no-such-preset")  # a problem found while Home is shown stays on Home
    assert window.stack.currentWidget() is window.home and window.banner.kind == "error"


def test_the_window_keeps_its_size_and_place(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    state = QSettings(str(tmp_path / "settings" / "window.ini"), QSettings.Format.IniFormat)
    first = open_window(qtbot, services, state)
    room = first.screen().availableGeometry()  # a restored window is kept on the screen it opens on
    size = QSize(max(first.minimumWidth(), min(1010, room.width() - 40)),
                 max(first.minimumHeight(), min(690, room.height() - 40)))
    first.setGeometry(room.x() + max(0, min(17, room.width() - size.width())), room.y() + 11, size.width(),
                      size.height())
    qtbot.waitUntil(lambda: first.size() == size)
    place = first.pos()
    first.close()
    assert (tmp_path / "settings" / "window.ini").exists()

    again = open_window(qtbot, services, QSettings(str(tmp_path / "settings" / "window.ini"),
                                                    QSettings.Format.IniFormat))
    assert again.size() == size and again.pos() == place
    fresh = open_window(qtbot, services, QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    assert fresh.size() == QSize(1240, 780)  # nothing saved: the default
    again.close()
    fresh.close()


def test_the_review_fits_a_small_window(window: MainWindow, qtbot: QtBot) -> None:
    sid = stored_answer(window.services)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.size() == QSize(1024, 700))
    dialog = window.stored.review_stored(sid, 0)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.width() <= 1024 and dialog.height() <= 700, dialog.size()
    dialog.close()


def test_the_recovery_offer_counts_in_words(window: MainWindow) -> None:
    store = window.services.store
    store.create_session("quick-3")  # left in progress, no process owns it: interrupted
    assert offer_recovery(window) == 1
    assert window.banner.text().startswith("1 interrupted session found: what was recorded")
    store.create_session("quick-3")
    offer_recovery(window)
    assert window.banner.text().startswith("2 interrupted sessions found")


def blue_pixels(image: QImage) -> int:
    ring = QColor("#1a73e8")
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if abs(image.pixelColor(x, y).red() - ring.red()) < 30
               and abs(image.pixelColor(x, y).green() - ring.green()) < 30
               and abs(image.pixelColor(x, y).blue() - ring.blue()) < 30)


def test_the_keyboard_focus_is_easy_to_see(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    button = window.findChild(QPushButton, "startButton")
    assert button is not None
    window.home.presets.setFocus()
    qtbot.waitUntil(lambda: window.home.presets.hasFocus())
    unfocused = blue_pixels(button.grab().toImage())
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    focused = blue_pixels(button.grab().toImage())
    assert focused > unfocused + 2 * (button.width() + button.height()), (focused, unfocused)
