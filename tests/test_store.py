"""The SQLite store: migrations (from a blank database and from every earlier schema) and the Store API."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from app.delivery import analyze_delivery
from app.domain import (
    Analysis,
    Attempt,
    Delivery,
    Evidence,
    ItemVerdict,
    Question,
    RubricResult,
    Session,
    Transcript,
    Word,
)
from app.errors import StoreError
from app.store import Store, open_db
from app.store import db as dbmod
from app.store.db import MIGRATIONS, migrate

ALL_NAMES = [name for name, _ in MIGRATIONS]


# -- helpers --------------------------------------------------------------------------------------------


def _words(spec: str, start: float = 0.5, dur: float = 0.3, gap: float = 0.1) -> tuple[Word, ...]:
    out, t = [], start
    for token in spec.split():
        out.append(Word(token, round(t, 3), round(t + dur, 3)))
        t += dur + gap
    return tuple(out)


def _question(qid: str = "beh-conflict", category: str = "behavioral", kind: str = "behavioral") -> Question:
    return Question(id=qid, category=category, kind=kind, difficulty="medium", answer_time_s=120,
                    text="Tell me about a time you disagreed with a teammate.",
                    talking_points=("situation", "action", "result"))


def _result(present: dict[str, bool], score: int, model: str = "cues") -> RubricResult:
    return RubricResult(
        rubric="star",
        items=tuple(ItemVerdict(k, v, 0.8 if v else 0.3,
                                (Evidence("We had a deadline.", 0.5, 1.7),) if v else (),
                                "" if v else f"add the {k}") for k, v in present.items()),
        score=score,
        feedback=("say what you did",),
        model={"name": model, "llm_s": 0.1},
        prompt_version="rubrics-v1/cues-only",
    )


def _analysis(text: str = "um so we had a deadline and and I think we shipped it", rubric: RubricResult | None = None
              ) -> Analysis:
    t = Transcript(words=_words(text), duration_s=6.0, model="whisper:test")
    return Analysis(transcript=t, delivery=analyze_delivery(t), rubric=rubric,
                    timings={"transcribe_s": 0.5, "score_s": 0.1})


def t_seeded() -> Transcript:
    return Transcript(words=_words("we had a deadline and I shipped it"), duration_s=4.0)


def _tables(db) -> set[str]:
    return {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _indexes(db) -> set[str]:
    return {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'index'")}


def _applied(db) -> list[str]:
    return [r["name"] for r in db.query("SELECT name FROM _migrations ORDER BY name")]


# -- migrations -----------------------------------------------------------------------------------------


def test_blank_database_gets_every_migration_and_pragmas(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = data / "viva.db"
    db = open_db(path)
    assert _applied(db) == sorted(ALL_NAMES)
    assert {"sessions", "attempts", "rubric_results", "rubric_items", "_migrations"} <= _tables(db)
    assert {"idx_attempts_session", "idx_rubric_results_attempt"} <= _indexes(db)
    assert db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_migrate_upto_stops_at_that_schema(tmp_path: Path) -> None:
    db = open_db(tmp_path / "viva.db", upto=1)
    assert _applied(db) == ALL_NAMES[:1]
    assert "rubric_items" not in _tables(db)


def test_reopening_is_a_noop(tmp_path: Path) -> None:
    path = tmp_path / "viva.db"
    db = open_db(path)
    first = list(db.query("SELECT name, applied_at FROM _migrations ORDER BY name"))
    db.conn.close()
    db2 = open_db(path)
    assert migrate(db2) == []
    assert list(db2.query("SELECT name, applied_at FROM _migrations ORDER BY name")) == first


def _seed_schema(db, k: int) -> None:
    """Realistic rows written with raw SQL valid for the schema after migration k (1-based)."""
    old_result = _result({"situation": True, "task": False, "action": True, "result": False}, 50).to_dict()
    db.execute("INSERT INTO sessions (id, started_at, ended_at, preset, title, status) "
               "VALUES (1, '2024-05-01T10:00:00+00:00', '2024-05-01T10:20:00+00:00', 'quick-3', 'old one', "
               "'completed')")
    t = t_seeded()
    db.execute(
        """INSERT INTO attempts (id, session_id, position, question_id, question_text, category, kind, audio_path,
           created_at, status, duration_s, word_count, wpm, articulation_wpm, filler_count, fillers_per_100,
           longest_pause_s, pauses_over_2s, silence_share, transcript_json, delivery_json, timings_json)
           VALUES (1, 1, 1, 'beh-conflict', 'Tell me about a conflict.', 'behavioral', 'behavioral',
           'audio/session-00001/q01-take1.wav', '2024-05-01T10:05:00+00:00', 'analysed', 4.0, 8, 150.0, 160.0,
           0, 0.0, 0.1, 0, 0.05, ?, ?, ?)""",
        [json.dumps(t.to_dict()), json.dumps(analyze_delivery(t).to_dict()), json.dumps({"transcribe_s": 1.0})],
    )
    db.execute(
        """INSERT INTO rubric_results (id, attempt_id, created_at, rubric, score, model, prompt_version, result_json)
           VALUES (7, 1, '2024-05-01T10:05:01+00:00', 'star', 50, 'cues', 'rubrics-v1/cues-only', ?)""",
        [json.dumps(old_result)],
    )
    # An earlier result with no items must not break the back-fill.
    db.execute(
        """INSERT INTO rubric_results (id, attempt_id, created_at, rubric, score, model, prompt_version, result_json)
           VALUES (6, 1, '2024-05-01T10:04:00+00:00', 'star', 0, 'cues', 'v0', ?)""",
        [json.dumps(RubricResult("star", (), 0, ()).to_dict())])
    if "rubric_items" in _tables(db):  # schemas from 002 on keep the items in their own table
        for item in old_result["items"]:
            db.execute("INSERT INTO rubric_items VALUES (7, ?, ?, ?)",
                       [item["id"], int(item["present"]), item["confidence"]])


@pytest.mark.parametrize("k", range(1, len(MIGRATIONS)))
def test_upgrade_from_each_earlier_schema_keeps_data(tmp_path: Path, k: int) -> None:
    data = tmp_path / "data"
    db = open_db(data / "viva.db", upto=k)
    assert _applied(db) == sorted(ALL_NAMES[:k])
    _seed_schema(db, k)
    db.conn.close()

    db = open_db(data / "viva.db")
    assert _applied(db) == sorted(ALL_NAMES)
    assert {"idx_attempts_session", "idx_rubric_results_attempt"} <= _indexes(db)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # The old rows are all still there ...
    assert db.execute("SELECT title, status FROM sessions WHERE id = 1").fetchone() == ("old one", "completed")
    assert db.execute("SELECT COUNT(*) FROM rubric_results").fetchone()[0] == 2
    # ... and the items are available through rubric_items (back-filled by 002 when upgrading from 001).
    items = {r["item"]: (r["present"], r["confidence"])
             for r in db.query("SELECT item, present, confidence FROM rubric_items WHERE result_id = 7")}
    assert items == {"situation": (1, 0.8), "task": (0, 0.3), "action": (1, 0.8), "result": (0, 0.3)}
    assert db.execute("SELECT COUNT(*) FROM rubric_items WHERE result_id = 6").fetchone()[0] == 0
    db.conn.close()

    store = Store(data)
    [a] = store.attempts(1)
    assert a.text == "we had a deadline and I shipped it"
    assert a.delivery == Delivery.from_dict(analyze_delivery(t_seeded()).to_dict())
    assert a.timings == {"transcribe_s": 1.0}
    assert [(r.result_id, r.result.score) for r in a.results] == [(6, 0), (7, 50)]
    # The trend reads the latest result's items from rubric_items.
    [point] = store.trend("behavioral")
    assert (point.attempt_id, point.score) == (1, 50)
    assert point.items == {"situation": True, "task": False, "action": True, "result": False}


def test_database_from_a_newer_viva_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "viva.db"
    db = open_db(path)
    db.execute("INSERT INTO _migrations VALUES ('099_from_the_future', '2030-01-01T00:00:00+00:00')")
    db.conn.close()
    with pytest.raises(StoreError, match="newer") as e:
        open_db(path)
    assert "099_from_the_future" in str(e.value)
    assert "\n" not in str(e.value)


def test_not_a_database_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "viva.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        open_db(path)


def test_failing_migration_leaves_no_record_and_no_partial_schema(tmp_path: Path, monkeypatch) -> None:
    db = open_db(tmp_path / "viva.db")

    def boom(d) -> None:
        d.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("migration failed half-way")

    monkeypatch.setattr(dbmod, "MIGRATIONS", [*MIGRATIONS, ("999_boom", boom)])
    with pytest.raises(RuntimeError):
        migrate(db)
    assert "half_done" not in _tables(db)
    assert "999_boom" not in _applied(db)
    assert not db.conn.in_transaction


# -- Store ----------------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data")


def _add(store: Store, sid: int, position: int = 1, rubric: RubricResult | None = None,
         q: Question | None = None, text: str = "um so we had a deadline and and I think we shipped it") -> int:
    audio = store.audio_path_for(sid, position)
    audio.write_bytes(b"RIFF fake wav")
    return store.add_attempt(sid, position, q or _question(), (q or _question()).text, audio,
                             _analysis(text, rubric))


def test_store_round_trip(store: Store) -> None:
    sid = store.create_session("quick-3", title="morning")
    rubric = _result({"situation": True, "task": True, "action": False, "result": True}, 75)
    aid = _add(store, sid, rubric=rubric)

    session = store.session(sid)
    assert isinstance(session, Session)
    assert (session.preset, session.title, session.status, session.ended_at) == ("quick-3", "morning",
                                                                                "in_progress", None)
    [a] = store.attempts(sid)
    assert isinstance(a, Attempt) and a.analysed
    assert (a.id, a.session_id, a.position, a.status) == (aid, sid, 1, "analysed")
    assert (a.question_id, a.category, a.kind) == ("beh-conflict", "behavioral", "behavioral")
    # The JSON columns come back as domain types, equal to what was stored.
    spoken = "um so we had a deadline and and I think we shipped it"
    stored = _analysis(spoken, rubric)
    assert a.transcript == stored.transcript and a.text == spoken
    assert a.delivery == Delivery.from_dict(stored.delivery.to_dict())
    assert a.delivery is not None and len(a.delivery.fillers) == 2  # "um" and the repetition "and and"
    assert [h.text.casefold() for h in a.delivery.hedges] == ["i think"]
    assert a.timings == {"transcribe_s": 0.5, "score_s": 0.1}
    assert a.word_count == 12  # "um" is not counted as a word
    assert a.filler_count == 2 and a.wpm == pytest.approx(stored.delivery.wpm)
    assert [r.result for r in a.results] == [RubricResult.from_dict(rubric.to_dict())]
    assert a.latest is a.results[-1] and a.latest.result_id > 0 and a.latest.created_at
    # Audio is stored relative to the data dir and resolves back to the file.
    assert a.audio_path == "audio/session-00001/q01-take1.wav"
    assert not Path(a.audio_path).is_absolute()
    assert store.absolute(a.audio_path).read_bytes() == b"RIFF fake wav"

    [summary] = store.sessions()
    assert (summary.id, summary.answers) == (sid, 1)
    assert summary.avg_wpm == pytest.approx(a.wpm) and summary.avg_fillers_per_100 == pytest.approx(a.fillers_per_100)
    store.finish_session(sid)
    assert store.session(sid).status == "completed" and store.session(sid).ended_at


def test_unknown_session_raises_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no session 42"):
        store.session(42)
    with pytest.raises(StoreError):
        store.delete_session(42)


def test_trend_points_and_category_filter(store: Store) -> None:
    s1 = store.create_session("quick-3")
    a1 = _add(store, s1, 1, rubric=_result({"situation": True, "action": False}, 50))
    a2 = _add(store, s1, 2, rubric=None, q=_question("ml-bias", "ml_fundamentals", "technical"),
              text="bias is error from wrong assumptions")
    points = store.trend()
    assert [p.attempt_id for p in points] == [a1, a2]
    p1, p2 = points
    assert (p1.session_id, p1.category, p1.score, p1.items) == (s1, "behavioral", 50,
                                                                {"situation": True, "action": False})
    assert p1.wpm == pytest.approx(store.attempts(s1)[0].wpm)
    assert p2.score is None and p2.items == {}
    assert [p.attempt_id for p in store.trend("ml_fundamentals")] == [a2]
    assert store.trend("nlp") == []


def test_a_follow_up_answer_keeps_its_delivery_in_the_trend_but_no_structure(store: Store) -> None:
    sid = store.create_session("quick-3")
    asked = _add(store, sid, 1, rubric=_result({"situation": True, "task": True, "action": True,
                                                 "result": False}, 75))
    follow = store.add_attempt(sid, 1, _question(), "And what came of it?", store.audio_path_for(sid, 1, 2),
                               _analysis("um it shipped a week early", _result({"result": True}, 25)))
    again = _add(store, sid, 2, rubric=_result({"situation": True}, 25))
    points = store.trend()
    assert [(p.attempt_id, p.follow_up, p.score) for p in points] == [(asked, False, 75), (follow, True, None),
                                                                       (again, False, 25)]
    assert points[1].items == {} and points[1].wpm is not None and points[1].fillers_per_100 is not None


def test_add_result_keeps_both_and_trend_uses_latest(store: Store) -> None:
    sid = store.create_session(None)
    aid = _add(store, sid, rubric=_result({"situation": False, "action": False}, 0, model="first"))
    rid = store.add_result(aid, _result({"situation": True, "action": True}, 100, model="second"))
    assert rid > 0
    results = store.attempts(sid)[0].results
    assert [(r.result.score, r.result.model["name"]) for r in results] == [(0, "first"), (100, "second")]
    assert results[1].result_id == rid
    [p] = store.trend()
    assert p.score == 100 and p.items == {"situation": True, "action": True}
    assert store.db.execute("SELECT COUNT(*) FROM rubric_items").fetchone()[0] == 4


def test_delete_session_removes_rows_and_audio(store: Store) -> None:
    keep = store.create_session(None, "keep")
    gone = store.create_session(None, "gone")
    _add(store, keep, rubric=_result({"situation": True}, 100))
    _add(store, gone, 1, rubric=_result({"situation": True}, 100))
    _add(store, gone, 2, rubric=_result({"situation": False}, 0))
    gone_audio = [store.absolute(a.audio_path or "") for a in store.attempts(gone)]
    assert all(p.exists() for p in gone_audio)

    store.delete_session(gone)

    assert all(not p.exists() for p in gone_audio)
    assert not (store.audio_dir / f"session-{gone:05d}").exists()
    q = store.db.execute
    assert q("SELECT COUNT(*) FROM sessions WHERE id = ?", [gone]).fetchone()[0] == 0
    assert q("SELECT COUNT(*) FROM attempts WHERE session_id = ?", [gone]).fetchone()[0] == 0
    assert q("SELECT COUNT(*) FROM rubric_results").fetchone()[0] == 1  # only `keep`'s
    assert q("SELECT COUNT(*) FROM rubric_items").fetchone()[0] == 1
    # The other session is untouched, file included.
    [kept] = store.attempts(keep)
    assert store.absolute(kept.audio_path or "").exists()
    with pytest.raises(StoreError):
        store.session(gone)


def test_failed_write_leaves_nothing_half_written(store: Store, monkeypatch) -> None:
    sid = store.create_session(None)
    original = Store._insert_result

    def insert_then_fail(self, attempt_id, r):
        original(self, attempt_id, r)  # the result row and its items are written ...
        raise sqlite3.OperationalError("disk I/O error")  # ... then the write fails

    monkeypatch.setattr(Store, "_insert_result", insert_then_fail)
    with pytest.raises(StoreError, match="disk I/O error"):
        _add(store, sid, rubric=_result({"situation": True}, 100))
    q = store.db.execute
    assert q("SELECT COUNT(*) FROM attempts").fetchone()[0] == 0
    assert q("SELECT COUNT(*) FROM rubric_results").fetchone()[0] == 0
    assert q("SELECT COUNT(*) FROM rubric_items").fetchone()[0] == 0
    assert q("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not store.db.conn.in_transaction

    # The store is still usable afterwards.
    monkeypatch.setattr(Store, "_insert_result", original)
    aid = _add(store, sid, rubric=_result({"situation": True}, 100))
    assert [a.id for a in store.attempts(sid)] == [aid]


def test_store_survives_reopen(tmp_path: Path) -> None:
    s = Store(tmp_path / "data")
    sid = s.create_session("quick-3")
    _add(s, sid, rubric=_result({"situation": True}, 100))
    s.db.conn.close()
    s2 = Store(tmp_path / "data")
    assert [a.question_id for a in s2.attempts(sid)] == ["beh-conflict"]
    assert s2.trend()[0].score == 100
