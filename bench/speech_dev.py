"""Speech quality on recorded clips with verbatim references: plain Whisper, prompted Whisper and Viva.

    .venv/bin/python bench/speech_dev.py [FOLDER] [--model whisper-tiny.en]

FOLDER holds AUDIO + same-named .txt references (+ optional .words.tsv timings); default tests/data/speech.
Prints per clip and in total: filled-pause recall and precision, non-filler WER, and WPM against reference.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.audio import load_audio  # noqa: E402
from app.delivery.pace import wpm  # noqa: E402
from app.modelstore import load_manifest, require  # noqa: E402
from app.speech.streaming import StreamingTranscription  # noqa: E402
from app.speech.transcribe import METHODS, WhisperTranscriber  # noqa: E402
from bench.speecheval import Counts, compare, load_clips, reference_wpm  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, nargs="?", default=Path(__file__).parent.parent / "tests/data/speech")
    ap.add_argument("--model", default="whisper-tiny.en")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each hypothesis")
    ap.add_argument("--streamed", action="store_true", help="Viva's method through the VAD-segmented stream")
    args = ap.parse_args()
    model_dir = require(load_manifest()[args.model])
    clips = load_clips(args.folder)
    print(f"{len(clips)} clips from {args.folder}, model {args.model}")
    print(f"{'method':<9} {'clip':<34} {'fp ref':>6} {'fp hyp':>6} {'hit':>4} {'recall':>7} {'prec':>6} "
          f"{'WER':>6} {'wpm':>6} {'ref':>6} {'sec':>5}")
    for method in METHODS:
        tr = WhisperTranscriber(model_dir, method=method)
        tr.load()
        total = Counts()
        wpm_errors = []
        for clip in clips:
            audio = load_audio(clip.audio)
            t0 = time.perf_counter()
            if args.streamed and method == "viva":
                stream = StreamingTranscription(tr)
                for i in range(0, len(audio), 1600):
                    stream.feed(audio[i:i + 1600])
                t = stream.finish()
            else:
                t = tr.transcribe(audio)
            sec = time.perf_counter() - t0
            c = compare(clip.reference, [w.text for w in t.words])
            total = total.add(c)
            ref = reference_wpm(clip.timings) if clip.timings else None
            got = wpm(t.words)
            if ref and len(audio) / 16000 >= 10:
                wpm_errors.append(abs(got - ref) / ref)
            print(f"{method:<9} {clip.name:<34} {c.fp_ref:>6} {c.fp_hyp:>6} {c.fp_hit:>4} {c.recall:>7.2f} "
                  f"{c.precision:>6.2f} {c.wer:>6.3f} {got:>6.1f} {ref or 0:>6.1f} {sec:>5.2f}")
            if args.verbose:
                print("          ", t.text)
        worst = max(wpm_errors, default=0.0)
        print(f"{method:<9} {'TOTAL':<34} {total.fp_ref:>6} {total.fp_hyp:>6} {total.fp_hit:>4} "
              f"{total.recall:>7.2f} {total.precision:>6.2f} {total.wer:>6.3f}   worst wpm error (>=10 s, "
              f"with timings): {worst:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
