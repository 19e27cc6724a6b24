"""Typed records from the store: Delivery round-trips through its stored JSON, the store hands out Session and
Attempt, and an answer that was never analysed reads plainly everywhere (counted nowhere, never "None")."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields
from pathlib import Path

import pytest

from app.cli import main
from app.config import Targets
from app.delivery import analyze_delivery
from app.domain import Analysis, Attempt, Delivery, FillerItem, Pause, Question, Session, Span, Transcript, Word
from app.errors import StoreError
from app.export import to_csv, to_html, to_json, to_markdown
from app.store import Store

QUESTION = Question("beh-conflict", "behavioral", "behavioral", "medium", 120, "Tell me about a conflict.", ())


def _speech() -> Transcript:
    """40 s of talk with a filled pause, a repetition, a hedge, long pauses and an unsure stretch."""
    text = ("um so I think we had a deadline and and the team was split about the cache "
            "so I wrote a small benchmark over the weekend and we measured both designs "
            "then we picked the simpler one and shipped it two days early")
    spoken = text.split()
    words, t = [], 0.3
    for i, w in enumerate(spoken):
        prob = 0.2 if 20 <= i < 23 else 0.95
        words.append(Word(w, round(t, 2), round(t + 0.35, 2), prob))
        t += 0.45 + (2.6 if i in (12, 30) else 0.0) + (1.3 if i == 5 else 0.0)
    return Transcript(tuple(words), duration_s=round(t + 1.0, 2), model="whisper:test")


def test_delivery_from_dict_round_trips_every_figure() -> None:
    d = analyze_delivery(_speech(), Targets(wpm_low=120, wpm_high=150))
    # The sample exercises every part of the stored form, so a field the reader drops cannot go unnoticed.
    assert d.fillers and d.hedges and d.pauses and d.low_confidence and len(d.pace_windows) >= 2
    assert d.first_substantive_s is not None and d.long_pauses_1s and d.long_pauses_2s and d.targets
    stored = d.to_dict()
    back = Delivery.from_dict(json.loads(json.dumps(stored)))
    assert back.to_dict() == stored
    assert {f.kind for f in back.fillers} >= {"filled_pause", "repetition"} and back.hedges[0].kind == "hedge"
    assert back.targets == json.loads(json.dumps(d.targets))
    # Exactly equal where to_dict does not round.
    assert (back.fillers, back.hedges, back.pauses, back.low_confidence) == (d.fillers, d.hedges, d.pauses,
                                                                              d.low_confidence)
    assert back.word_count == d.word_count and back.first_substantive_s == d.first_substantive_s


def test_delivery_from_dict_is_exact_for_figures_at_stored_precision() -> None:
    d = Delivery(duration_s=31.5, speaking_s=24.25, word_count=61, wpm=143.2, articulation_wpm=171.4,
                 fillers=(FillerItem("um", 0.3, 0.6, "filled_pause"), FillerItem("and and", 4.1, 4.9, "repetition")),
                 hedges=(FillerItem("I think", 1.0, 1.6, "hedge"),), fillers_per_100_words=3.28,
                 pauses=(Pause(6.0, 8.75), Pause(12.5, 13.75)), long_pauses_1s=2, long_pauses_2s=1,
                 longest_pause_s=2.75, silence_share=0.164, pace_windows=((0.0, 140.0), (15.0, 151.5)),
                 first_substantive_s=1.0, low_confidence=(Span(9.0, 10.5, "the cache", 0.25),),
                 targets={"wpm": {"value": 143.2, "low": 130.0, "high": 160.0, "unit": "wpm", "met": True}})
    assert all(getattr(d, f.name) not in (None, (), {}, 0) for f in fields(Delivery))
    assert Delivery.from_dict(json.loads(json.dumps(d.to_dict()))) == d


def test_delivery_stored_before_newer_figures_reads_with_defaults() -> None:
    old = analyze_delivery(_speech()).to_dict()
    for key in ("pace_windows", "first_substantive_s", "low_confidence", "targets"):
        del old[key]
    back = Delivery.from_dict(old)
    assert (back.pace_windows, back.first_substantive_s, back.low_confidence, back.targets) == ((), None, (), {})
    assert back.wpm == old["wpm"]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "data")
    yield s
    s.close()


def _session_with_an_unheard_answer(store: Store) -> tuple[int, Analysis]:
    """Answer 1 analysed; answer 2 recorded but no speech; answer 3 begun and never finished."""
    sid = store.create_session("quick-3")
    t = _speech()
    analysis = Analysis(t, analyze_delivery(t), None, {"transcribe_s": 0.3})
    store.add_attempt(sid, 1, QUESTION, QUESTION.text, None, analysis)
    unheard = store.begin_attempt(sid, 2, QUESTION, "Why this team?", None)
    store.set_attempt_status(unheard, "no_speech")
    store.begin_attempt(sid, 3, None, "What would you change?", None)
    return sid, analysis


def test_store_hands_out_typed_records(store: Store) -> None:
    sid, analysis = _session_with_an_unheard_answer(store)
    session = store.session(sid)
    assert isinstance(session, Session) and session.answers == 1  # only the analysed answer counts
    assert session.avg_wpm == pytest.approx(analysis.delivery.wpm)
    first, unheard, unfinished = store.attempts(sid)
    assert all(isinstance(a, Attempt) for a in (first, unheard, unfinished))
    assert first.analysed and first.transcript == analysis.transcript and first.outcome == "analysed"
    assert first.delivery == Delivery.from_dict(analysis.delivery.to_dict())
    for a in (unheard, unfinished):
        assert not a.analysed and a.transcript is None and a.delivery is None and a.results == ()
        assert a.wpm is None and a.word_count is None and a.text == ""
    assert unheard.outcome == "no speech heard" and unfinished.outcome.startswith("not finished")
    for status, plain in (("cancelled", "not kept"), ("failed", "analysis failed"), ("no_audio", "not recorded"),
                          ("some_new_status", "some new status")):
        store.set_attempt_status(unheard.id, status)
        assert store.attempts(sid)[1].outcome.startswith(plain)
    assert [a.id for a in store.unfinished_attempts()] == [unfinished.id]
    assert [a.id for a in store.unfinished_attempts(sid + 1)] == []
    assert [s.id for s in store.sessions(("in_progress",))] == [sid]
    assert store.sessions(("completed",)) == []


def test_an_unreadable_stored_answer_is_a_store_error(store: Store) -> None:
    sid, _ = _session_with_an_unheard_answer(store)
    store.db.execute("UPDATE attempts SET delivery_json = '{\"wpm\": 1}' WHERE position = 1")
    with pytest.raises(StoreError, match=f"answer 1 of session {sid} has unreadable stored data"):
        store.attempts(sid)


def test_a_session_ended_before_any_answer_counts_none(store: Store, monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No microphone: the answer row exists but nothing was heard. Listings say 0 answers, `viva show` and the
    reports say why there are no figures, and none prints "None"."""
    sid = store.create_session("quick-3")
    aid = store.begin_attempt(sid, 1, QUESTION, QUESTION.text, None)
    store.set_attempt_status(aid, "no_audio")
    store.finish_session(sid, "cancelled")
    monkeypatch.setenv("VIVA_HOME", str(store.data_dir))
    config = ["--config", str(tmp_path / "no-config.toml")]

    assert main([*config, "sessions"]) == 0
    out = capsys.readouterr().out
    assert " 0 answer(s)" in out and "None" not in out
    assert main([*config, "sessions", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["attempts"] == 0
    assert main([*config, "show", str(sid)]) == 0
    out = capsys.readouterr().out
    assert "not analysed: not recorded" in out and "None" not in out and "wpm" not in out

    for report in (to_markdown(store, sid), to_html(store, sid, charts=False)):
        assert "Not analysed: not recorded" in report and "None" not in report and "wpm" not in report
    (row,) = csv.DictReader(io.StringIO(to_csv(store, sid)))
    assert row["status"] == "no_audio" and row["wpm"] == "" and row["transcript"] == ""
    (a,) = json.loads(to_json(store, sid))["attempts"]
    assert a["status"] == "no_audio" and a["transcript"] is None and a["delivery"] is None


def test_show_prints_the_stored_figures(store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    sid, analysis = _session_with_an_unheard_answer(store)
    monkeypatch.setenv("VIVA_HOME", str(store.data_dir))
    assert main(["--config", str(tmp_path / "no-config.toml"), "show", str(sid)]) == 0
    out = capsys.readouterr().out
    d = analysis.delivery
    assert f"{d.word_count} words, {d.wpm:.0f} wpm, {len(d.fillers)} fillers" in out
    assert "2. Why this team?\n   not analysed: no speech heard" in out
    assert "3. What would you change?\n   not analysed: not finished" in out
    assert "None" not in out
