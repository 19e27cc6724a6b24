"""Opening the database: pragmas and append-only migrations, each in a transaction with its own record.

Never edit or reorder a migration once released; add a new one at the end.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from app.errors import StoreError

Migration = Callable[[sqlite_utils.Database], None]


def _m001_initial(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            preset TEXT,
            title TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'in_progress'
        )""")
    db.execute("""
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            question_id TEXT,
            question_text TEXT NOT NULL,
            category TEXT,
            kind TEXT,
            audio_path TEXT,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'recorded',
            duration_s REAL,
            word_count INTEGER,
            wpm REAL,
            articulation_wpm REAL,
            filler_count INTEGER,
            fillers_per_100 REAL,
            longest_pause_s REAL,
            pauses_over_2s INTEGER,
            silence_share REAL,
            transcript_json TEXT,
            delivery_json TEXT,
            timings_json TEXT
        )""")
    db.execute("""
        CREATE TABLE rubric_results (
            id INTEGER PRIMARY KEY,
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            rubric TEXT NOT NULL,
            score INTEGER NOT NULL,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            result_json TEXT NOT NULL
        )""")


def _m002_rubric_items_and_indexes(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE rubric_items (
            result_id INTEGER NOT NULL REFERENCES rubric_results(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            present INTEGER NOT NULL,
            confidence REAL NOT NULL,
            PRIMARY KEY (result_id, item)
        )""")
    # Back-fill from results stored before this table existed.
    for row in db.query("SELECT id, result_json FROM rubric_results"):
        for item in json.loads(row["result_json"]).get("items", []):
            db.execute(
                "INSERT INTO rubric_items VALUES (?, ?, ?, ?)",
                [row["id"], item["id"], int(bool(item["present"])), float(item["confidence"])],
            )
    db.execute("CREATE INDEX idx_attempts_session ON attempts(session_id, position)")
    db.execute("CREATE INDEX idx_rubric_results_attempt ON rubric_results(attempt_id)")


MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_initial", _m001_initial),
    ("002_rubric_items_and_indexes", _m002_rubric_items_and_indexes),
]
SCHEMA_VERSION = len(MIGRATIONS)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception: all or nothing."""
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    except sqlite3.DatabaseError as e:
        where = db.conn.execute("PRAGMA database_list").fetchone()[2]
        raise StoreError(f"cannot save to {where}: {e} (nothing already saved was lost)") from None


@contextmanager
def snapshot(db: sqlite_utils.Database) -> Iterator[None]:
    """A read transaction: several SELECTs see the database as of one moment (WAL: writers are not blocked)."""
    db.conn.execute("BEGIN")
    try:
        yield
    finally:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrate(db: sqlite_utils.Database, upto: int | None = None) -> list[str]:
    """Apply pending migrations (up to `upto`, for tests of earlier schemas). Returns the names applied."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {r["name"] for r in db.query("SELECT name FROM _migrations")}
    known = {name for name, _ in MIGRATIONS}
    if done - known:
        raise StoreError(
            f"database {db.conn.execute('PRAGMA database_list').fetchone()[2]} was written by a newer Viva "
            f"(unknown migrations: {', '.join(sorted(done - known))}); upgrade Viva to open it"
        )
    applied = []
    for name, fn in MIGRATIONS[:upto]:
        if name in done:
            continue
        with transaction(db):  # one transaction per migration, together with its record
            fn(db)
            db.execute("INSERT INTO _migrations VALUES (?, ?)", [name, _now()])
        applied.append(name)
    return applied


BUSY_TIMEOUT_S = 10  # a writer waits this long for another connection's write to finish before failing


def connect(path: Path) -> sqlite_utils.Database:
    """A new connection to the database at `path` (created if needed) with Viva's pragmas: WAL (readers never
    wait for the writer), foreign keys, and a busy timeout so a writer waits for another connection's write
    instead of failing. No migrations: `open_db` applies them once."""
    conn: sqlite3.Connection | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        new = not path.exists()
        # Autocommit; writes that belong together use `transaction()`. A connection is only ever used by the
        # thread that opened it (see `Store`); check_same_thread is off so that `Store.close()` may close them
        # all from one thread.
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
        if new:
            path.chmod(0o600)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=NORMAL")
        return db
    except sqlite3.DatabaseError as e:
        if conn is not None:
            conn.close()
        raise StoreError(f"cannot open database {path}: {e}") from None
    except OSError as e:
        if conn is not None:
            conn.close()
        raise StoreError(f"cannot create database {path}: {e.strerror}") from None


def open_db(path: Path, upto: int | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path`, with WAL, foreign keys and all migrations."""
    db = connect(path)
    try:
        migrate(db, upto)
    except sqlite3.DatabaseError as e:
        db.conn.close()
        raise StoreError(f"cannot open database {path}: {e}") from None
    except BaseException:
        db.conn.close()
        raise
    return db
