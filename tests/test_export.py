"""Session exports: user text is made safe for spreadsheets (CSV) and Markdown/HTML; JSON round-trips."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from app.cli import main
from app.delivery import analyze_delivery
from app.domain import Analysis, Evidence, ItemVerdict, Question, RubricResult, Transcript, Word
from app.export import csv_cell, md_text, to_csv, to_json, to_markdown
from app.store import Store

NASTY = '=HYPERLINK("http://x") said <script>alert(1)</script> and **bold** [link](http://x) # not a heading'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _transcript(text: str) -> Transcript:
    words = tuple(Word(tok, 0.4 * i, 0.4 * i + 0.3) for i, tok in enumerate(text.split()))
    return Transcript(words=words, duration_s=0.4 * len(words) + 1.0, model="whisper:test")


def _rubric() -> RubricResult:
    return RubricResult(
        rubric="star",
        items=(ItemVerdict("situation", True, 0.9, (Evidence("<script>alert(2)</script> **s**", 0.0, 1.0),)),
               ItemVerdict("result", False, 0.7, (), "give a _number_ <b>now</b>")),
        score=50, feedback=("give a number",), model={"name": "llm|<img src=x>"}, prompt_version="v1/[x]",
    )


@pytest.fixture
def populated(tmp_path: Path) -> tuple[Store, int, list[Transcript]]:
    store = Store(tmp_path / "home")
    sid = store.create_session("quick-3")
    q = Question("beh-x", "behavioral", "behavioral", "easy", 120, "Tell me about a conflict.", ("a", "b", "c"))
    texts = [NASTY, "+1 555 0100 call me", "-2+3 is what I said", "@SUM(A1:A2) then"]
    qtexts = ["=1+1 what is it?", "Plain question?", "\tTabbed question?", "@mention question?"]
    transcripts = []
    for pos, (text, qtext) in enumerate(zip(texts, qtexts, strict=True), start=1):
        t = _transcript(text)
        transcripts.append(t)
        store.add_attempt(sid, pos, q, qtext, None,
                          Analysis(t, analyze_delivery(t), _rubric() if pos == 1 else None, {"transcribe_s": 0.2}))
    return store, sid, transcripts


def test_csv_cell_quotes_formula_starts() -> None:
    for start in FORMULA_STARTS:
        assert csv_cell(f"{start}cmd") == f"'{start}cmd"
    assert csv_cell("plain") == "plain"
    assert csv_cell(-3.5) == -3.5  # numbers are not user text
    assert csv_cell(None) is None


def test_csv_neutralises_formulas(populated) -> None:
    store, sid, transcripts = populated
    rows = list(csv.DictReader(io.StringIO(to_csv(store, sid))))
    assert len(rows) == 4
    assert [r["transcript"] for r in rows] == ["'" + t.text for t in transcripts]
    assert [r["question_text"] for r in rows] == ["'=1+1 what is it?", "Plain question?", "'\tTabbed question?",
                                                  "'@mention question?"]
    for row in rows:
        for key, cell in row.items():
            assert not cell.startswith(FORMULA_STARTS), (key, cell)
    first = rows[0]
    assert first["rubric"] == "star" and first["score"] == "50" and first["attempt_id"]
    assert first["session_id"] == str(sid) and first["position"] == "1"
    assert rows[1]["score"] == ""


def test_markdown_escapes_user_text(populated) -> None:
    store, sid, _ = populated
    md = to_markdown(store, sid)
    assert "<script>" not in md and "</script>" not in md
    assert "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in md
    assert "\\*\\*bold\\*\\*" in md and "**bold**" not in md
    assert "\\[link\\]\\(http://x\\)" in md and "[link](http://x)" not in md
    assert "\\# not a heading" in md
    assert "give a \\_number\\_" in md
    # Markdown structure that Viva itself writes is intact.
    assert md.startswith(f"# Viva session {sid}\n")
    assert md.count("\n## Question ") == 4
    assert "**star score: 50/100**" in md
    assert "- [x] situation" in md and "- [ ] result" in md


def test_md_text_collapses_whitespace_so_text_cannot_break_out_of_a_line() -> None:
    assert md_text("line one\n# heading\n\n> quote") == "line one \\# heading &gt; quote"


def test_json_round_trips(populated) -> None:
    store, sid, transcripts = populated
    data = json.loads(to_json(store, sid))
    assert data == {"session": store.session(sid).to_dict(), "attempts": [a.to_dict() for a in store.attempts(sid)]}
    assert [Transcript.from_dict(a["transcript"]) for a in data["attempts"]] == transcripts
    assert data["attempts"][0]["transcript"]["text"] == NASTY
    assert RubricResult.from_dict(data["attempts"][0]["results"][-1]) == RubricResult.from_dict(_rubric().to_dict())
    assert data["attempts"][1]["results"] == []


def test_cli_export_writes_file(populated, monkeypatch, tmp_path: Path, capsys) -> None:
    store, sid, _ = populated
    monkeypatch.setenv("VIVA_HOME", str(store.data_dir))
    out = tmp_path / "report.csv"
    assert main(["--config", str(tmp_path / "no-config.toml"), "export", str(sid), "--format", "csv",
                 "-o", str(out)]) == 0
    assert out.read_bytes().decode("utf-8") == to_csv(store, sid)
    assert main(["--config", str(tmp_path / "no-config.toml"), "export", "999", "--format", "json"]) == 6
    assert "no session 999" in capsys.readouterr().err


def test_html_escapes_user_text_and_marks_fillers(populated) -> None:
    from html.parser import HTMLParser

    from app.export import to_html

    store, sid, transcripts = populated
    page = to_html(store, sid)
    assert "<script>" not in page and "</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: set[str] = set()
            self.images: list[str | None] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.add(tag)
            if tag == "img":
                self.images.append(dict(attrs).get("src"))

    parser = Tags()
    parser.feed(page)
    # Only Viva's own markup: the user's text added no element of its own.
    assert parser.tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "b", "small", "ul",
                           "li", "blockquote", "span", "img"}
    # The one image is Viva's embedded trend chart, not the <img> in the user's text.
    assert len(parser.images) == 1 and (parser.images[0] or "").startswith("data:image/png;base64,")


def test_every_result_of_an_answer_is_reported_latest_first(populated) -> None:
    """A re-scored answer (`viva rescore`) keeps every result: the reports show the latest in full and list the
    earlier ones with their model, prompt version, score and time; escaped like all user text."""
    from dataclasses import replace

    from app.export import to_html

    store, sid, _ = populated
    first = store.attempts(sid)[0].results[0]
    store.add_result(store.attempts(sid)[0].id, replace(_rubric(), score=100, model={"name": "big<b>@gpu:8080"},
                                                           prompt_version="v1/judge-v9"))
    results = store.attempts(sid)[0].results
    assert [(r.result.score, r.result.model["name"]) for r in results] == [(50, "llm|<img src=x>"),
                                                                          (100, "big<b>@gpu:8080")]
    assert all(r.created_at and r.result_id for r in results)
    assert json.loads(to_json(store, sid))["attempts"][0]["results"] == [r.to_dict() for r in results]

    md = to_markdown(store, sid)
    latest, earlier = md.index("score: 100/100"), md.index("Earlier results for this answer")
    assert latest < earlier and "big&lt;b&gt;@gpu:8080" in md[latest:earlier]
    assert f"- 50/100 (llm\\|&lt;img src=x&gt;, v1/\\[x\\], {md_text(first.created_at)})" in md[earlier:]
    page = to_html(store, sid, charts=False)
    assert "<b>@gpu" not in page and "big&lt;b&gt;@gpu:8080" in page
    assert f"50/100 <small>(llm|&lt;img src=x&gt;, v1/[x], {first.created_at})</small>" in page
    row = next(csv.DictReader(io.StringIO(to_csv(store, sid))))  # CSV: one row per answer, its latest result
    assert (row["score"], row["model"], row["prompt_version"]) == ("100", "big<b>@gpu:8080", "v1/judge-v9")
