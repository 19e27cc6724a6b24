"""The main window opens on Home, which lists the real question bank's presets and checks the microphone
and speaker (sounddevice's device list is the only thing faked: no sound card here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest
import sounddevice
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from app.delivery import analyze_delivery
from app.devices import check_devices
from app.domain import Analysis, ItemVerdict, RubricResult, Transcript, Word
from app.services import Services
from app.store import Store
from app.ui.app import create_main_window
from app.ui.dialogs.settings import SettingsDialog
from app.ui.main_window import MainWindow
from app.ui.pages.home import HomePage

HEADSET = ({"name": "USB headset", "max_input_channels": 1, "max_output_channels": 2},)
SPEAKERS_ONLY = ({"name": "Speakers", "max_input_channels": 0, "max_output_channels": 2},)


def system_devices(monkeypatch: pytest.MonkeyPatch, devices: Sequence[dict[str, object]]) -> None:
    """What PortAudio lists, at the device edge."""
    monkeypatch.setattr(sounddevice, "query_devices", lambda *_a, **_k: [dict(d) for d in devices])


@pytest.fixture
def headset(monkeypatch: pytest.MonkeyPatch) -> None:
    system_devices(monkeypatch, HEADSET)


def open_window(qtbot: QtBot, services: Services) -> tuple[MainWindow, object]:
    """A window over the configured devices, shown, with its first device check's report."""
    w = MainWindow(services, warm_models=False)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.devices.checked) as checked:
        w.show()
    qtbot.waitExposed(w)
    return w, checked.args[0]


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


def test_start_opens_the_interview_on_the_first_question(headset: None, window: MainWindow, qtbot: QtBot) -> None:
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


def test_a_category_drill_asks_three_questions_of_that_category(headset: None, window: MainWindow,
                                                                qtbot: QtBot) -> None:
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
    window.commands.quit.trigger()
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
            windows[0].commands.quit.trigger()  # closing the last window ends the event loop
        except BaseException:
            QApplication.quit()  # never leave the test hanging in exec()
            raise

    QTimer.singleShot(0, close_it)
    assert main([]) == 0


def test_interview_shortcuts_only_act_on_the_interview_screen(headset: None, window: MainWindow,
                                                              qtbot: QtBot) -> None:
    window.controller.speak_questions = False
    window.start_interview("quick-3")
    page = window.interview
    assert page.answer_action.isEnabled()
    window.commands.history.trigger()  # the interview stays open behind History
    assert not page.answer_action.isEnabled() and window.commands.interview.isEnabled()
    window.commands.interview.trigger()
    assert window.stack.currentWidget() is page and page.answer_action.isEnabled()
    page.end_action.trigger()


