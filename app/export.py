"""Session reports: Markdown, HTML (one self-contained file with the trend charts embedded), CSV (one row per
attempt) and JSON. User text is escaped for each format."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from typing import Any

from app.charts import data_uri, render_png
from app.config import Targets
from app.domain import Attempt, StoredResult
from app.store import Store

CSV_FIELDS = ("session_id", "attempt_id", "position", "question_id", "category", "kind", "created_at", "status",
              "duration_s", "word_count", "wpm", "articulation_wpm", "filler_count", "fillers_per_100",
              "longest_pause_s", "pauses_over_2s", "silence_share", "rubric", "score", "model",
              "prompt_version", "question_text", "transcript")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def csv_cell(value: Any) -> Any:
    """A spreadsheet never evaluates user text: cells that would start a formula get a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def md_text(text: str) -> str:
    """User text safe inside Markdown (and the HTML it renders to)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def session_data(store: Store, session_id: int) -> dict[str, Any]:
    """Everything stored about a session, as plain JSON-ready data (the JSON export, `viva show --json`)."""
    return {"session": store.session(session_id).to_dict(),
            "attempts": [a.to_dict() for a in store.attempts(session_id)]}


def to_json(store: Store, session_id: int) -> str:
    return json.dumps(session_data(store, session_id), indent=2)


def to_csv(store: Store, session_id: int) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS)
    w.writeheader()
    for a in store.attempts(session_id):
        latest = a.latest.result if a.latest else None
        row = {k: getattr(a, k) for k in CSV_FIELDS if hasattr(a, k)}
        row.update(
            session_id=session_id, attempt_id=a.id, rubric=latest.rubric if latest else None,
            score=latest.score if latest else None, model=latest.model.get("name") if latest else None,
            prompt_version=latest.prompt_version if latest else None, transcript=a.text,
        )
        w.writerow({k: csv_cell(v) for k, v in row.items()})
    return buf.getvalue()


def figures(a: Attempt) -> list[str]:
    """An answer's delivery figures as report lines, or the plain reason it has none."""
    if not a.analysed or a.delivery is None:
        return [f"Not analysed: {a.outcome}"]
    d = a.delivery
    return [f"Pace: {d.wpm:.0f} wpm (articulation {d.articulation_wpm:.0f} wpm)",
            f"Fillers: {len(d.fillers)} ({d.fillers_per_100_words:.1f} per 100 words)",
            f"Longest pause: {d.longest_pause_s:.1f} s"]


def _md_result(r: StoredResult) -> str:
    """Which model and prompt made a stored result, and when."""
    when = f", {md_text(r.created_at)}" if r.created_at else ""
    return f"{md_text(r.result.model.get('name', ''))}, {md_text(r.result.prompt_version)}{when}"


def _html_result(r: StoredResult) -> str:
    when = f", {_h(r.created_at)}" if r.created_at else ""
    return f"{_h(r.result.model.get('name', ''))}, {_h(r.result.prompt_version)}{when}"


def to_markdown(store: Store, session_id: int, chart: str | None = None) -> str:
    """The session as Markdown; `chart` is the file name of the trend charts PNG written beside it (see
    `write_chart`), linked at the end."""
    s = store.session(session_id)
    lines = [f"# Viva session {s.id}", "", f"- Started: {s.started_at}", f"- Preset: {s.preset or '-'}",
             f"- Status: {s.status}", ""]
    for a in store.attempts(session_id):
        lines += [f"## Question {a.position}: {md_text(a.question_text)}", ""]
        lines += [f"- {line}" for line in figures(a)] + [""]  # Viva's own text: figures, or why there are none
        if a.latest:
            r = a.latest.result
            lines += [f"**{md_text(r.rubric)} score: {r.score}/100** ({_md_result(a.latest)})", ""]
            for item in r.items:
                mark = "x" if item.present else " "
                ev = "; ".join(f"“{md_text(e.text)}”" for e in item.evidence)
                lines.append(f"- [{mark}] {item.id}" + (f": {ev}" if ev else f" - {md_text(item.advice)}"))
            lines.append("")
            if len(a.results) > 1:
                lines += ["Earlier results for this answer, latest first:", ""]
                lines += [f"- {o.result.score}/100 ({_md_result(o)})" for o in reversed(a.results[:-1])]
                lines.append("")
        if a.transcript is not None:
            lines += ["Transcript:", "", f"> {md_text(a.text)}", ""]
    if chart:
        lines += ["## Trends", "", "All analysed answers so far, oldest first; this session's are highlighted.", "",
                  f"![Trend charts: pace, fillers, longest pause, rubric coverage](<{chart}>)", ""]
    return "\n".join(lines)


def write_chart(store: Store, session_id: int, path: Path, targets: Targets | None = None) -> bool:
    """Write the trend charts (this session highlighted) to `path` for a Markdown report. False when there
    is nothing to chart yet."""
    points = store.trend()
    if not points:
        return False
    path.write_bytes(render_png(points, targets, highlight_session=session_id))
    return True


