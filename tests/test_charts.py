"""Trend charts: `viva trends --plot FILE.png` writes a real PNG, and the HTML report embeds the charts as
data URIs, so it is one file that opens in a browser with its charts."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from app.charts import PNG_SIGNATURE, rolling_coverage, rubric_groups
from app.cli import main
from app.delivery import analyze_delivery
from app.domain import Analysis, ItemVerdict, Question, RubricResult, Transcript, Word
from app.store import Store
from app.store.repo import TrendPoint

STAR = ("situation", "task", "action", "result")


def _answer(n_words: int, step_s: float, present: tuple[bool, ...]) -> Analysis:
    words = tuple(Word(w, step_s * i, step_s * i + 0.25)
                  for i, w in enumerate((["um", "so", "we", "shipped", "the", "model"] * 40)[:n_words]))
    t = Transcript(words, step_s * n_words + 1.0, model="whisper:test")
    r = RubricResult("star", tuple(ItemVerdict(i, p, 0.9) for i, p in zip(STAR, present, strict=True)),
                     25 * sum(present), ())
    return Analysis(t, analyze_delivery(t), r, {})


@pytest.fixture
def history(home: Path) -> list[int]:
    """Three sessions of two behavioural answers each, in the test's VIVA_HOME."""
    store = Store(home)
    q = Question("beh-x", "behavioral", "behavioral", "easy", 120, "Tell me about a conflict.", ())
    sessions = []
    for s in range(3):
        sid = store.create_session("quick-3")
        for pos in (1, 2):
            store.add_attempt(sid, pos, q, q.text, None,
                              _answer(40 + 20 * s, 0.5 - 0.05 * s, (True, s > 0, s > 1, pos == 2)))
        store.finish_session(sid)
        sessions.append(sid)
    return sessions


def _decoded(png: bytes) -> np.ndarray:
    assert png.startswith(PNG_SIGNATURE)
    return imread(io.BytesIO(png), format="png")