def test_first_run_without_devices_says_so_and_does_not_start(qtbot: QtBot, services: Services,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    system_devices(monkeypatch, ())
    w, report = open_window(qtbot, services)
    notice = w.home.devices
    assert notice.isVisible() and notice.title.text() == "Interviews need a microphone."
    assert notice.text.text().startswith("No microphone was found, so Viva cannot record your answers. No speaker "
                                         "was found, so the questions are shown but not read aloud. Connect one")
    assert notice.fix_button.isVisible() and notice.recording_button.isVisible()

    qtbot.mouseClick(w.home.start_button, Qt.MouseButton.LeftButton)  # refused, and said so
    assert w.stack.currentWidget() is w.home and not w.controller.active
    assert notice.title.text() == "The interview did not start: Viva needs a microphone to record your answers."
    assert w.services.store.sessions() == []
    qtbot.mouseClick(w.home.drill_button, Qt.MouseButton.LeftButton)
    assert not w.controller.active

    # A headset plugged in now. PortAudio lists devices once, when initialised, so only a check that makes it
    # look again (terminate, initialise) sees it.
    listed: list[Sequence[dict[str, object]]] = [()]
    monkeypatch.setattr(sounddevice, "query_devices", lambda *_a, **_k: [dict(d) for d in listed[0]])
    monkeypatch.setattr(sounddevice, "_terminate", lambda: None)
    monkeypatch.setattr(sounddevice, "_initialize", lambda: listed.__setitem__(0, HEADSET))
    with qtbot.waitSignal(w.devices.checked) as checked:
        w.devices.in_background()  # Home being shown again: no new look
    assert not checked.args[0].ok
    with qtbot.waitSignal(w.devices.checked) as checked:
        qtbot.mouseClick(notice.recheck_button, Qt.MouseButton.LeftButton)
    assert checked.args[0].ok and not notice.isVisible()
    w.controller.speak_questions = False
    qtbot.mouseClick(w.home.start_button, Qt.MouseButton.LeftButton)
    assert w.controller.active and w.stack.currentWidget() is w.interview
    w.interview.end_action.trigger()


def test_fix_in_settings_opens_the_audio_settings(qtbot: QtBot, services: Services,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    system_devices(monkeypatch, ())
    w, _report = open_window(qtbot, services)
    seen: list[str] = []

    def look_and_cancel() -> None:
        dialog = w.findChild(SettingsDialog)
        seen.append(dialog.page() if dialog is not None else "no dialog")
        if dialog is not None:
            seen.append(dialog.audio_note.text())
            dialog.reject()

    QTimer.singleShot(0, look_and_cancel)  # runs inside the dialog's modal loop
    qtbot.mouseClick(w.home.devices.fix_button, Qt.MouseButton.LeftButton)
    assert seen == ["audio", "No audio devices were found, so recording and playback will not work."]


def test_without_a_speaker_the_interview_starts_silently_and_says_why(qtbot: QtBot, services: Services,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    system_devices(monkeypatch, ({"name": "USB mic", "max_input_channels": 1, "max_output_channels": 0},))
    w, report = open_window(qtbot, services)
    assert report.microphone == "USB mic" and report.speaker is None
    assert w.home.devices.title.text() == "Questions will not be read aloud."
    assert not w.home.devices.recording_button.isVisible()
    w.start_interview("quick-3")
    assert w.controller.active and not w.controller.speak_questions
    assert not w.interview.read_aloud.isChecked()
    assert w.banner.kind == "info"
    assert w.banner.text() == "No speaker was found, so the questions are shown but not read aloud."
    w.interview.end_action.trigger()


def test_answer_from_a_recording_is_offered_without_a_microphone(qtbot: QtBot) -> None:
    home = HomePage()
    qtbot.addWidget(home)
    home.show()
    home.set_devices(check_devices([]))
    with qtbot.waitSignal(home.analyse_requested):
        qtbot.mouseClick(home.devices.recording_button, Qt.MouseButton.LeftButton)
    home.set_devices(None)  # answers from files: nothing to check, nothing said
    assert not home.devices.isVisible()


def star_answer(task: bool) -> Analysis:
    text = ["last", "year", "we", "shipped", "the", "model"]
    words = tuple(Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(text))
    transcript = Transcript(words, duration_s=3.0, model="test")
    items = (ItemVerdict("situation", True, 0.9), ItemVerdict("task", task, 0.8), ItemVerdict("action", True, 0.9),
             ItemVerdict("result", True, 0.7))
    result = RubricResult("star", items, 25 * sum(i.present for i in items), (), {"name": "test"}, "1")
    return Analysis(transcript, analyze_delivery(transcript), result, {})


def test_the_plan_on_home_aims_at_weak_items_and_starts_in_one_click(headset: None, qtbot: QtBot, viva_home: Path,
                                                                   services: Services) -> None:
    behavioral = sorted(services.bank.filter("behavioral", kind="behavioral"), key=lambda q: q.id)[:4]
    store = Store(viva_home)
    sid = store.create_session("behavioral-round", title="Behavioral round")
    for pos, (question, task) in enumerate(zip(behavioral, (True, False, False, False), strict=True), start=1):
        store.add_attempt(sid, pos, question, question.text, None, star_answer(task))
    store.finish_session(sid)

    w, _report = open_window(qtbot, services)
    panel = w.home.plan
    assert panel.isVisible() and panel.plan is not None
    assert panel.focus.text().startswith("Focus: Task was missing in 3 of your last 4 behavioral answers.")
    assert panel.headline.text().startswith("Nothing is due for review today (the next comes back tomorrow).")
    planned = panel.plan.questions
    assert len(planned) == 3 and not {q.id for q in planned} & {q.id for q in behavioral}  # new ones today
    assert planned[0].kind == "behavioral"
    assert "Task was missing in 3 of your last 4 behavioral answers." in panel.items.text()

    tomorrow = w.refresh_plan(date.today() + timedelta(days=1))  # the answers missing Task come back
    assert tomorrow is not None
    assert {q.id for q in tomorrow.questions} <= {q.id for q in behavioral[1:]}
    assert panel.headline.text() == "3 questions due for review today."

    w.controller.speak_questions = False
    with qtbot.waitSignal(w.home.plan_requested):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentWidget() is w.interview and w.controller.title == "Practice plan"
    assert [q.id for q in w.controller.questions] == [q.id for q in tomorrow.questions]
    w.interview.end_action.trigger()


def test_a_first_plan_without_answers_is_a_mix(headset: None, qtbot: QtBot, services: Services) -> None:
    w, _report = open_window(qtbot, services)
    panel = w.home.plan
    assert panel.headline.text() == "A first mix to start with. The plan adapts as you answer."
    assert not panel.focus.isVisible()
    assert panel.plan is not None and sorted(q.kind for q in panel.plan.questions) == [
        "behavioral", "design", "technical"]
    assert panel.start_button.text() == "Start this plan (3 questions)"
