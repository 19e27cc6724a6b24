"""Progress: trend charts over stored answers (rendered offscreen to PNG), points that say which answer they
are and open its review, rubric coverage as small multiples, and filtering by category in Progress and
History."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QToolTip
from pytestqt.qtbot import QtBot

from app.delivery import analyze_delivery
from app.domain import Analysis, Question, Transcript, Word
from app.scoring.scorer import score_answer
from app.store import Store
from app.ui.dialogs.review import ReviewDialog
from app.ui.main_window import MainWindow
from app.ui.widgets.trend_chart import Series, TrendChart, nice_step

BEHAVIORAL = Question("b1", "behavioral", "behavioral", "medium", 120, "Tell me about a failure.", ("a",))
DESIGN = Question("d1", "ml_system_design", "design", "hard", 300, "Design fraud detection.", ("a",))
STAR = ("Last year at my previous job our fraud model was too slow. My goal was to cut latency in half. "
        "I profiled the service and I rewrote the batching. As a result latency dropped by forty percent.")


def answer(text: str, seconds_per_word: float, q: Question) -> Analysis:
    words = tuple(Word(w, i * seconds_per_word, (i + 0.8) * seconds_per_word) for i, w in enumerate(text.split()))
    t = Transcript(words, duration_s=len(words) * seconds_per_word + 0.5, model="test")
    return Analysis(t, analyze_delivery(t), score_answer(q.rubric, q.text, words=words), {})


@pytest.fixture
def history(viva_home: Path) -> dict[str, int]:
    store = Store(viva_home)
    first = store.create_session("behavioral-round", title="Behavioral round")
    store.add_attempt(first, 1, BEHAVIORAL, BEHAVIORAL.text, None, answer("um we had uh a model " * 4, 0.6, BEHAVIORAL))
    store.finish_session(first)
    second = store.create_session("quick-3", title="Quick")
    store.add_attempt(second, 1, BEHAVIORAL, BEHAVIORAL.text, None, answer(STAR, 0.42, BEHAVIORAL))
    store.add_attempt(second, 2, DESIGN, DESIGN.text, None,
                      answer("I would measure precision at a fixed recall and start with a simple baseline", 0.4,
                             DESIGN))
    store.finish_session(second)
    return {"behavioral": first, "quick": second}


def colour_count(image: QImage, colour: QColor, tolerance: int = 12) -> int:
    hits = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if (abs(c.red() - colour.red()) <= tolerance and abs(c.green() - colour.green()) <= tolerance
                    and abs(c.blue() - colour.blue()) <= tolerance):
                hits += 1
    return hits


def test_progress_charts_render_offscreen(window: MainWindow, history: dict[str, int], test_output: Path) -> None:
    window.commands.progress.trigger()
    page = window.progress
    assert window.stack.currentWidget() is page
    assert page.headline.text() == "3 answers in 2 sessions"
    assert all(not chart.empty for chart in page.charts.values())
    wpm = page.charts["wpm"]
    assert wpm.band == (130.0, 160.0)
    assert list(page.coverage.charts) == [  # one small chart per rubric item, each with its own line
        "STAR: Situation", "STAR: Task", "STAR: Action", "STAR: Result", "ML design checklist: Success metric",
        "ML design checklist: Simple baseline", "ML design checklist: Training/serving skew",
        "ML design checklist: Monitoring"]
    task = page.coverage.charts["STAR: Task"]
    assert len(task.series) == 1 and task.series[0].values[2] is None  # the design answer has no Task
    image = wpm.grab().toImage()
    assert image.save(str(test_output / "chart-wpm.png"))
    band_pixels = colour_count(image, QColor(214, 236, 219))  # the translucent green band over white
    assert band_pixels > 200, band_pixels
    assert colour_count(image, QColor("#1a73e8"), 30) > 20  # the wpm line and its points
    assert window.grab().save(str(test_output / "progress.png"))


def test_progress_and_history_filter_by_category(window: MainWindow, history: dict[str, int]) -> None:
    window.show_progress()
    page = window.progress
    page.select_category("ml_system_design")
    assert page.headline.text() == "1 answer in 1 session"
    assert list(page.coverage.charts)[0] == "ML design checklist: Success metric"
    page.select_category("behavioral")
    assert page.headline.text() == "2 answers in 2 sessions"

    window.show_history()
    h = window.history
    assert h.session_count() == 2
    h.filter_by_category("ml_system_design")
    assert h.session_count() == 1 and h.display_text(0, 1) == "Quick"
    h.filter_by_category(None)
    assert h.session_count() == 2


def test_an_empty_chart_says_so(qtbot: object, test_output: Path) -> None:
    chart = TrendChart("Pace")
    chart.resize(400, 200)
    chart.set_data([Series("wpm", [])], band=(130, 160))
    assert chart.empty
    assert chart.grab().toImage().save(str(test_output / "chart-empty.png"))
    assert [nice_step(s) for s in (100, 7, 0.9)] == [25, 2, 0.25]


def test_points_are_labelled_apart_and_explain_themselves(window: MainWindow, history: dict[str, int],
                                                          qtbot: QtBot) -> None:
    window.resize(1240, 780)
    window.show_progress()
    chart = window.progress.charts["wpm"]
    labels = [label for _i, label in chart.x_ticks()]
    assert len(labels) == 3 and len(set(labels)) == 3  # all three answers were made today, in one minute
    assert labels[0].startswith("#1\n") and labels[2].startswith("#3\n")
    assert ":" not in labels[0] and ":" in labels[1] and ":" in labels[2]  # the same day again: the time

    pos = chart.point_position(0, 1)
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(chart.mapToGlobal(pos)), Qt.MouseButton.NoButton,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(chart, move)  # the pointer rests on the second answer's point
    assert chart.hovered == (0, 1)
    tip = chart.tooltip_at(pos)
    first, question, value, click = tip.split("\n")
    assert first.startswith("Answer #2 of 3, ") and question == BEHAVIORAL.text
    assert value.endswith(" wpm") and float(value.split()[0]) == pytest.approx(window.progress.points[1].wpm, abs=1)
    assert click == "Click to open this answer's review."
    assert chart.tooltip_at(QPoint(2, 2)) == ""
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    assert QToolTip.text() == tip


def test_clicking_a_point_opens_that_answers_review(window: MainWindow, history: dict[str, int],
                                                    qtbot: QtBot) -> None:
    window.show_progress()
    page = window.progress
    expected = page.points[2]
    assert expected.question_text == DESIGN.text
    chart = page.charts["score"]
    with qtbot.waitSignal(page.answer_requested) as asked:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.point_position(0, 2))
    assert asked.args == [expected.session_id, expected.attempt_id]
    dialogs = window.findChildren(ReviewDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    assert DESIGN.text in dialogs[0].windowTitle() + " ".join(label.text() for label in dialogs[0].findChildren(QLabel))
    with qtbot.assertNotEmitted(page.answer_requested):
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    task = page.coverage.charts["STAR: Task"]  # the small multiples open answers too
    with qtbot.waitSignal(page.answer_requested) as asked:
        qtbot.mouseClick(task, Qt.MouseButton.LeftButton, pos=task.point_position(0, 0))
    assert asked.args == [page.points[0].session_id, page.points[0].attempt_id]


def test_a_count_has_whole_number_ticks_up_to_a_labelled_top(qtbot: QtBot) -> None:
    chart = TrendChart("Pauses over 2 s per answer")
    qtbot.addWidget(chart)
    chart.set_data([Series("pauses", [0, 1, 0, 3])], integer=True)
    ticks = chart.y_ticks()
    assert all(t == int(t) for t in ticks) and ticks[0] == 0
    assert ticks[-1] == chart.y_range()[1] >= 3  # the top of the axis is a tick with its label
    chart.set_data([Series("pauses", [0, 0])], integer=True)
    assert chart.y_ticks() == [0, 1]
    chart.set_data([Series("pace", [131.5, 150.2])], band=(130, 160))
    assert chart.y_ticks()[-1] == chart.y_range()[1] and chart.y_range()[1] >= 160


def test_an_empty_category_says_so_when_other_answers_exist(window: MainWindow, history: dict[str, int]) -> None:
    window.show_progress()
    page = window.progress
    page.select_category("nlp")
    assert page.headline.text() == "No answers in this category yet."
    assert page.charts["wpm"].empty and page.charts["wpm"].empty_text == "No answers in this category yet."
    assert page.coverage.empty.text() == "No scored answers in this category yet."
    page.select_category(None)
    assert page.headline.text() == "3 answers in 2 sessions"
