"""Progress: trend charts over stored answers (rendered offscreen to PNG), and filtering by category in
Progress and History."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from app.delivery import analyze_delivery
from app.domain import Analysis, Question, Transcript, Word
from app.scoring.scorer import score_answer
from app.store import Store
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
    window.progress_action.trigger()
    page = window.progress
    assert window.stack.currentWidget() is page
    assert page.headline.text() == "3 answers in 2 sessions"
    assert all(not chart.empty for chart in page.charts.values())
    wpm = page.charts["wpm"]
    assert wpm.band == (130.0, 160.0)
    assert [s.name for s in page.charts["coverage"].series] == [
        "Situation", "Task", "Action", "Result", "Success metric", "Simple baseline", "Training/serving skew",
        "Monitoring"]
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
    assert [s.name for s in page.charts["coverage"].series][0] == "Success metric"
    page.select_category("behavioral")
    assert page.headline.text() == "2 answers in 2 sessions"

    window.show_history()
    h = window.history
    assert h.session_count() == 2
    h.filter_by_category("ml_system_design")
    assert h.session_count() == 1 and h.display_text(0, 1) == "Quick 3-question practice"
    h.filter_by_category(None)
    assert h.session_count() == 2


def test_an_empty_chart_says_so(qtbot: object, test_output: Path) -> None:
    chart = TrendChart("Pace")
    chart.resize(400, 200)
    chart.set_data([], [Series("wpm", [])], band=(130, 160))
    assert chart.empty
    assert chart.grab().toImage().save(str(test_output / "chart-empty.png"))
    assert [nice_step(s) for s in (100, 7, 0.9)] == [25, 2, 0.25]
