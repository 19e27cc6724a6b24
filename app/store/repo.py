"""Reading and writing sessions, attempts and rubric results. Audio paths are relative to the data dir."""

from __future__ import annotations

import json
import shutil
import threading
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils

from app.domain import Analysis, Attempt, Delivery, Question, RubricResult, Session, StoredResult, Transcript
from app.errors import StoreError
from app.paths import ensure_private_dir
from app.store.db import connect, open_db, snapshot, transaction


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class TrendPoint:
    attempt_id: int
    session_id: int
    created_at: str
    category: str | None
    wpm: float | None
    fillers_per_100: float | None
    longest_pause_s: float | None
    pauses_over_2s: int | None
    score: int | None
    items: dict[str, bool]
    question_id: str | None = None  # None for a question typed in (analyse, import)
    question_text: str = ""
    kind: str | None = None
    position: int = 0  # the answer's place in its session
    # an answer to the interviewer's follow-up (review.stored.follow_up_flags): its delivery counts, but it is
    # an answer to one missing item, not to the question, so it has no structure score or items here
    follow_up: bool = False


class Store:
    """The user's sessions on disk: `viva.db` plus `audio/` in one data directory.

    Safe to share between threads: each thread that touches the store gets its own SQLite connection (one
    connection shared by threads interleaves their transactions). Migrations run once, here. A thread's
    connection is closed when the thread ends, and `close()` closes every one still open."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        try:
            ensure_private_dir(data_dir)
        except OSError as e:
            raise StoreError(f"cannot create the data directory {data_dir}: {e.strerror}") from None
        self._path = data_dir / "viva.db"
        self._local = threading.local()
        self._lock = threading.Lock()
        self._closers: list[weakref.finalize[Any, Any]] = []
        self._closed = False
        self._adopt(open_db(self._path))

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (opened on its first use)."""
        if self._closed:
            raise StoreError(f"the store at {self.data_dir} is closed")
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        return db if db is not None else self._adopt(connect(self._path))

    def _adopt(self, db: sqlite_utils.Database) -> sqlite_utils.Database:
        """Make `db` this thread's connection. Only the thread-local slot holds the Database, so when the
        thread ends (or the store is dropped) the finalizer closes the connection."""
        closer = weakref.finalize(db, db.conn.close)
        with self._lock:
            self._closers = [c for c in self._closers if c.alive]
            self._closers.append(closer)
        self._local.db = db
        return db

    def open_connections(self) -> int:
        """How many connections (one per thread that used the store and is still alive) are open."""
        with self._lock:
            return sum(1 for c in self._closers if c.alive)

    def close(self) -> None:
        """Close every thread's connection. Call it once no other thread is using the store; using the store
        afterwards is a StoreError."""
        with self._lock:
            self._closed = True
            closers, self._closers = self._closers, []
        for close in closers:
            close()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    def audio_path_for(self, session_id: int, position: int, attempt_no: int = 1) -> Path:
        """Where a new recording for this slot goes (absolute); store it with `relative()`."""
        d = self.audio_dir / f"session-{session_id:05d}"
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        return d / f"q{position:02d}-take{attempt_no}.wav"

    def relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.data_dir.resolve()))
        except ValueError:
            return str(path.resolve())

    def absolute(self, stored: str) -> Path:
        p = Path(stored)
        return p if p.is_absolute() else self.data_dir / p

    # -- sessions ----------------------------------------------------------------------------------

    def create_session(self, preset: str | None, title: str = "") -> int:
        with transaction(self.db):
            cur = self.db.execute(
                "INSERT INTO sessions (started_at, preset, title, status) VALUES (?, ?, ?, 'in_progress')",
                [now_iso(), preset, title],
            )
        return int(cur.lastrowid or 0)

    def finish_session(self, session_id: int, status: str = "completed") -> None:
        with transaction(self.db):
            self.db.execute("UPDATE sessions SET ended_at = ?, status = ? WHERE id = ?",
                            [now_iso(), status, session_id])

    def session(self, session_id: int) -> Session:
        rows = self._sessions("WHERE s.id = ?", [session_id])
        if not rows:
            raise StoreError(f"no session {session_id}; `viva sessions` lists them")
        return rows[0]

    def sessions(self, statuses: Collection[str] = ()) -> list[Session]:
        """Every session (or those with one of `statuses`), newest first, with figures over its analysed
        answers."""
        if not statuses:
            return self._sessions("", [])
        return self._sessions(f"WHERE s.status IN ({', '.join('?' * len(statuses))})", list(statuses))

    def _sessions(self, where: str, params: list[Any]) -> list[Session]:
        rows = self.db.query(f"""
            SELECT s.id, s.started_at, s.ended_at, s.preset, s.title, s.status,
                   COUNT(CASE WHEN a.status = 'analysed' THEN 1 END) AS answers,
                   AVG(CASE WHEN a.status = 'analysed' THEN a.wpm END) AS avg_wpm,
                   AVG(CASE WHEN a.status = 'analysed' THEN a.fillers_per_100 END) AS avg_fillers_per_100
            FROM sessions s LEFT JOIN attempts a ON a.session_id = s.id
            {where} GROUP BY s.id ORDER BY s.started_at DESC, s.id DESC""", params)
        return [Session(**r) for r in rows]

    def rename_session(self, session_id: int, title: str) -> None:
        """Give the session a title of the user's (History shows it in place of the preset's name)."""
        title = " ".join(title.split())
        if not title:
            raise StoreError("a session needs a title; it cannot be empty")
        self.session(session_id)
        with transaction(self.db):
            self.db.execute("UPDATE sessions SET title = ? WHERE id = ?", [title, session_id])

    def delete_session(self, session_id: int) -> None:
        """Remove the session, its attempts and results, and its audio files."""
        paths = [r["audio_path"] for r in self.db.query(
            "SELECT audio_path FROM attempts WHERE session_id = ? AND audio_path IS NOT NULL", [session_id])]
        self.session(session_id)
        with transaction(self.db):
            self.db.execute("DELETE FROM sessions WHERE id = ?", [session_id])
        for p in paths:
            self.absolute(p).unlink(missing_ok=True)
        shutil.rmtree(self.audio_dir / f"session-{session_id:05d}", ignore_errors=True)

    # -- attempts ----------------------------------------------------------------------------------

    def begin_attempt(self, session_id: int, position: int, question: Question | None, question_text: str,
                      audio: Path | None) -> int:
        """Record that an answer is being recorded (status 'recording') before any audio exists, so a crash
        mid-answer leaves a row that recovery can finish, with its question."""
        with transaction(self.db):
            return self._insert_attempt(session_id, position, question, question_text, audio)

    def _insert_attempt(self, session_id: int, position: int, question: Question | None, question_text: str,
                        audio: Path | None) -> int:
        cur = self.db.execute(
            """INSERT INTO attempts (session_id, position, question_id, question_text, category, kind,
               audio_path, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'recording')""",
            [session_id, position, question.id if question else None, question_text,
             question.category if question else None, question.kind if question else None,
             self.relative(audio) if audio else None, now_iso()],
        )
        return int(cur.lastrowid or 0)

    def complete_attempt(self, attempt_id: int, analysis: Analysis) -> None:
        """Store the analysis of a recorded attempt (and its rubric result) in one transaction."""
        with transaction(self.db):
            self._store_analysis(attempt_id, analysis)

    def _store_analysis(self, attempt_id: int, analysis: Analysis) -> None:
        d = analysis.delivery
        self.db.execute(
            """UPDATE attempts SET status = 'analysed', duration_s = ?, word_count = ?, wpm = ?,
               articulation_wpm = ?, filler_count = ?, fillers_per_100 = ?, longest_pause_s = ?,
               pauses_over_2s = ?, silence_share = ?, transcript_json = ?, delivery_json = ?,
               timings_json = ? WHERE id = ?""",
            [d.duration_s, d.word_count, d.wpm, d.articulation_wpm, len(d.fillers), d.fillers_per_100_words,
             d.longest_pause_s, d.long_pauses_2s, d.silence_share, json.dumps(analysis.transcript.to_dict()),
             json.dumps(d.to_dict()), json.dumps(analysis.timings), attempt_id],
        )
        if analysis.rubric is not None:
            self._insert_result(attempt_id, analysis.rubric)

    def set_attempt_status(self, attempt_id: int, status: str) -> None:
        """'no_speech', 'failed', ...: the audio is kept either way."""
        with transaction(self.db):
            self.db.execute("UPDATE attempts SET status = ? WHERE id = ?", [status, attempt_id])

    def add_attempt(self, session_id: int, position: int, question: Question | None, question_text: str,
                    audio: Path | None, analysis: Analysis) -> int:
        """Store one already-analysed answer (e.g. an imported recording) in a single transaction."""
        with transaction(self.db):
            attempt_id = self._insert_attempt(session_id, position, question, question_text, audio)
            self._store_analysis(attempt_id, analysis)
        return attempt_id

    def unfinished_attempts(self, session_id: int | None = None) -> list[Attempt]:
        """Attempts left in 'recording' (the app stopped mid-answer), of one session or all, oldest first."""
        if session_id is None:
            return self._attempts("status = 'recording'", [], "id")
        return self._attempts("session_id = ? AND status = 'recording'", [session_id], "id")

    def add_result(self, attempt_id: int, result: RubricResult) -> int:
        """Keep another rubric result for an attempt (re-scoring keeps the old ones)."""
        with transaction(self.db):
            return self._insert_result(attempt_id, result)

    def _insert_result(self, attempt_id: int, r: RubricResult) -> int:
        cur = self.db.execute(
            """INSERT INTO rubric_results (attempt_id, created_at, rubric, score, model, prompt_version,
               result_json) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [attempt_id, now_iso(), r.rubric, r.score, r.model.get("name", ""), r.prompt_version,
             json.dumps(r.to_dict())],
        )
        result_id = int(cur.lastrowid or 0)
        for item in r.items:
            self.db.execute("INSERT INTO rubric_items VALUES (?, ?, ?, ?)",
                            [result_id, item.id, int(item.present), item.confidence])
        return result_id

    def attempts(self, session_id: int) -> list[Attempt]:
        """A session's attempts in order, each with every rubric result kept for it, oldest first (the last is
        the latest: the one trends use)."""
        return self._attempts("session_id = ?", [session_id], "position, id")

    def _attempts(self, where: str, params: list[Any], order: str) -> list[Attempt]:
        with snapshot(self.db):  # the attempts and their results as of one moment
            rows = list(self.db.query(f"SELECT * FROM attempts WHERE {where} ORDER BY {order}", params))
            results: dict[int, list[dict[str, Any]]] = {}
            for r in self.db.query(f"""SELECT attempt_id, id, created_at, result_json FROM rubric_results
                                       WHERE attempt_id IN (SELECT id FROM attempts WHERE {where})
                                       ORDER BY id""", params):
                results.setdefault(r["attempt_id"], []).append(r)
        return [_attempt(row, results.get(row["id"], [])) for row in rows]

    # -- trends ------------------------------------------------------------------------------------

    def trend(self, category: str | None = None) -> list[TrendPoint]:
        """One point per analysed attempt, oldest first, with its latest rubric result's items; an answer to a
        follow-up (another question text than the first attempt at its position, as review.stored.follow_up_flags
        tells them) keeps its delivery but no score or items: the plan, the review schedule and the coverage
        charts would otherwise count the items a follow-up never asked for as missed."""
        sql = """
            SELECT a.id, a.session_id, a.created_at, a.category, a.wpm, a.fillers_per_100,
                   a.longest_pause_s, a.pauses_over_2s, a.question_id, a.question_text, a.kind, a.position,
                   (SELECT r.id FROM rubric_results r WHERE r.attempt_id = a.id ORDER BY r.id DESC LIMIT 1)
                     AS result_id,
                   a.question_text IS NOT (SELECT f.question_text FROM attempts f WHERE f.session_id = a.session_id
                                           AND f.position = a.position ORDER BY f.id LIMIT 1) AS follow_up
            FROM attempts a WHERE a.status = 'analysed' {where} ORDER BY a.created_at, a.id"""
        params: list[Any] = []
        where = ""
        if category:
            where, params = "AND a.category = ?", [category]
        out = []
        for row in self.db.query(sql.format(where=where), params):
            score = None
            items: dict[str, bool] = {}
            if row["result_id"] is not None and not row["follow_up"]:
                score = next(self.db.query("SELECT score FROM rubric_results WHERE id = ?",
                                           [row["result_id"]]))["score"]
                items = {r["item"]: bool(r["present"]) for r in self.db.query(
                    "SELECT item, present FROM rubric_items WHERE result_id = ?", [row["result_id"]])}
            out.append(TrendPoint(row["id"], row["session_id"], row["created_at"], row["category"],
                                  row["wpm"], row["fillers_per_100"], row["longest_pause_s"],
                                  row["pauses_over_2s"], score, items, row["question_id"], row["question_text"],
                                  row["kind"], row["position"], bool(row["follow_up"])))
        return out


def _attempt(row: dict[str, Any], results: list[dict[str, Any]]) -> Attempt:
    """A row of `attempts` (and the rows of its rubric results) with the JSON columns read into domain types."""
    try:
        transcript, delivery, timings = (json.loads(row.pop(k) or "null")
                                         for k in ("transcript_json", "delivery_json", "timings_json"))
        kept = tuple(StoredResult(r["id"], r["created_at"], RubricResult.from_dict(json.loads(r["result_json"])))
                     for r in results)
        return Attempt(**row, transcript=Transcript.from_dict(transcript) if transcript else None,
                       delivery=Delivery.from_dict(delivery) if delivery else None, timings=dict(timings or {}),
                       results=kept)
    except (ValueError, KeyError, TypeError) as e:
        raise StoreError(f"answer {row.get('id')} of session {row.get('session_id')} has unreadable stored data "
                         f"({type(e).__name__}: {e})") from None
