"""How soon words appear while the user speaks, how fast the transcript is ready after the stop, and what
transcription costs.

    .venv/bin/python bench/speech_latency.py [--lengths 60 180] [--answers 1] [--threads 2] [--rtf-seconds 60]
        [--repeats 5] [--live-only] [--speculate-after S] [--tail-split S] [--partial-every S]
        [--draft-duty X] [--serial]

For each length, `--answers` answers are synthesised with espeak-ng (each ends with a 0.3-0.9 s pause, then
the stop) and streamed at real-time pace through the same recorder -> streaming transcription path the app
uses, once with live words (draft decodes of the open segment, speculation) and once without (not with
`--live-only`). Printed per answer: the length of its last segment (what is left to transcribe at the stop
unless speculation did it), the partial-word cadence (the longest and the median wait between two updates of
the live words while speaking, counting the wait from the first word to the stop), the time from the stop to
the full transcript, and whether the two runs gave the same final words; then the median and longest stop ->
text over the answers. `--speculate-after`, `--tail-split`, `--partial-every` and `--draft-duty` try other
streaming and segmentation settings, `--serial` a segment's two passes one after the other.
Then the real-time factor of `viva analyze` (app.practice.analyze_file, no scoring) against plain
faster-whisper on the same audio: the two are run in turn (alternating which goes first) `--repeats` times,
and the median ratio is printed with its range, the encoder windows Viva ran and reused, and the load
average; then peak memory (max RSS). `--lengths` with no value skips the streaming part, `--repeats 0` the cost part.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import soundfile as sf  # noqa: E402

from app.audio import SAMPLE_RATE, load_audio  # noqa: E402
from app.domain import Word  # noqa: E402
from app.modelstore import load_manifest, require  # noqa: E402
from app.practice import analyze_file  # noqa: E402
from app.recorder import FileRecorder  # noqa: E402
from app.speech import segments, streaming  # noqa: E402
from app.speech.segments import cut_points  # noqa: E402
from app.speech.streaming import StreamingTranscription  # noqa: E402
from app.speech.transcribe import WhisperTranscriber  # noqa: E402
from bench.synth_speech import synth_answer  # noqa: E402


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream(path: Path, tr: WhisperTranscriber, live: bool,
           workdir: Path) -> tuple[list[float], float, tuple[Word, ...], str]:
    """Stream `path` at real-time pace: the times (s from the start) of each live-word update with new text,
    the stop -> transcript time, the final words, and how many segments/drafts/reused speculations."""
    updates: list[float] = []
    last_text = [""]
    t_start = time.perf_counter()

    def on_words(words: list[Word]) -> None:
        text = " ".join(w.text for w in words)
        if text != last_text[0]:
            last_text[0] = text
            updates.append(time.perf_counter() - t_start)

    s = StreamingTranscription(tr, on_words if live else None, partial_every_s=streaming.PARTIAL_EVERY_S)
    FileRecorder(path, realtime=True).record(workdir / "rec.wav", threading.Event(), on_block=s.feed)
    t0 = time.perf_counter()
    t = s.finish()
    return updates, time.perf_counter() - t0, t.words, f"{s.segments}/{s.drafts}/{s.reused}"


def plain_faster_whisper(tr: WhisperTranscriber, path: Path) -> float:
    """Seconds for plain faster-whisper (its own defaults, word times, its voice filter) on the file."""
    tr.load()
    model = tr._model  # the same loaded model, so only the decoding is compared
    t0 = time.perf_counter()
    segments, _ = model.transcribe(str(path), language="en", word_timestamps=True, vad_filter=True)
    list(segments)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lengths", type=float, nargs="*", default=[60.0, 180.0])
    ap.add_argument("--models", nargs="+", default=["whisper-tiny.en"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rtf-seconds", type=float, default=60.0)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--answers", type=int, default=1, help="answers (seeds) per length")
    ap.add_argument("--live-only", action="store_true", help="stream once, with live words (not also without)")
    ap.add_argument("--speculate-after", type=float, default=None,
                    help="try another streaming.SPECULATE_AFTER_S (trailing silence before the tail is speculated)")
    ap.add_argument("--tail-split", type=float, default=None,
                    help="try another segments.TAIL_SPLIT_S (0: the last segment is never cut at its last pause)")
    ap.add_argument("--partial-every", type=float, default=None,
                    help="try another streaming.PARTIAL_EVERY_S (new open-segment speech that earns a draft)")
    ap.add_argument("--draft-duty", type=float, default=None,
                    help="try another streaming.DRAFT_DUTY (a draft waits this many times the last one's cost)")
    ap.add_argument("--serial", action="store_true",
                    help="run a segment's two passes one after the other (WhisperTranscriber.parallel off)")
    args = ap.parse_args()
    if args.speculate_after is not None:
        streaming.SPECULATE_AFTER_S = args.speculate_after
    if args.tail_split is not None:
        segments.TAIL_SPLIT_S = args.tail_split or None
    if args.partial_every is not None:
        streaming.PARTIAL_EVERY_S = args.partial_every
    if args.draft_duty is not None:
        streaming.DRAFT_DUTY = args.draft_duty
    print(f"SPECULATE_AFTER_S {streaming.SPECULATE_AFTER_S}, TAIL_SPLIT_S {segments.TAIL_SPLIT_S}, "
          f"PARTIAL_EVERY_S {streaming.PARTIAL_EVERY_S}, DRAFT_DUTY {streaming.DRAFT_DUTY}, "
          f"passes {'serial' if args.serial else 'parallel'}")
    tiny = WhisperTranscriber(require(load_manifest()["whisper-tiny.en"]), cpu_threads=args.threads)
    tiny.parallel = not args.serial
    tiny.load()
    print(f"after loading tiny.en: max RSS {max_rss_mb():.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"\nlive words and stop -> full transcript (Viva's method, tiny.en, {args.threads} threads)")
        print(f"{'answer':>7} {'last seg':>8} {'live':>5} {'updates':>7} {'longest wait':>12} {'median':>7} "
              f"{'stop->text':>10} {'same words':>10} {'segments/drafts/reused':>22}")
        stops: dict[bool, list[float]] = {True: [], False: []}
        for length in args.lengths:
            for k in range(args.answers):
                seed = int(length) if k == 0 else int(length) * 1000 + k
                audio, _ = synth_answer(random.Random(seed), length, work, filler_rate=0.3)
                path = work / f"answer_{seed}.wav"
                sf.write(str(path), audio, SAMPLE_RATE, subtype="PCM_16")
                speech = [c.end for c in cut_points(audio) if c.speech]
                last = (speech[-1] - (speech[-2] if len(speech) > 1 else 0)) / SAMPLE_RATE if speech else 0.0
                results = {}
                for live in (True,) if args.live_only else (True, False):
                    results[live] = stream(path, tiny, live, work)
                for live, (updates, stop_s, _, counts) in results.items():
                    end = len(audio) / SAMPLE_RATE
                    marks = [u for u in updates if u <= end]
                    gaps = sorted(b - a for a, b in zip(marks, [*marks[1:], end], strict=True)) if marks else []
                    longest = f"{gaps[-1]:.1f} s" if gaps else "-"
                    median = f"{gaps[len(gaps) // 2]:.1f} s" if gaps else "-"
                    same = results[True][2] == results[False][2] if False in results else "-"
                    stops[live].append(stop_s)
                    print(f"{end:>6.0f}s {last:>7.1f}s {'on' if live else 'off':>5} {len(marks):>7} {longest:>12} "
                          f"{median:>7} {stop_s:>9.2f}s {str(same):>10} {counts:>22}   load "
                          f"{os.getloadavg()[0]:.2f}", flush=True)
        for live, values in stops.items():
            if len(values) > 1:
                print(f"stop -> text, live words {'on' if live else 'off'}: median {statistics.median(values):.2f} s, "
                      f"longest {max(values):.2f} s over {len(values)} answers")
        print(f"max RSS so far {max_rss_mb():.0f} MB")

        audio, _ = synth_answer(random.Random(7), args.rtf_seconds, work, filler_rate=0.3)
        path = work / "rtf.wav"
        sf.write(str(path), audio, SAMPLE_RATE, subtype="PCM_16")
        dur = len(load_audio(path)) / SAMPLE_RATE
        print(f"\nreal-time factor on a {dur:.0f} s answer (seconds of compute per second of audio), "
              f"{args.threads} threads")
        for name in args.models if args.repeats > 0 else []:
            tr = WhisperTranscriber(require(load_manifest()[name]), cpu_threads=args.threads)
            tr.parallel = not args.serial
            analyze_file(path, tr)  # warm up both paths once
            plain_faster_whisper(tr, path)
            plains, vivas, loads = [], [], []
            for i in range(args.repeats):
                loads.append(os.getloadavg()[0])
                for which in (("plain", "viva") if i % 2 == 0 else ("viva", "plain")):
                    if which == "plain":
                        plains.append(plain_faster_whisper(tr, path))
                    else:
                        before = tr._model.encoded, tr._model.reused
                        t0 = time.perf_counter()
                        analyze_file(path, tr)
                        vivas.append(time.perf_counter() - t0)
                        windows = tr._model.encoded - before[0], tr._model.reused - before[1]
            ratios = sorted(v / p for v, p in zip(vivas, plains, strict=True))
            print(f"  {name:<16} plain faster-whisper {statistics.median(plains) / dur:.3f}   viva analyze "
                  f"{statistics.median(vivas) / dur:.3f}   ratio {statistics.median(ratios):.2f}x "
                  f"[{ratios[0]:.2f}-{ratios[-1]:.2f}] over {args.repeats} interleaved runs   viva's encoder "
                  f"windows {windows[0]} run, {windows[1]} reused   load {min(loads):.2f}-{max(loads):.2f}   "
                  f"max RSS {max_rss_mb():.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
