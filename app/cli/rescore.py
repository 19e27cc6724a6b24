"""`viva rescore`: score stored answers again with another judge, keeping every earlier result beside the new one
(each with its model and prompt version), so a user who upgrades their judge can compare."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from app.cli.common import emit, progress_to_stderr, record_trust, services
from app.config import Config, check_endpoint_url
from app.domain import RUBRIC_FOR_KIND, Attempt, RubricResult
from app.errors import ConfigError
from app.modelstore import load_manifest
from app.scoring.llm import Judge, measured_trust, prompt_version, trust_for
from app.scoring.rubrics import default_rubrics
from app.scoring.scorer import score_answer
from app.scoring.selfcheck import self_check
from app.services import make_judge
from app.store import Store


def _url(value: str) -> str:
    try:
        return check_endpoint_url(value, "--endpoint")
    except ConfigError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_commands(sub: Any) -> None:
    p = sub.add_parser("rescore", help="score stored answers again with another model, keeping the old results",
                       description="Score the stored transcripts of a session's answers (or of all answers) again "
                       "with the configured judge or the one given here, against the same rubric and question. "
                       "Each new result is stored beside the earlier ones with its model and prompt version "
                       "(`viva show SESSION` lists them all; trends use the latest). A model without measured "
                       "trust for the current prompt is measured first with the self-check, and the figures are "
                       "saved in the data directory: a model's choices move verdicts only as far as its trust.")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--session", type=int, metavar="SESSION", help="re-score this session's answers")
    scope.add_argument("--all", action="store_true", help="re-score every stored answer")
    p.add_argument("--model", metavar="NAME|PATH.gguf",
                   help="the judge: a model name from models/manifest.json or the path of a .gguf file, run "
                   "in-process; with --endpoint, the model's name on that server (default: the configured judge)")
    p.add_argument("--endpoint", type=_url, metavar="URL",
                   help="judge with the model on this OpenAI-compatible server (like http://127.0.0.1:8080/v1); "
                   "the answers' transcripts are sent there, so use a host you own")
    p.add_argument("--no-calibrate", action="store_true",
                   help="do not measure a model that has no measured trust yet (its choices then change no verdict)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_rescore, parser=p)


def judge_config(cfg: Config, model: str | None, endpoint: str | None) -> Config:
    """The config with the judge the options name: --endpoint (and its --model), --model alone (in-process),
    or neither (the configured judge)."""
    if endpoint:
        same = cfg.judge_endpoint and check_endpoint_url(cfg.judge_endpoint) == endpoint
        return replace(cfg, judge_endpoint=endpoint,
                       judge_endpoint_model=model or (cfg.judge_endpoint_model if same else ""))
    if model:
        return replace(cfg, llm_model=model, judge_endpoint="")
    return cfg


def _rows(store: Store, session: int | None) -> list[Attempt]:
    if session is not None:
        store.session(session)  # an unknown session is a store error (exit 6)
        return store.attempts(session)
    return [a for s in sorted(store.sessions(), key=lambda s: s.id) for a in store.attempts(s.id)]


def _rubric_of(a: Attempt) -> str | None:
    """The rubric the answer was scored against (its latest result's), or its question kind's."""
    if a.latest:
        return a.latest.result.rubric
    return RUBRIC_FOR_KIND.get(a.kind or "")


def _summary(r: RubricResult | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"score": r.score, "model": r.model.get("name", ""), "prompt_version": r.prompt_version,
            "llm_calls": r.model.get("llm_calls")}


def _changes(old: RubricResult | None, new: RubricResult) -> list[dict[str, Any]]:
    before = {i.id: i.present for i in (old.items if old else ())}
    return [{"item": v.id, "was": before.get(v.id), "now": v.present} for v in new.items
            if before.get(v.id) != v.present]


def _line(d: dict[str, Any]) -> str:
    old, new = d["old"], d["new"]
    was = f"{old['score']} ({old['model']}, {old['prompt_version']})" if old else "no result"
    changed = ", ".join(f"{c['item']} now {'present' if c['now'] else 'missing'}" for c in d["changed"])
    q = d["question_text"] if len(d["question_text"]) <= 50 else d["question_text"][:49].rstrip() + "…"
    return (f"session {d['session_id']}, answer {d['position']} ({q}): {was} -> "
            f"{new['score']} ({new['model']}, {new['prompt_version']}); "
            + (f"changed: {changed}" if changed else "no item changed"))


def _mean_trust(judge: Judge) -> float:
    items = [(r.id, it.id) for r in default_rubrics().values() for it in r.items]
    return sum(trust_for(judge, r, i) for r, i in items) / len(items)


def cmd_rescore(args: argparse.Namespace) -> int:
    svc = services(args)
    if args.model and not args.endpoint and not args.model.endswith(".gguf") and args.model not in load_manifest():
        args.parser.error(f"--model {args.model!r} is neither a model in models/manifest.json nor a .gguf file "
                          "(to use a model on a server, give --endpoint too)")
    rows = _rows(svc.store, args.session)
    todo = [(a, rubric) for a in rows if a.analysed and a.transcript and a.transcript.words
            and (rubric := _rubric_of(a))]
    if not todo:
        emit({"model": None, "rescored": [], "skipped": len(rows)}, args.json,
             f"nothing to re-score: {len(rows)} answer(s) in scope, none analysed with a rubric")
        return 0
    judge = make_judge(judge_config(svc.config, args.model, args.endpoint), svc.home)
    judge.load()
    calibrated = False
    if not args.no_calibrate and not measured_trust(judge.name, judge.trust_file):
        progress_to_stderr(f"{judge.name} has no measured trust for prompt {prompt_version()}: measuring it on "
                           "the calibration set first, as `viva score --self-check --save-trust` does "
                           "(--no-calibrate skips this)")
        progress_to_stderr(record_trust(svc, self_check(judge)))
        calibrated = True
    trust = _mean_trust(judge)
    if trust == 0:
        progress_to_stderr(f"{judge.name} has no measured trust above 0, so its choices change no verdict: the new "
                           "results equal the transcript cues")
    done = []
    for a, rubric in todo:
        words = a.transcript.words if a.transcript else ()
        new = score_answer(rubric, a.question_text, words=words, judge=judge)
        svc.store.add_result(a.id, new)
        old = a.latest.result if a.latest else None
        d: dict[str, Any] = {"session_id": a.session_id, "attempt_id": a.id, "position": a.position,
                             "question_text": a.question_text, "old": _summary(old), "new": _summary(new),
                             "changed": _changes(old, new)}
        done.append(d)
        if not args.json:
            print(_line(d), flush=True)
    data = {"model": judge.name, "prompt_version": prompt_version(), "mean_trust": round(trust, 3),
            "calibrated": calibrated, "rescored": done, "skipped": len(rows) - len(todo)}
    sessions = sorted({d["session_id"] for d in done})
    emit(data, args.json, f"re-scored {len(done)} answer(s) with {judge.name}; `viva show "
         f"{sessions[0] if len(sessions) == 1 else 'SESSION'}` lists every result")
    return 0
