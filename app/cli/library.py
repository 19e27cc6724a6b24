"""Commands over what Viva keeps: models, the question bank, sessions, trends and exports."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.bank import validate
from app.cli.common import emit, services
from app.domain import KINDS, Attempt
from app.errors import VivaError
from app.export import FORMATS, render_report, write_report
from app.modelstore import check, fix_hint, load_manifest
from app.paths import question_bank_dir


def add_commands(sub: Any) -> None:
    p = sub.add_parser("models", help="list the models in use, their source, size and checksum status",
                       description="List every model in models/manifest.json and any model file the config "
                       "names: which are in use (*), where they came from, their size, licence and whether "
                       "their files match the manifest's SHA-256. Exit code 3 when a model in use is missing "
                       "or corrupt.")
    p.add_argument("--full", action="store_true", help="re-hash every file instead of trusting earlier checks")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_models)

    bank = sub.add_parser("bank", help="question bank: validate, list",
                          description="Work with the question bank (questions, categories, presets and "
                          "rubrics, YAML files in question_bank/).").add_subparsers(
                              dest="bank_cmd", metavar="SUBCOMMAND", title="subcommands", required=True)
    p = bank.add_parser("validate", help="report every problem in a question bank, with file and line",
                        description="Check a question bank directory and print each problem as FILE:LINE: "
                        "message. Exit code 5 when there is any.")
    p.add_argument("path", type=Path, nargs="?", help="bank directory (default: the bundled bank)")
    p.set_defaults(func=cmd_bank_validate)
    p = bank.add_parser("list", help="list questions, optionally filtered",
                        description="List the bank's questions (id, category, kind, text), or its presets.")
    p.add_argument("--category", help="only questions of this category")
    p.add_argument("--kind", choices=KINDS, help="only questions of this kind")
    p.add_argument("--presets", action="store_true", help="list presets instead of questions")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_bank_list)

    p = sub.add_parser("sessions", help="list stored sessions",
                       description="List every stored session, newest first: when, status, analysed answers, "
                       "their average pace and its preset or title (imported recordings are titled 'import').")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_sessions)
    p = sub.add_parser("show", help="show one session with its attempts",
                       description="Show a session's answers: question, delivery figures, structure score "
                       "(every stored result, latest first, with its model and prompt version: `viva rescore` "
                       "adds results) and transcript; an answer that was never analysed says why (no speech "
                       "heard, not recorded, ...).")
    p.add_argument("session", type=int, metavar="SESSION", help="session id (see `viva sessions`)")
    p.add_argument("--json", action="store_true", help="print JSON (with every word, filler and rubric result)")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("trends", help="pace, fillers, pauses and rubric coverage over time",
                       description="One line per analysed answer, oldest first; --plot also draws the trend "
                       "charts (pace with its target band, fillers, longest pause, rubric coverage per item).")
    p.add_argument("--category", help="only answers to questions of this category")
    p.add_argument("--plot", type=Path, metavar="FILE.png", help="also write the trend charts to this PNG file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_trends)
    p = sub.add_parser("recover", help="analyse and store answers from sessions that were interrupted",
                       description="Finds sessions that stopped mid-answer (crash, kill, power cut), repairs "
                       "their recordings, then transcribes, scores and stores them like any other answer.")
    p.add_argument("--no-llm", action="store_true", help="score with transcript cues only")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_recover)
    p = sub.add_parser("export", help="export a session as Markdown, HTML, CSV or JSON",
                       description="Write a session report: Markdown or HTML (transcripts with fillers marked, "
                       "rubric evidence, delivery figures and the trend charts: embedded in the HTML file, a PNG "
                       "beside a Markdown file written with -o), CSV (one row per answer with every metric) or "
                       "JSON (everything stored).")
    p.add_argument("session", type=int, metavar="SESSION", help="session id (see `viva sessions`)")
    p.add_argument("--format", choices=sorted(FORMATS), required=True, help="report format")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_export)


def cmd_models(args: argparse.Namespace) -> int:
    svc = services(args)
    rows: list[dict[str, Any]] = []
    cfg = svc.config
    in_use = {cfg.whisper_model} | ({cfg.llm_model} if not cfg.judge_endpoint else set())
    for e in load_manifest().values():
        rows.append({"name": e.name, "kind": e.kind, "in_use": e.name in in_use, "source": list(e.packages),
                     "path": str(e.primary_path()), "size_bytes": e.size, "licence": e.licence,
                     "status": check(e, full=args.full)})
    for name in in_use - {r["name"] for r in rows}:
        path = Path(name).expanduser()
        rows.append({"name": name, "kind": "llm" if path.suffix == ".gguf" else "whisper", "in_use": True,
                     "source": ["user file"], "path": str(path),
                     "size_bytes": path.stat().st_size if path.is_file() else None,
                     "licence": "", "status": "ok (not checksummed)" if path.exists() else "missing"})
    if cfg.judge_endpoint:  # the judge runs on the user's server instead of llm_model; not contacted here
        rows.append({"name": cfg.judge_endpoint_model or "(server's first)", "kind": "llm", "in_use": True,
                     "source": [cfg.judge_endpoint], "path": cfg.judge_endpoint, "size_bytes": None, "licence": "",
                     "status": "ok (remote)"})
    human = "\n".join(
        f"{'*' if r['in_use'] else ' '} {r['name']:<24} {r['kind']:<8} {(r['size_bytes'] or 0) / 1e6:7.1f} MB  "
        f"{r['status']:<10} from {', '.join(r['source'])}" for r in rows)
    emit(rows, args.json, human + "\n(* = in use)")
    bad = [r for r in rows if r["in_use"] and not str(r["status"]).startswith("ok")]
    for r in bad:
        print(f"viva: error: model {r['name']} is {r['status']}: {fix_hint()}", file=sys.stderr)
    return 3 if bad else 0


def cmd_bank_validate(args: argparse.Namespace) -> int:
    root = args.path or question_bank_dir()
    if not root.is_dir():
        raise VivaError(f"{root}: not a question bank directory")
    bank, problems = validate(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 5
    print(f"{root}: ok - {len(bank.questions)} questions, {len(bank.categories)} categories, "
          f"{len(bank.presets)} presets")
    return 0


def cmd_bank_list(args: argparse.Namespace) -> int:
    bank = services(args).bank
    if args.presets:
        rows = [{"id": p.id, "name": p.name, "description": p.description,
                 "slots": [asdict(s) for s in p.slots]} for p in bank.presets.values()]
        emit(rows, args.json, "\n".join(f"{p['id']:<22} {p['name']}" for p in rows))
        return 0
    if args.category and args.category not in bank.categories:
        raise VivaError(f"unknown category {args.category!r}; known: {', '.join(bank.categories)}")
    qs = bank.filter(args.category, args.kind)
    emit([asdict(q) for q in qs], args.json,
         "\n".join(f"{q.id:<28} {q.category:<20} {q.kind:<10} {q.text}" for q in qs))
    return 0


def cmd_sessions(args: argparse.Namespace) -> int:
    rows = services(args).store.sessions()
    emit([r.to_dict() for r in rows], args.json, "\n".join(
        f"{r.id:>5}  {r.started_at}  {r.status:<11} {r.answers:>2} answer(s)  "
        f"{_number(r.avg_wpm, 5)} wpm  {r.name}" for r in rows) or "no sessions yet")
    return 0


def _number(value: float | None, width: int) -> str:
    """A figure right-aligned in `width`; "-" when nothing was measured."""
    return f"{value:{width}.0f}" if value is not None else "-".rjust(width)


def _attempt_lines(a: Attempt) -> list[str]:
    lines = [f"\n{a.position}. {a.question_text}"]
    if not a.analysed or a.delivery is None:
        return [*lines, f"   not analysed: {a.outcome}"]
    d, latest = a.delivery, a.latest
    lines.append(f"   {d.word_count} words, {d.wpm:.0f} wpm, {len(d.fillers)} fillers, longest pause "
                 f"{d.longest_pause_s:.1f} s, structure {latest.result.score if latest else '-'}")
    if a.results:
        lines.append("   structure results, latest first:")
        lines += [f"     {r.result.score:>3}/100  {r.result.model.get('name', '')}  {r.result.prompt_version}  "
                  f"{r.created_at}" for r in reversed(a.results)]
    lines.append(f'   "{a.text}"')
    return lines


def cmd_show(args: argparse.Namespace) -> int:
    store = services(args).store
    session = store.session(args.session)
    attempts = store.attempts(args.session)
    lines = [f"Session {session.id} ({session.name}), {session.started_at}, {session.status}"]
    for a in attempts:
        lines += _attempt_lines(a)
    emit({"session": session.to_dict(), "attempts": [a.to_dict() for a in attempts]}, args.json, "\n".join(lines))
    return 0


def cmd_trends(args: argparse.Namespace) -> int:
    svc = services(args)
    points = svc.store.trend(args.category)
    if args.plot:
        from app.charts import write_png

        size = write_png(args.plot, points, svc.config.targets)
        print(f"viva: wrote the trend charts to {args.plot} ({size // 1024} KB)", file=sys.stderr)
    emit([asdict(p) for p in points], args.json, "\n".join(
        f"{p.created_at}  {p.category or '-':<20} {p.wpm or 0:5.0f} wpm  {p.fillers_per_100 or 0:4.1f} fillers/100  "
        f"score {p.score if p.score is not None else '-'}{' (a follow-up: delivery only)' if p.follow_up else ''}"
        for p in points) or "no analysed answers yet")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    svc = services(args)
    try:
        if args.output:
            write_report(svc.store, args.session, args.output, args.format, svc.config.targets)
        else:
            sys.stdout.write(render_report(svc.store, args.session, args.format, svc.config.targets))
    except BrokenPipeError:
        raise
    except OSError as e:
        raise VivaError(f"cannot write {e.filename or args.output}: {e.strerror}") from None
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from app.recovery import recover

    svc = services(args)
    done = recover(svc.store, svc.transcriber, None if args.no_llm else svc.judge, svc.config.targets,
                   progress=lambda m: print(f"viva: {m}", file=sys.stderr))
    emit([asdict(r) for r in done], args.json, "\n".join(
        f"session {r.session_id}: answer {r.attempt_id} {r.status} ({r.audio_s:.1f} s of audio)" for r in done)
        or "nothing to recover")
    return 0


def notify_interrupted(args: argparse.Namespace) -> None:
    """One line on stderr when an interrupted session is waiting to be recovered."""
    from app.recovery import interrupted_sessions

    found = interrupted_sessions(services(args).store)
    if found:
        print(f"viva: {len(found)} interrupted session(s) found; run `viva recover` to analyse what was "
              "recorded", file=sys.stderr)
