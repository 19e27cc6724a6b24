"""`viva import`: recordings made elsewhere become the answers of a new session."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import emit, progress_to_stderr, services
from app.domain import KINDS, Question
from app.errors import BankError
from app.importing import ImportResult, import_recordings


def add_commands(sub: Any) -> None:
    p = sub.add_parser("import", help="analyse recordings made elsewhere and keep them as a new session",
                       description="Decode each FILE (wav, flac, mp3, m4a, ogg, webm or any other format FFmpeg "
                       "reads), keep it as a WAV in the data directory, transcribe it, measure delivery, score "
                       "it against the question's rubric, and store them all as the answers of one new session "
                       "titled 'import' (see `viva sessions`, `viva show`). Files that cannot be decoded are "
                       "skipped and ones without speech kept unscored; either gives exit code 4.")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="recordings, one answer each")
    q = p.add_mutually_exclusive_group()
    q.add_argument("--question", metavar="ID", help="question id from the bank that the answers reply to "
                   "(sets the kind)")
    q.add_argument("--question-text", metavar="TEXT", help="the question, when it is not in the bank")
    p.add_argument("--kind", choices=KINDS, help="rubric to score with (default: the question's kind; "
                   "none: delivery only)")
    p.add_argument("--no-llm", action="store_true", help="score with transcript cues only")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_import)


def _human(r: ImportResult) -> str:
    lines = []
    for i in r.items:
        if i.analysis is not None:
            d, rub = i.analysis.delivery, i.analysis.rubric
            score = f", structure {rub.score}/100" if rub else ""
            lines.append(f"{i.source.name}: answer {i.attempt_id}, {d.word_count} words, {d.wpm:.0f} wpm, "
                         f"{len(d.fillers)} fillers{score}")
        elif i.status == "no_speech":
            lines.append(f"{i.source.name}: answer {i.attempt_id}, no speech found, kept unscored")
        else:
            lines.append(f"{i.source.name}: not readable audio, skipped")
    if r.session_id is not None:
        lines.append(f"session {r.session_id}: `viva show {r.session_id}` for details")
    else:
        lines.append("nothing imported")
    return "\n".join(lines)


def cmd_import(args: argparse.Namespace) -> int:
    svc = services(args)
    question: Question | None = None
    if args.question:
        question = svc.bank.questions.get(args.question)
        if question is None:
            raise BankError(f"no question {args.question!r} in the bank; `viva bank list` shows them")
    text = question.text if question else (args.question_text or "")
    kind = args.kind or (question.kind if question else None)
    judge = None if args.no_llm or not kind else svc.judge
    result = import_recordings(args.files, svc.store, svc.transcriber, question=question, question_text=text,
                               kind=kind, judge=judge, targets=svc.config.targets, progress=progress_to_stderr)
    emit({"session_id": result.session_id, "imported": [i.to_dict() for i in result.items]}, args.json,
         _human(result))
    failed = [i for i in result.items if i.status != "analysed"]
    for i in failed:
        if i.status == "unreadable":
            progress_to_stderr(f"error: {i.error} (skipped)")
        else:
            progress_to_stderr(f"error: {i.source}: {i.error} (kept in the session, unscored)")
    return 4 if failed else 0
