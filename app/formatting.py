"""How stored values read on screen: dates in local time, numbers with a dash for "not measured"."""

from __future__ import annotations

from datetime import datetime

from app.domain import Attempt, Preset, Session

DASH = "\u2014"


def local_time(iso: str | None) -> str:
    """A stored UTC ISO timestamp as local "YYYY-MM-DD HH:MM"; unparseable text is shown as is."""
    if not iso:
        return DASH
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return DASH
    return f"{value:.{decimals}f}"


def question_count(preset: Preset) -> int:
    return sum(slot.count for slot in preset.slots)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def latest_score(attempt: Attempt) -> int | None:
    """The structure score of an attempt's most recent rubric result (re-scoring keeps old ones)."""
    return attempt.latest.result.score if attempt.latest else None


def session_headline(session: Session | None) -> str:
    """One line about a session from `Store.sessions()`, or the empty state."""
    if session is None:
        return "No sessions yet"
    parts = [local_time(session.started_at), plural(session.answers, "answer")]
    if session.avg_wpm is not None:
        parts.append(f"{session.avg_wpm:.0f} wpm average")
    return "Last session: " + " \u00b7 ".join(parts)


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    s = max(0, int(seconds))
    return f"{s // 60}:{s % 60:02d}"


def sentence(text: str) -> str:
    """`text` as a sentence of its own: a capital first letter and a full stop at the end (core errors are
    lower-case phrases, made to follow "viva: error:" or a colon)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
