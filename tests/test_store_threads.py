"""One Store shared by several threads (the GUI thread and the worker lanes): every write lands exactly once, and
the connections are closed."""

from __future__ import annotations

import gc
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from app.delivery import analyze_delivery
from app.domain import Analysis, Question, Transcript, Word
from app.errors import StoreError
from app.store import Store

THREADS, SESSIONS = 3, 200
needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files through /proc")
QUESTION = Question("beh-conflict", "behavioral", "behavioral", "medium", 120, "Tell me about a conflict.", ())


def _analysis() -> Analysis:
    spoken = ("um", "we", "shipped", "it", "on", "time")
    words = tuple(Word(w, 0.4 * i, 0.4 * i + 0.3) for i, w in enumerate(spoken))
    t = Transcript(words, duration_s=3.0, model="whisper:test")
    return Analysis(t, analyze_delivery(t), None, {"transcribe_s": 0.1})


def _db_fds(path: Path) -> int:
    """File descriptors of this process open on the database file (Linux: /proc/self/fd)."""
    fd_dir = Path("/proc/self/fd")
    count = 0
    for fd in fd_dir.iterdir():
        try:
            if os.readlink(fd) == str(path):
                count += 1
        except OSError:
            continue
    return count


def test_threads_sharing_one_store_store_every_session_exactly_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    analysis = _analysis()
    ok: list[list[int]] = [[] for _ in range(THREADS)]  # sessions whose every call reported success
    failed: list[list[tuple[int | None, str]]] = [[] for _ in range(THREADS)]
    start = threading.Barrier(THREADS)

    def work(n: int) -> None:
        start.wait()
        for i in range(SESSIONS):
            sid = None
            try:
                sid = store.create_session("quick-3", title=f"thread {n} session {i}")
                aid = store.begin_attempt(sid, 1, QUESTION, QUESTION.text, None)
                store.complete_attempt(aid, analysis)
                store.finish_session(sid)
                ok[n].append(sid)
            except Exception as e:  # counted, not raised: the test reports every failure
                failed[n].append((sid, f"{type(e).__name__}: {e}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)

    errors = [f for per in failed for f in per]
    assert errors == [], f"{len(errors)} failed calls, first: {errors[:3]}"
    reported = sorted(sid for per in ok for sid in per)
    assert len(reported) == THREADS * SESSIONS == len(set(reported))
    q = store.db.execute
    stored = [r[0] for r in q("SELECT id FROM sessions WHERE status = 'completed' ORDER BY id")]
    assert stored == reported  # every success landed ...
    assert q("SELECT COUNT(*) FROM sessions").fetchone()[0] == THREADS * SESSIONS  # ... and nothing else did
    # Each session has exactly its one analysed answer, on the right session.
    per_session = q("SELECT session_id, COUNT(*), SUM(status = 'analysed') FROM attempts GROUP BY session_id")
    assert sorted(per_session) == [(sid, 1, 1) for sid in reported]
    assert q("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_each_thread_has_its_own_connection_closed_when_the_thread_ends(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    seen: list[sqlite3.Connection] = []

    def use() -> None:
        seen.append(store.db.conn)
        store.create_session(None)

    threads = [threading.Thread(target=use) for _ in range(3)]
    for t in threads:
        t.start()
        t.join()
    gc.collect()
    assert len({id(c) for c in [*seen, store.db.conn]}) == 4  # three workers and this thread, each its own
    assert store.open_connections() == 1  # the workers' closed with their threads; this thread's remains
    for conn in seen:
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            conn.execute("SELECT 1")
    assert len(store.sessions()) == 3
    store.close()


@needs_proc
def test_close_releases_every_connection(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    path = (tmp_path / "data" / "viva.db").resolve()
    hold = threading.Event()
    release = threading.Event()

    def keep_using() -> None:
        store.create_session(None)
        hold.set()
        release.wait(timeout=60)

    worker = threading.Thread(target=keep_using)
    worker.start()
    assert hold.wait(timeout=60)
    assert store.open_connections() == 2 and _db_fds(path) == 2
    store.close()
    assert store.open_connections() == 0 and _db_fds(path) == 0
    release.set()
    worker.join()
    with pytest.raises(StoreError, match="closed"):
        store.sessions()


@needs_proc
def test_a_dropped_store_closes_its_connections(tmp_path: Path) -> None:
    path = (tmp_path / "data" / "viva.db").resolve()
    with Store(tmp_path / "data") as store:
        store.create_session(None)
    assert _db_fds(path) == 0
    store = Store(tmp_path / "data")
    store.create_session(None)
    del store
    gc.collect()
    assert _db_fds(path) == 0


@needs_proc
def test_services_close_releases_the_database(tmp_path: Path) -> None:
    from app.config import Config
    from app.services import build

    services = build(Config(), tmp_path / "home")
    services.store.create_session(None)
    path = (tmp_path / "home" / "viva.db").resolve()
    assert _db_fds(path) == 1
    services.close()
    assert _db_fds(path) == 0
