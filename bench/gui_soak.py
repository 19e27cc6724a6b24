"""A long interview in a real window: does the app stay up, and does its memory stay flat?

    .venv/bin/python bench/gui_soak.py [--minutes 30] [--fast] [--json] [ANSWER ...]

Runs the real app in a real X window (under `xvfb-run` when no DISPLAY is set) in a fresh data directory and
keeps interviewing for `--minutes`: "quick-3" sessions one after another, every question rendered by the real
TTS engine (playback skipped: no sound card needed), every answer streamed from a recording through the
microphone's path (the file-backed recorder, at real-time pace unless --fast), with the level meter painting and
the live transcript updating, then transcribed, scored, stored and reviewed on screen.

The window runs in a child process, so a crash of any kind (a Python fatal error, a segfault, an abort) is seen
and reported rather than taking the bench down with it. Printed: whether the child crashed (and how), sessions
and answers completed, peak RSS, RSS after the first answer and at the end, the growth per answer (the slope
of a least-squares line through RSS after each answer, skipping the first answers while caches warm up), and the
longest event-loop stall (the gap between ticks of a 10 ms timer on the GUI thread) during the interviews.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SPEECH = ROOT / "tests" / "data" / "speech"
DEFAULT_ANSWERS = [SPEECH / "mfa_cold_corpus.wav", SPEECH / "whisper_jfk.flac", SPEECH / "mfa_uhuh.flac",
                   SPEECH / "librispeech_1272-128104-0000.wav", SPEECH / "mfa_youknow.flac"]
WARM_UP_ANSWERS = 3  # not used for the growth slope: first-use allocations (models, fonts, caches)


def rss_mb() -> float:
    """Current resident set size of this process, in MB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def slope(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def child(args: argparse.Namespace, log_path: Path) -> int:
    """The window itself: interviews until the time is up, one JSON line per answer into `log_path`."""
    from PySide6.QtCore import Qt, QTimer

    from app.audio_io import AudioIO
    from app.player import ClockPlayer
    from app.recorder import FileRecorder
    from app.ui.app import application, create_main_window

    answers: list[Path] = args.answers
    count = {"answers": 0, "sessions": 0}

    def recorder(_q: object, _position: int, _take: int) -> FileRecorder:
        return FileRecorder(answers[count["answers"] % len(answers)], realtime=not args.fast)

    audio = AudioIO(recorder, lambda _path, _stop: None, ClockPlayer)
    app = application()
    window = create_main_window(None, audio=audio)
    c = window.controller
    deadline = time.monotonic() + args.minutes * 60
    log = log_path.open("a", encoding="utf-8")
    started = time.monotonic()
    # The event loop's longest stall: the largest gap between ticks of a 10 ms timer on the GUI thread.
    stall = {"last": time.perf_counter(), "longest": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        stall["longest"] = max(stall["longest"], now - stall["last"])
        stall["last"] = now

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(tick)

    def note(event: str, **extra: object) -> None:
        log.write(json.dumps({"event": event, "t_s": round(time.monotonic() - started, 1),
                              "rss_mb": round(rss_mb(), 1), **extra}) + "\n")
        log.flush()

    def new_session() -> None:
        if time.monotonic() >= deadline:
            window.close()
            return
        count["sessions"] += 1
        window.start_interview("quick-3")
        QTimer.singleShot(0, c.start_recording)

    def models_ready(ok: bool) -> None:
        note("models_ready", ok=ok)
        if not ok:
            window.close()
            return
        c.speak_questions = not args.no_tts
        stall["last"] = time.perf_counter()
        ticker.start()  # from here on: the interview, not the model load
        new_session()

    def answer_ready(_record: object) -> None:
        count["answers"] += 1
        d = c.latest()
        note("answer", n=count["answers"], session=count["sessions"],
             words=d.analysis.delivery.word_count if d is not None else -1,
             longest_stall_ms=round(stall["longest"] * 1000, 1))
        if c.position < c.total and time.monotonic() < deadline:
            c.next_question()
            QTimer.singleShot(0, c.start_recording)
        else:
            c.end()

    def answer_failed(message: str) -> None:
        note("answer_failed", message=message)
        c.end()

    def finished(_session_id: int) -> None:
        note("session", n=count["sessions"])
        QTimer.singleShot(0, new_session)

    window.models_ready.connect(models_ready)
    c.answer_ready.connect(answer_ready)
    c.answer_failed.connect(answer_failed)
    c.finished.connect(finished)
    window.show()
    status = app.exec()
    window.runner.shutdown()
    ticker.stop()
    note("exit", peak_rss_mb=round(peak_rss_mb(), 1), platform=app.platformName(),
         longest_stall_ms=round(stall["longest"] * 1000, 1))
    log.close()
    return int(status)


def describe_exit(code: int) -> str:
    if code == 0:
        return "none"
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("answers", nargs="*", type=Path, default=DEFAULT_ANSWERS, metavar="ANSWER",
                    help="recordings the answers are streamed from, in turn (default: tests/data/speech)")
    ap.add_argument("--minutes", type=float, default=30.0, help="how long to keep interviewing (default 30)")
    ap.add_argument("--fast", action="store_true", help="stream the answers as fast as possible")
    ap.add_argument("--no-tts", action="store_true", help="do not render the questions to speech")
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # internal: run the window, log here
    args = ap.parse_args()
    if args.child is not None:
        return child(args, args.child)

    work = Path(tempfile.mkdtemp(prefix="viva-soak-"))
    log_path = work / "soak.jsonl"
    env = dict(os.environ, VIVA_HOME=str(work / "home"))  # never touch the user's own sessions
    env.pop("QT_QPA_PLATFORM", None)  # a real window: xcb on Xvfb (or the user's display)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(log_path), "--minutes", str(args.minutes),
           *(["--fast"] if args.fast else []), *(["--no-tts"] if args.no_tts else []),
           *[str(a) for a in args.answers]]
    if not env.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            print("no DISPLAY and no xvfb-run: install xvfb (scripts/setup.sh does)", file=sys.stderr)
            return 2
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1440x900x24", *cmd]
    t0 = time.monotonic()
    code = subprocess.run(cmd, env=env, check=False).returncode
    wall = time.monotonic() - t0
    events = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()] \
        if log_path.exists() else []
    answers = [e for e in events if e["event"] == "answer"]
    exits = [e for e in events if e["event"] == "exit"]
    failures = [e for e in events if e["event"] == "answer_failed"]
    rss = [e["rss_mb"] for e in answers]
    tail = answers[WARM_UP_ANSWERS:]
    growth = slope([float(e["n"]) for e in tail], [e["rss_mb"] for e in tail])
    clean = code == 0 and bool(exits)
    result = {
        "minutes_requested": args.minutes, "wall_s": round(wall, 1),
        "crash": "none" if clean else (describe_exit(code) if code else "exited without finishing"),
        "sessions": sum(1 for e in events if e["event"] == "session"), "answers": len(answers),
        "answer_failures": len(failures),
        "peak_rss_mb": exits[0]["peak_rss_mb"] if exits else (max(rss) if rss else None),
        "rss_after_first_answer_mb": rss[0] if rss else None, "rss_at_end_mb": rss[-1] if rss else None,
        "rss_growth_per_answer_mb": round(growth, 3), "realtime": not args.fast,
        "longest_stall_ms": exits[0]["longest_stall_ms"] if exits else None,
        "platform": exits[0]["platform"] if exits else None, "log": str(log_path),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"soak: {result['wall_s'] / 60:.1f} min in a real window ({result['platform']}), "
              f"{'real-time' if not args.fast else 'fast'} answers")
        print(f"crashes: {result['crash']}")
        print(f"sessions completed: {result['sessions']}, answers: {result['answers']} "
              f"({result['answer_failures']} failed)")
        print(f"peak RSS: {result['peak_rss_mb']} MB; after the first answer {result['rss_after_first_answer_mb']} MB, "
              f"at the end {result['rss_at_end_mb']} MB")
        print(f"RSS growth per answer (after {WARM_UP_ANSWERS} warm-up answers): {growth:+.3f} MB")
        print(f"longest event-loop stall during the interviews: {result['longest_stall_ms']} ms")
        print(f"log: {log_path}")
    return 0 if clean and answers else 1


if __name__ == "__main__":
    sys.exit(main())
