"""How fast the desktop window is up, and how much memory a 3-question interview in it takes.

    .venv/bin/python bench/ui_launch.py [--fast] [--no-tts] [--json] [ANSWER ...]

Starts the real app (offscreen unless a DISPLAY is set) in a fresh data directory, and prints the time from
process start to the window being shown and answering events, then to the models being warm. Then it runs
the "quick-3" preset through the window's own interview controller: each question rendered by the real TTS
engine (playback is skipped: no sound card needed), each answer streamed from a recording through the
microphone's path (FileRecorder; real time unless --fast), transcribed, scored and stored. Printed per answer:
the time from the end of the recording to its review; then peak memory (max RSS).
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # before Qt or the models are imported: launch time counts everything

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SPEECH = ROOT / "tests" / "data" / "speech"
DEFAULT_ANSWERS = [SPEECH / "whisper_jfk.flac", SPEECH / "mfa_youknow.flac", SPEECH / "mfa_uhuh.flac"]


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("answers", nargs="*", type=Path, default=DEFAULT_ANSWERS, metavar="ANSWER",
                    help="recordings answering questions 1-3 (default: three from tests/data/speech)")
    ap.add_argument("--fast", action="store_true", help="stream the answers as fast as possible")
    ap.add_argument("--no-tts", action="store_true", help="do not render the questions to speech")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args()
    if len(args.answers) != 3:
        ap.error("give three answer recordings (one per question)")
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="viva-bench-")
    os.environ["VIVA_HOME"] = home  # never touch the user's own sessions

    from PySide6.QtCore import QTimer

    from app.audio_io import AudioIO
    from app.player import ClockPlayer
    from app.recorder import FileRecorder
    from app.ui.app import application, create_main_window

    audio = AudioIO(lambda _q, position, _take: FileRecorder(args.answers[position - 1], realtime=not args.fast),
                    lambda _path, _stop: None, ClockPlayer)
    app = application()
    window = create_main_window(None, audio=audio)
    marks: dict[str, float] = {}
    answers: list[dict[str, float | int]] = []
    ended: dict[int, float] = {}
    c = window.controller

    def shown() -> None:
        marks["shown"] = time.perf_counter() - T0
        marks["rss_at_shown"] = max_rss_mb()

    def models_ready(ok: bool) -> None:
        marks["models_ready"] = time.perf_counter() - T0
        if not ok:
            print(f"models failed to load: {window.banner.text()}", file=sys.stderr)
            app.quit()
            return
        c.speak_questions = not args.no_tts
        marks["session_start"] = time.perf_counter()
        window.start_interview("quick-3")
        QTimer.singleShot(0, c.start_recording)

    def recording_ended() -> None:
        ended[c.position] = time.perf_counter()

    def answer_ready(record: object) -> None:
        d = c.latest()
        assert d is not None
        answers.append({"question": c.position, "words": d.analysis.delivery.word_count,
                        "stop_to_review_s": round(time.perf_counter() - ended[c.position], 3),
                        "score": -1 if d.score is None else d.score})
        if c.position < c.total:
            c.next_question()
            QTimer.singleShot(0, c.start_recording)
        else:
            c.end()

    def finished(_session_id: int) -> None:
        marks["session_s"] = time.perf_counter() - marks["session_start"]
        window.close()

    window.models_ready.connect(models_ready)
    c.recording_ended.connect(recording_ended)
    c.answer_ready.connect(answer_ready)
    c.answer_failed.connect(lambda message: (print(f"answer failed: {message}", file=sys.stderr), app.quit()))
    c.finished.connect(finished)
    window.show()
    QTimer.singleShot(0, shown)  # runs once the event loop turns after show: the window is live
    app.exec()
    window.runner.shutdown()

    result = {"launch_to_window_s": round(marks.get("shown", -1), 3),
              "rss_at_window_mb": round(marks.get("rss_at_shown", 0), 1),
              "launch_to_models_ready_s": round(marks.get("models_ready", -1), 3),
              "session_s": round(marks.get("session_s", -1), 2), "answers": answers,
              "peak_rss_mb": round(max_rss_mb(), 1), "realtime": not args.fast, "tts": not args.no_tts,
              "platform": app.platformName()}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"launch to window shown: {result['launch_to_window_s']:.2f} s "
              f"(RSS {result['rss_at_window_mb']:.0f} MB, platform {result['platform']})")
        print(f"launch to models warm:  {result['launch_to_models_ready_s']:.2f} s")
        for a in answers:
            print(f"  answer {a['question']}: {a['words']} words, review {a['stop_to_review_s']:.2f} s after the "
                  f"recording ended, score {a['score']}")
        print(f"3-question session: {result['session_s']:.1f} s ({'real time' if not args.fast else 'fast'})")
        print(f"peak memory (max RSS): {result['peak_rss_mb']:.0f} MB")
    return 0 if len(answers) == 3 else 1


if __name__ == "__main__":
    sys.exit(main())
