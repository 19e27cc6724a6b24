"""The main window opens on Home, which lists the real question bank's presets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from app.store import Store
from app.ui.app import create_main_window
from app.ui.main_window import MainWindow


def preset_texts(w: MainWindow) -> list[str]:
    return [w.home.presets.item(i).text() for i in range(w.home.presets.count())]


def test_window_opens_on_home_with_the_bank_presets(window: MainWindow) -> None:
    assert window.windowTitle() == "Viva"
    assert window.isVisible()
    assert window.stack.currentWidget() is window.home
    w, h = window.width(), window.height()
    assert 800 <= w <= 1280 and 560 <= h <= 800
    texts = preset_texts(window)
    assert any(t.startswith("30-minute ML engineer mock") for t in texts)
    assert "6 questions" in next(t for t in texts if t.startswith("30-minute ML engineer mock"))
    assert set(window.home.preset_ids()) == set(window.services.bank.presets)
    assert window.home.last_session.text() == "No sessions yet"


def test_home_headline_shows_the_last_session(qtbot: QtBot, viva_home: Path) -> None:
    store = Store(viva_home)
    sid = store.create_session("behavioral-round", title="Behavioral round")
    store.finish_session(sid)
    w = create_main_window(None)
    qtbot.addWidget(w)
    headline = w.home.last_session.text()
    assert headline.startswith("Last session: ") and "0 answers" in headline


def test_start_opens_the_interview_on_the_first_question(window: MainWindow, qtbot: QtBot) -> None:
    window.controller.speak_questions = False
    window.home.select_preset("ml-engineer-30")
    with qtbot.waitSignal(window.home.start_requested) as blocker:
        qtbot.mouseClick(window.home.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["ml-engineer-30"]
    assert window.stack.currentWidget() is window.interview
    page = window.interview
    assert page.progress.text().startswith("Question 1 of 6")
    assert page.question.text() == window.controller.question.text
    assert page.answer_action.isEnabled() and not page.next_action.isEnabled()
    session = window.services.store.session(window.controller.session_id or 0)
    assert session.preset == "ml-engineer-30" and session.status == "in_progress"
    page.end_action.trigger()
    assert window.services.store.session(session.id).status == "cancelled"
    assert page.stack.currentWidget() is page.summary
    assert page.summary.cell_text(0, 2) == "skipped" and page.summary.cell_text(1, 2) == "not reached"


def test_a_category_drill_asks_three_questions_of_that_category(window: MainWindow, qtbot: QtBot) -> None:
    window.controller.speak_questions = False
    combo = window.home.drill_category
    combo.setCurrentIndex(combo.findData("nlp"))
    qtbot.mouseClick(window.home.drill_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.interview
    assert window.controller.total == 3
    assert {q.category for q in window.controller.questions} == {"nlp"}
    assert window.controller.title == "NLP drill"


def test_shortcuts_switch_pages(window: MainWindow, qtbot: QtBot) -> None:
    shortcuts = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert shortcuts["&Analyse recording\u2026"] == "Ctrl+O"
    assert shortcuts["Hi&story"] == "Ctrl+H"
    assert shortcuts["&Home"] == "Ctrl+1"
    assert shortcuts["&Quit"] == "Ctrl+Q"
    assert shortcuts["&Progress"] == "Ctrl+G"
    assert shortcuts["&Settings\u2026"] == "Ctrl+,"
    interview = {a.text(): a.shortcut().toString() for a in window.interview.menu_actions()}
    assert interview["&Answer / stop"] == "Space"
    assert all(interview.values()), interview  # every interview control has a shortcut
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.history
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.home
    window.quit_action.trigger()
    assert not window.isVisible()


def test_a_broken_config_is_shown_in_the_window_not_raised(qtbot: QtBot, tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text('device = "tpu"\n', encoding="utf-8")
    w = create_main_window(str(bad))
    qtbot.addWidget(w)
    assert w.banner.kind == "error"
    assert "device must be one of cpu, cuda" in w.banner.text()
    assert "default settings" in w.banner.text()
    assert w.services.config.device == "cpu"
    assert w.home.presets.count() > 0


def test_viva_without_arguments_runs_the_app_until_the_window_closes(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    from app.cli import main

    def close_it() -> None:
        try:
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            assert len(windows) == 1
            windows[0].quit_action.trigger()  # closing the last window ends the event loop
        except BaseException:
            QApplication.quit()  # never leave the test hanging in exec()
            raise

    QTimer.singleShot(0, close_it)
    assert main([]) == 0


def test_interview_shortcuts_only_act_on_the_interview_screen(window: MainWindow, qtbot: QtBot) -> None:
    window.controller.speak_questions = False
    window.start_interview("quick-3")
    page = window.interview
    assert page.answer_action.isEnabled()
    window.history_action.trigger()  # the interview stays open behind History
    assert not page.answer_action.isEnabled() and window.interview_action.isEnabled()
    window.interview_action.trigger()
    assert window.stack.currentWidget() is page and page.answer_action.isEnabled()
    page.end_action.trigger()