def test_trends_plot_writes_a_png(history: list[int], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "charts" / "trends.png"
    assert main(["trends", "--plot", str(out)]) == 0
    assert "wrote the trend charts" in capsys.readouterr().err
    data = out.read_bytes()
    assert len(data) > 20_000
    img = _decoded(data)
    height, width = img.shape[:2]
    assert width >= 1000 and height >= 600
    # Not a blank canvas: many distinct colours (lines, the target band, text).
    assert len(np.unique(img.reshape(-1, img.shape[2]), axis=0)) > 50
    # The pace target band (green at 15 % over white) is drawn.
    band = np.array([0.87, 0.94, 0.89])
    assert (np.abs(img[..., :3] - band).max(axis=2) < 0.03).sum() > 1_000


def test_trends_plot_needs_a_png_name(history: list[int], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trends", "--plot", str(tmp_path / "trends.jpg")]) == 1
    assert "PNG" in capsys.readouterr().err
    assert not (tmp_path / "trends.jpg").exists()


def test_trends_plot_with_no_answers_still_draws(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.png"
    assert main(["trends", "--plot", str(out)]) == 0
    assert _decoded(out.read_bytes()).shape[1] >= 1000


def test_html_report_embeds_the_charts(history: list[int], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["export", str(history[1]), "--format", "html", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    images = re.findall(r"<img [^>]*src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    assert len(images) == 1
    img = _decoded(base64.b64decode(images[0], validate=True))
    assert img.shape[1] >= 1000
    assert "src='http" not in page and 'src="http' not in page  # nothing outside the file


def test_markdown_report_links_the_charts_written_beside_it(history: list[int], tmp_path: Path) -> None:
    out = tmp_path / "reports" / "session.md"  # the folder is created
    assert main(["export", str(history[0]), "--format", "md", "-o", str(out)]) == 0
    chart = tmp_path / "reports" / "session-trends.png"
    assert _decoded(chart.read_bytes()).shape[1] >= 1000
    assert "![Trend charts: pace, fillers, longest pause, rubric coverage](<session-trends.png>)" in out.read_text()


def test_markdown_to_stdout_has_no_chart(history: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(history[0]), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# Viva session {history[0]}") and "![" not in out


def test_export_to_an_unwritable_place_is_one_line(history: list[int], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["export", str(history[0]), "--format", "html", "-o", str(blocker / "r.html")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("viva: error: cannot write") and "unexpected" not in err and "\n" not in err


def test_rolling_coverage_is_over_the_items_last_answers() -> None:
    def point(items: dict[str, bool]) -> TrendPoint:
        return TrendPoint(1, 1, "2026-01-01T00:00:00+00:00", None, 120.0, 1.0, 0.5, 0, 50, items)

    points = [point({"task": False}), point({}), point({"task": True}), point({"task": True})]
    assert rolling_coverage(points, "task") == [0.0, None, 50.0, pytest.approx(66.666, abs=0.01)]
    assert rolling_coverage(points * 3, "task", window=2)[-1] == 100.0


def test_rubric_groups_follow_the_rubric_definitions() -> None:
    p = TrendPoint(1, 1, "2026-01-01T00:00:00+00:00", None, None, None, None, None, 50,
                   {"result": True, "situation": False, "made_up": True})
    groups = rubric_groups([p])
    assert [g.rubric for g in groups] == ["STAR", "Other"]
    assert [i for i, _ in groups[0].items] == ["situation", "result"]  # rubric order, not answer order
    assert groups[1].items == (("made_up", "Made up"),)


def test_charts_draw_without_qt_or_pyplot(history: list[int], tmp_path: Path) -> None:
    """The core draws on matplotlib's Agg canvas: no Qt (GUIDE section 1) and no pyplot global state."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from app.cli import main\n"
        f"assert main(['trends', '--plot', {str(tmp_path / 'x.png')!r}]) == 0\n"
        f"assert main(['export', '1', '--format', 'html', '-o', {str(tmp_path / 'x.html')!r}]) == 0\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert not any(k.startswith('PySide6') for k in sys.modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "x.png").stat().st_size > 20_000


def _at(created_at: str) -> TrendPoint:
    return TrendPoint(1, 1, created_at, None, 120.0, 1.0, 0.5, 0, 50, {})


def test_tick_labels_tell_answers_of_one_day_apart() -> None:
    from datetime import datetime

    from app.charts import tick_labels

    times = ["2025-12-01T09:00:00+00:00", "2025-12-01T09:05:00+00:00", "2025-12-03T18:30:00+00:00"]
    local = [datetime.fromisoformat(t).astimezone() for t in times]
    labels = tick_labels([_at(t) for t in times], [0, 1, 2])
    assert labels[0] == f"#1\n{local[0]:%d %b}"
    assert labels[1] == (f"#2\n{local[1]:%H:%M}" if local[1].date() == local[0].date() else f"#2\n{local[1]:%d %b}")
    assert labels[2] == f"#3\n{local[2]:%d %b}"
    assert len(set(labels)) == 3


def test_tick_indices_spread_without_crowding_the_last() -> None:
    from app.charts import tick_indices

    assert tick_indices(4) == [0, 1, 2, 3]
    assert tick_indices(10, 6) == [0, 2, 4, 6, 9]  # not 8 and 9 side by side
    assert tick_indices(11, 6) == [0, 2, 4, 6, 8, 10]
    assert tick_indices(100, 1) == [0, 99]


def test_counts_get_whole_number_steps() -> None:
    from app.charts import nice_step

    assert [nice_step(s) for s in (100, 7, 0.9)] == [25, 2, 0.25]
    assert [nice_step(s, integer=True) for s in (1.1, 7, 10, 30)] == [1, 2, 5, 10]


def test_trends_lists_a_follow_up_answer_with_its_delivery_and_no_score(home: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(home)
    q = Question("beh-x", "behavioral", "behavioral", "easy", 120, "Tell me about a conflict.", ())
    sid = store.create_session("quick-3")
    store.add_attempt(sid, 1, q, q.text, None, _answer(60, 0.4, (True, True, True, False)))
    store.add_attempt(sid, 1, q, "And how did it end?", None, _answer(30, 0.4, (False, False, False, True)))
    assert main(["trends"]) == 0
    asked, follow = capsys.readouterr().out.splitlines()
    assert asked.endswith("score 75") and "follow-up" not in asked
    assert "fillers/100" in follow and follow.endswith("score - (a follow-up: delivery only)")
    assert main(["trends", "--json"]) == 0
    assert '"follow_up": true' in capsys.readouterr().out
