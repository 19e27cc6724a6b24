"""Commands that work on answers: analyze, score, practice (with its headless interview loop, `run_session`,
over the session use case)."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.cli.common import emit, progress_to_stderr, record_trust, services
from app.config import Targets
from app.domain import KINDS, RUBRIC_FOR_KIND, Analysis, Question
from app.errors import BankError, NoSpeechError, VivaError
from app.importing import answer_from_file
from app.practice import Progress, analyze_file
from app.recorder import FileRecorder, MicRecorder, Recorder
from app.scoring.coverage import coverage
from app.scoring.llm import Judge
from app.scoring.scorer import follow_up, score_answer
from app.scoring.selfcheck import SelfCheck, self_check
from app.scoring.sentences import from_text
from app.services import user_trust_file
from app.session import AnswerDiscarded, AnswerModels, PracticeSession, SessionSummary
from app.speech.transcribe import Transcriber
from app.store import Store
from app.tts import Speaker, play


def add_commands(sub: Any) -> None:
    p = sub.add_parser("analyze", help="transcribe an audio file, measure delivery and (optionally) score it",
                       description="Transcribe AUDIO (any common format) with Whisper, measure fillers, pace and "
                       "pauses, and score structure when a question or kind is given.")
    p.add_argument("audio", type=Path, metavar="AUDIO", help="the recording (wav, flac, mp3, m4a, ogg, webm, ...)")
    q = p.add_mutually_exclusive_group()
    q.add_argument("--question", metavar="ID", help="question id from the bank (sets the kind)")
    q.add_argument("--question-text", metavar="TEXT", help="the question, when it is not in the bank")
    p.add_argument("--kind", choices=KINDS, help="rubric to score with (behavioral=STAR, design, technical)")
    p.add_argument("--save", action="store_true", help="store the result as an attempt in a new session")
    p.add_argument("--no-llm", action="store_true", help="score with transcript cues only")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("score", help="score a written answer against a rubric",
                       description="Score a written answer (STAR, design checklist or concept rubric), or with "
                       "--self-check report how well the configured model agrees with Viva's calibration set.")
    p.add_argument("--kind", choices=KINDS, help="rubric to score with (behavioral=STAR, design, technical)")
    q = p.add_mutually_exclusive_group()
    q.add_argument("--question-text", metavar="TEXT", help="the question, when it is not in the bank")
    q.add_argument("--question", metavar="ID", help="question id from the bank (sets the kind and adds "
                   "talking-point coverage)")
    a = p.add_mutually_exclusive_group()
    a.add_argument("--answer-file", type=Path, metavar="FILE", help="read the answer from FILE (UTF-8 text)")
    a.add_argument("--answer-text", metavar="TEXT", help="the answer itself")
    p.add_argument("--self-check", action="store_true",
                   help="run the configured model over the built-in calibration set and report its agreement")
    p.add_argument("--save-trust", action="store_true",
                   help="with --self-check: record the measured trust for the model in judge_trust.yaml in the "
                   "data directory, so its choices get that say in verdicts (for models Viva does not ship)")
    p.add_argument("--no-llm", action="store_true", help="score with transcript cues only")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("practice", help="run a whole mock interview headless",
                       description="Ask each question of a preset aloud, record the answers (microphone, or the "
                       "given WAVs streamed at real-time pace), analyse and store everything.")
    p.add_argument("--preset", required=True, metavar="NAME", help="interview preset (`viva bank list --presets`)")
    p.add_argument("--input-wav", type=Path, nargs="+", metavar="FILE",
                   help="answers from these files, in order, instead of the microphone")
    p.add_argument("--speak-to", type=Path, metavar="DIR", help="write the spoken questions to DIR, don't play")
    p.add_argument("--no-tts", action="store_true", help="do not speak the questions")
    p.add_argument("--fast", action="store_true", help="stream --input-wav files as fast as possible")
    p.add_argument("--seed", type=int, help="seed for question choice (repeatable sessions)")
    p.add_argument("--no-llm", action="store_true", help="score with transcript cues only")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_practice)


def _question(svc: Any, args: argparse.Namespace) -> tuple[Question | None, str, str | None]:
    if args.question:
        q = svc.bank.questions.get(args.question)
        if q is None:
            raise BankError(f"no question {args.question!r} in the bank; `viva bank list` shows them")
        return q, q.text, args.kind or q.kind
    return None, args.question_text or "", args.kind


def _analysis_text(a: Analysis, follow: str | None) -> str:
    d = a.delivery
    lines = [f"Transcript: {a.transcript.text}", "",
             f"Pace: {d.wpm:.0f} wpm (articulation {d.articulation_wpm:.0f}); "
             f"fillers: {len(d.fillers)} ({d.fillers_per_100_words:.1f}/100 words); "
             f"longest pause {d.longest_pause_s:.1f} s"]
    if a.rubric:
        lines.append(f"Structure ({a.rubric.rubric}): {a.rubric.score}/100")
        for it in a.rubric.items:
            ev = f' - "{it.evidence[0].text}"' if it.evidence else f" - {it.advice}"
            lines.append(f"  [{'x' if it.present else ' '}] {it.id}{ev}")
        if follow:
            lines.append(f"Follow-up: {follow}")
    return "\n".join(lines)


def cmd_analyze(args: argparse.Namespace) -> int:
    svc = services(args)
    question, text, kind = _question(svc, args)
    judge = None if args.no_llm else (svc.judge if kind else None)
    models = AnswerModels(svc.transcriber, judge, svc.config.targets)
    if args.save:
        # Decoded once, into the stored WAV, and that WAV analysed: what is kept is what was measured.
        with PracticeSession(svc.store, title=f"analyze {args.audio.name}", keep_empty=False) as session:
            take = answer_from_file(session, 1, args.audio, models, question=question, question_text=text,
                                    kind=kind)
        a = take.analysis
    else:
        a = analyze_file(args.audio, svc.transcriber, kind=kind, question_text=text, judge=judge,
                         targets=svc.config.targets)
    data = a.to_dict()
    follow = follow_up(a.rubric) if a.rubric else None
    data["follow_up"] = follow
    if args.save:
        data["attempt_id"], data["session_id"] = take.attempt_id, session.session_id
    emit(data, args.json, _analysis_text(a, follow))
    return 0


def _self_check_text(r: SelfCheck) -> str:
    who = "no model (cues only)" if r.model == "none" else f"{r.model} ({r.prompt_version})"
    lines = [f"Self-check of {who} on Viva's calibration set, {r.seconds:.0f} s.",
             "Balanced accuracy (0.5 = chance, 1.0 = agrees with every label):"]
    for g in r.rubrics:
        llm = "-" if g.llm is None else f"{g.llm:.2f}"
        lines.append(f"  {g.rubric:8} model alone {llm:>5}   scorer with the model {g.combined:.2f}   "
                     f"cues alone {g.cues:.2f}   ({g.answers} answers)")
    trust = r.trust
    if trust and not any(trust.values()):
        lines.append("The model alone is no better than chance here, so it gets no say in the verdicts; evidence "
                     "comes from the answer's own sentences.")
    elif trust:
        said = ", ".join(f"{k} {v:.2f}" for k, v in trust.items() if v > 0)
        lines.append(f"Measured trust (how far its choice may move a borderline verdict): {said}; 0 on the other "
                     "items. Evidence always comes from the answer's own sentences.")
    return "\n".join(lines)


def cmd_score(args: argparse.Namespace) -> int:
    svc = services(args)
    judge = None if args.no_llm else svc.judge
    if args.save_trust and not (args.self_check and judge is not None):
        raise VivaError("--save-trust goes with --self-check (and a model: not with --no-llm)")
    if args.self_check:
        report = self_check(judge)
        data = report.to_dict()
        text = _self_check_text(report)
        if args.save_trust:
            text += "\n" + record_trust(svc, report)
            data["saved_to"] = str(user_trust_file(svc.home))
        emit(data, args.json, text)
        return 0
    question, text, kind = _question(svc, args)
    if kind is None or not (question or text):
        raise VivaError("give --kind and --question-text, or --question ID (or use --self-check)")
    if args.answer_file:
        try:
            answer = args.answer_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise VivaError(f"cannot read answer file {args.answer_file}: {e}") from None
    elif args.answer_text is not None:
        answer = args.answer_text
    else:
        raise VivaError("give the answer with --answer-text TEXT or --answer-file FILE")
    if not answer.strip():
        raise VivaError("the answer is empty")
    r = score_answer(RUBRIC_FOR_KIND[kind], text, text=answer, judge=judge)
    data = r.to_dict()
    data["follow_up"] = follow_up(r, judge=judge, question=text)
    human = [f"{r.rubric}: {r.score}/100"] + [
        f"  [{'x' if i.present else ' '}] {i.id}" + (f' - "{i.evidence[0].text}"' if i.evidence else f" - {i.advice}")
        for i in r.items]
    if question is not None and question.talking_points:
        points = coverage(question.talking_points, from_text(answer))
        data["coverage"] = [c.to_dict() for c in points]
        human.append(f"Talking points covered: {sum(c.covered for c in points)}/{len(points)}")
        human += [f"  [{'x' if c.covered else ' '}] {c.point}" for c in points]
    if data["follow_up"]:
        human.append(f"Follow-up: {data['follow_up']}")
    emit(data, args.json, "\n".join(human))
    return 0


def cmd_practice(args: argparse.Namespace) -> int:
    import random

    svc = services(args)
    questions = svc.bank.pick(args.preset, random.Random(args.seed))
    recorders: list[Recorder]
    if args.input_wav:
        if len(args.input_wav) < len(questions):
            progress_to_stderr(f"{len(questions)} questions but {len(args.input_wav)} answer file(s): "
                               f"only the first {len(args.input_wav)} will be asked")
        recorders = [FileRecorder(p, realtime=not args.fast) for p in args.input_wav]
    else:
        MicRecorder.check(svc.config.input_device)
        recorders = [MicRecorder(svc.config.input_device) for _ in questions]
    speaker = None if args.no_tts else svc.speaker
    player = None
    if speaker is not None and args.speak_to is None:
        def player(p: Path) -> None:
            play(p, svc.config.output_device)
    comps = SessionComponents(svc.store, svc.transcriber, None if args.no_llm else svc.judge, speaker, player,
                              svc.config.targets)
    summary = run_session(comps, questions[:len(recorders)], recorders, preset=args.preset,
                          prompts_dir=args.speak_to, progress=progress_to_stderr)
    sid, answered = summary.session_id, summary.answered
    emit({"session_id": sid, "attempts": answered, "status": summary.status}, args.json,
         f"session {sid}: {answered} answer(s) stored; `viva show {sid}` for details")
    return 0 if answered or not questions else 1


@dataclass(frozen=True)
class SessionComponents:
    """What a headless interview (`viva practice`) is built from."""

    store: Store
    transcriber: Transcriber
    judge: Judge | None
    speaker: Speaker | None
    play: Callable[[Path], None] | None  # plays a rendered question; None: questions go to files only
    targets: Targets | None = None

    @property
    def models(self) -> AnswerModels:
        return AnswerModels(self.transcriber, self.judge, self.targets)


def speak_question(c: SessionComponents, q: Question, dest: Path) -> Path | None:
    """Render the question to `dest` and play it (when a player is configured). None without a speaker."""
    if c.speaker is None:
        return None
    c.speaker.render(q.text, dest)
    if c.play is not None:
        c.play(dest)
    return dest


def run_session(c: SessionComponents, questions: Sequence[Question], recorders: Sequence[Recorder], *,
                preset: str | None, prompts_dir: Path | None = None, progress: Progress = progress_to_stderr,
                cancel: threading.Event | None = None) -> SessionSummary:
    """Ask each question (spoken), record its answer from its recorder, analyse and store it. Setting `cancel`
    ends the session: an answer being recorded is stopped and not kept."""
    session = PracticeSession(c.store, questions, preset=preset, title=preset or "practice", cancel=cancel)
    with session:
        for position, (q, rec) in enumerate(zip(questions, recorders, strict=False), start=1):
            if session.cancelled.is_set():
                break
            session.ask(position)
            progress(f"question {position}/{len(questions)}: {q.text}")
            folder = prompts_dir or c.store.audio_dir / f"session-{session.session_id:05d}"
            speak_question(c, q, folder / f"q{position:02d}-question.wav")
            progress(f"recording answer {position}")
            try:
                take = session.record(position, rec, c.models, session.cancelled, progress=progress)
            except NoSpeechError as e:
                progress(f"answer {position}: {e}")
                continue
            except AnswerDiscarded:
                break
            d, rubric = take.analysis.delivery, take.analysis.rubric
            progress(f"answer {position}: {d.word_count} words, {d.wpm:.0f} wpm, "
                     f"score {rubric.score if rubric else '-'}")
        return session.finish()
