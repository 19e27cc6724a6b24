"""How fast the transcript is ready after the user stops speaking, and what transcription costs.

    .venv/bin/python bench/speech_latency.py [--lengths 60 180] [--fast] [--models whisper-tiny.en whisper-base]

For each length, an answer is synthesised with espeak-ng and streamed at real-time pace through the same
recorder -> streaming transcription path the app uses. Printed: time from the stop to the full transcript,
the time to transcribe the same audio in one batch after the stop, and their ratio; then the batch real-time
factor of each model (plain Whisper and Viva's two-pass method), and peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import soundfile as sf  # noqa: E402

from app.audio import SAMPLE_RATE, load_audio  # noqa: E402
from app.modelstore import load_manifest, require  # noqa: E402
from app.practice import slices, transcribe_blocks  # noqa: E402
from app.recorder import FileRecorder  # noqa: E402
from app.speech.streaming import StreamingTranscription  # noqa: E402
from app.speech.transcribe import WhisperTranscriber  # noqa: E402
from bench.synth_speech import synth_answer  # noqa: E402


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lengths", type=float, nargs="+", default=[60.0, 180.0])
    ap.add_argument("--models", nargs="+", default=["whisper-tiny.en", "whisper-base"])
    ap.add_argument("--fast", action="store_true", help="feed as fast as possible (not a real-time figure)")
    args = ap.parse_args()
    tiny = WhisperTranscriber(require(load_manifest()["whisper-tiny.en"]))
    tiny.load()
    print(f"after loading tiny.en: max RSS {max_rss_mb():.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        clips = {}
        for length in args.lengths:
            audio, _ = synth_answer(random.Random(int(length)), length, Path(tmp), filler_rate=0.3)
            path = Path(tmp) / f"answer_{int(length)}.wav"
            sf.write(str(path), audio, SAMPLE_RATE, subtype="PCM_16")
            clips[length] = path
        print("\nstop -> full transcript (Viva's method, tiny.en, 2 threads)")
        print(f"{'answer':>8} {'streamed':>10} {'batch':>8} {'ratio':>6} {'segments':>8} {'words':>6}")
        for path in clips.values():
            stream = StreamingTranscription(tiny)
            FileRecorder(path, realtime=not args.fast).record(Path(tmp) / "rec.wav", threading.Event(),
                                                              on_block=stream.feed)
            t0 = time.perf_counter()
            t = stream.finish()
            streamed = time.perf_counter() - t0
            t0 = time.perf_counter()
            batch_t = transcribe_blocks(slices(load_audio(path)), tiny)
            batch = time.perf_counter() - t0
            print(f"{t.duration_s:>7.0f}s {streamed:>9.2f}s {batch:>7.2f}s {streamed / batch:>6.2f} "
                  f"{stream.segments:>8} {len(batch_t.words):>6}")
        print(f"max RSS so far {max_rss_mb():.0f} MB")
        path = clips[min(clips)]
        audio = load_audio(path)
        dur = len(audio) / SAMPLE_RATE
        print(f"\nbatch real-time factor on a {dur:.0f} s answer (seconds of compute per second of audio)")
        for name in args.models:
            for method in ("plain", "viva"):
                tr = WhisperTranscriber(require(load_manifest()[name]), method=method)
                tr.load()
                t0 = time.perf_counter()
                transcribe_blocks(slices(audio), tr)
                sec = time.perf_counter() - t0
                print(f"  {name:<16} {method:<6} {sec / dur:.3f}  ({sec:.1f} s)  max RSS {max_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