_HTML_STYLE = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
.item{margin:.2rem 0}.present{color:#1a7f37}.missing{color:#b42318}blockquote{border-left:3px solid #ccc;
margin:0;padding-left:1rem;color:#444}.filler{background:#fff3c4}.figures{color:#555}img.chart{max-width:100%;height:auto}"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _marked_transcript(a: Attempt) -> str:
    """The transcript with fillers marked; every word escaped."""
    words = a.transcript.words if a.transcript else ()
    spans = [(f.start, f.end) for f in a.delivery.fillers] if a.delivery else []
    out = []
    for w in words:
        filler = any(s - 0.01 <= w.start and w.end <= e + 0.01 for s, e in spans)
        out.append(f'<span class="filler">{_h(w.text)}</span>' if filler else _h(w.text))
    return " ".join(out)


def _trend_section(store: Store, session_id: int, targets: Targets | None) -> list[str]:
    """The trend charts over all analysed answers (this session's highlighted), as an embedded PNG."""
    points = store.trend()
    if not points:
        return []
    png = render_png(points, targets, highlight_session=session_id)
    return ["<h2>Trends</h2>",
            f"<p class='figures'>All {len(points)} analysed answers so far, oldest first; this session's are "
            "highlighted.</p>",
            f"<img class='chart' src='{data_uri(png)}' alt='Trend charts: pace with its target band, fillers per "
            "100 words, longest pause and rubric coverage per item'>"]


def to_html(store: Store, session_id: int, targets: Targets | None = None, *, charts: bool = True) -> str:
    """The session as one HTML file; `charts` embeds the trend charts (PNG data URIs, no external files)."""
    s = store.session(session_id)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>Viva session {_h(s.id)}</title>",
             f"<style>{_HTML_STYLE}</style></head><body>", f"<h1>Viva session {_h(s.id)}</h1>",
             f"<p class='figures'>Started {_h(s.started_at)} &middot; preset {_h(s.preset or '-')} "
             f"&middot; {_h(s.status)}</p>"]
    for a in store.attempts(session_id):
        parts.append(f"<h2>Question {_h(a.position)}: {_h(a.question_text)}</h2>")
        parts.append(f"<p class='figures'>{' &middot; '.join(_h(line) for line in figures(a))}</p>")
        if a.latest:
            r = a.latest.result
            parts.append(f"<p><b>{_h(r.rubric)} score {_h(r.score)}/100</b> "
                         f"<small>({_html_result(a.latest)})</small></p><ul>")
            for item in r.items:
                ev = "; ".join(f"&ldquo;{_h(e.text)}&rdquo;" for e in item.evidence)
                cls, mark = ("present", "&#10003;") if item.present else ("missing", "&#10007;")
                parts.append(f"<li class='item {cls}'>{mark} {_h(item.id)}: {ev or _h(item.advice)}</li>")
            parts.append("</ul>")
            if len(a.results) > 1:
                parts.append("<p class='figures'>Earlier results for this answer, latest first:</p>"
                             "<ul class='earlier'>")
                parts += [f"<li>{_h(o.result.score)}/100 <small>({_html_result(o)})</small></li>"
                          for o in reversed(a.results[:-1])]
                parts.append("</ul>")
        if a.transcript is not None:
            parts.append(f"<blockquote>{_marked_transcript(a)}</blockquote>")
    if charts:
        parts += _trend_section(store, session_id, targets)
    parts.append("</body></html>")
    return "\n".join(parts)


FORMATS = {"json": to_json, "csv": to_csv, "md": to_markdown, "html": to_html}


def render_report(store: Store, session_id: int, fmt: str, targets: Targets | None = None, *,
                  chart: Path | None = None) -> str:
    """The session's report in `fmt` (a key of FORMATS): HTML with the charts embedded; Markdown with them in
    the PNG `chart` (drawn there; none when not given or nothing to draw). OSError when the chart cannot be
    written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    store.session(session_id)  # a missing session is a store error before anything is written
    if fmt == "html":
        return to_html(store, session_id, targets)
    if fmt == "md":
        drawn = chart is not None and write_chart(store, session_id, chart, targets)
        return to_markdown(store, session_id, chart.name if drawn and chart is not None else None)
    return FORMATS[fmt](store, session_id)


def write_report(store: Store, session_id: int, path: Path, fmt: str, targets: Targets | None = None) -> Path:
    """Write the session's report in `fmt` to `path`, as `viva export -o` does (a Markdown report's charts go in
    `<stem>-trends.png` beside it). OSError when it cannot be written."""
    store.session(session_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_report(store, session_id, fmt, targets, chart=path.with_name(f"{path.stem}-trends.png"))
    path.write_text(text, encoding="utf-8")
    return path
