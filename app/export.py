"""Session reports: Markdown, CSV (one row per attempt) and JSON. User text is escaped for each format."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any

from app.store import Store

CSV_FIELDS = ("session_id", "attempt_id", "position", "question_id", "category", "kind", "created_at",
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
    return {"session": store.session(session_id), "attempts": store.attempts(session_id)}


def to_json(store: Store, session_id: int) -> str:
    return json.dumps(session_data(store, session_id), indent=2)


def to_csv(store: Store, session_id: int) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS)
    w.writeheader()
    for a in store.attempts(session_id):
        latest = a["results"][-1] if a["results"] else {}
        row = {k: a.get(k) for k in CSV_FIELDS if k in a}
        row.update(
            session_id=session_id, attempt_id=a["id"], rubric=latest.get("rubric"), score=latest.get("score"),
            model=latest.get("model", {}).get("name"), prompt_version=latest.get("prompt_version"),
            transcript=(a["transcript"] or {}).get("text", ""),
        )
        w.writerow({k: csv_cell(v) for k, v in row.items()})
    return buf.getvalue()


def to_markdown(store: Store, session_id: int) -> str:
    data = session_data(store, session_id)
    s = data["session"]
    lines = [f"# Viva session {s['id']}", "", f"- Started: {s['started_at']}", f"- Preset: {s['preset'] or '-'}",
             f"- Status: {s['status']}", ""]
    for a in data["attempts"]:
        lines += [f"## Question {a['position']}: {md_text(a['question_text'])}", ""]
        lines += [f"- Pace: {a['wpm'] or 0:.0f} wpm (articulation {a['articulation_wpm'] or 0:.0f} wpm)",
                  f"- Fillers: {a['filler_count']} ({a['fillers_per_100'] or 0:.1f} per 100 words)",
                  f"- Longest pause: {a['longest_pause_s'] or 0:.1f} s", ""]
        if a["results"]:
            r = a["results"][-1]
            lines += [f"**{r['rubric']} score: {r['score']}/100** ({md_text(r['model'].get('name', ''))}, "
                      f"{md_text(r['prompt_version'])})", ""]
            for item in r["items"]:
                mark = "x" if item["present"] else " "
                ev = "; ".join(f"“{md_text(e['text'])}”" for e in item["evidence"])
                lines.append(f"- [{mark}] {item['id']}" + (f": {ev}" if ev else f" - {md_text(item['advice'])}"))
            lines.append("")
        text = (a["transcript"] or {}).get("text", "")
        lines += ["Transcript:", "", f"> {md_text(text)}", ""]
    return "\n".join(lines)


FORMATS = {"json": to_json, "csv": to_csv, "md": to_markdown}
