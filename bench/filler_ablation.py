"""Which filled-pause rules earn their place: every rule on and off, on every speech set the project has.

    .venv/bin/python bench/filler_ablation.py [--model whisper-tiny.en] [--cache /tmp/viva-ablation]
        [--clips 8] [--seconds 25] [--threads 1] [--boot 1000] [--min-segment S] [--tail-split S]

Sets: the recorded clips (tests/data/speech, the same files as ../shared/data/speech-dev, with their verbatim
references), and espeak-ng answers made by bench/synth_speech.py: several voices and rates; disfluent
(fillers in a row, fused fillers, stretched words, cut-off words and restarts, the pronoun 'er); and the same
in room noise. Each clip is cut exactly as the app cuts it (app.speech.segments) and each Whisper pass of each
segment is decoded once and cached, so the rules (app.speech.recipes.Recipe) are tried on the same decodes.

Printed per set and recipe: filled-pause recall, precision and non-filler WER, each with a bootstrap 95%
interval over clips; the placement error of the fillers found (clips with word timings: median, 95th
percentile, share within 0.3 s); and the worst WPM error against the reference timings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from app.audio import SAMPLE_RATE, load_audio  # noqa: E402
from app.delivery.pace import wpm  # noqa: E402
from app.domain import Word  # noqa: E402
from app.modelstore import load_manifest, require  # noqa: E402
from app.speech import segments  # noqa: E402
from app.speech.recipes import LISTED, PLAIN, RECIPES, SENTENCE, Decode, Pass, Recipe  # noqa: E402
from app.speech.segments import cut_points  # noqa: E402
from app.speech.transcribe import WhisperTranscriber  # noqa: E402
from bench.speecheval import Clip, Counts, compare, filler_offsets, load_clips, reference_wpm  # noqa: E402
from bench.synth_speech import VOICES, synth_answer_timed, write_clip  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SYNTH_SETS = {  # name -> (seed, variations)
    "synth-voices": (11, ()),
    "synth-disfluent": (12, ("runs", "fused", "stretched", "restarts", "pronoun")),
    "synth-noisy": (13, ("runs", "fused", "restarts", "noise")),
}
BASES = {
    "list prompt": (LISTED, None),
    "sentence prompt": (SENTENCE, None),
    "merge plain+sentence": (PLAIN, SENTENCE),
    "merge plain+list": (PLAIN, LISTED),
    "merge plain+sentence(beam 5)": (PLAIN, replace(SENTENCE, beam=5)),
    "merge plain(beam 1)+sentence": (replace(PLAIN, beam=1), SENTENCE),
    # the two passes fed the same samples, so that they share one encoder run: the sentence pass through the
    # plain pass's voice filter, or both without it
    "merge plain+sentence(vad)": (PLAIN, replace(SENTENCE, vad=True)),
    "merge plain(no vad)+sentence": (replace(PLAIN, vad=False), SENTENCE),
    # the sentence pass decoding a further window for the last half second after its last word (Viva skips it)
    "merge plain+sentence(all tails)": (PLAIN, replace(SENTENCE, min_tail_s=None)),
}
RULES = {  # name -> (voicing, loops, place, collapse)
    "no rules": (False, False, False, False),
    "loops": (False, True, False, False),
    "loops+voicing": (True, True, False, False),
    "loops+place": (False, True, True, False),
    "loops+place+collapse": (False, True, True, True),
    "loops+voicing+place": (True, True, True, False),
    "loops+voicing+place+collapse": (True, True, True, True),
}
VARIANTS: dict[str, Recipe] = {"plain": Recipe(PLAIN)} | {
    f"{b}, {r}": Recipe(words, fillers, voicing=v, loops=lo, place=pl, collapse=c)
    for b, (words, fillers) in BASES.items() for r, (v, lo, pl, c) in RULES.items()}


def synth_set(folder: Path, seed: int, variations: tuple[str, ...], clips: int, seconds: float) -> list[Clip]:
    if len(list(folder.glob("*.txt"))) < clips:
        rng = random.Random(seed)
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(clips):
                voice = VOICES[(i + seed) % len(VOICES)]
                audio, text, words = synth_answer_timed(rng, seconds, Path(tmp), voice=voice, variations=variations,
                                                        speed=rng.choice([125, 145, 165, 185]))
                write_clip(folder, f"synth_{i:02d}", audio, text, words)
    return load_clips(folder)[:clips]


class PassCache:
    """Each pass of each segment decoded once, kept as JSON on disk."""

    def __init__(self, folder: Path, model: str, threads: int) -> None:
        self.folder = folder / "passes" / model
        self.folder.mkdir(parents=True, exist_ok=True)
        self.model, self.threads = model, threads
        self._tr: WhisperTranscriber | None = None

    def decode(self, audio: np.ndarray, p: Pass) -> Decode:
        key = hashlib.sha1(audio.tobytes() + p.key.encode()).hexdigest()
        path = self.folder / f"{key}.json"
        if path.exists():
            kept = json.loads(path.read_text())
            if isinstance(kept, dict):  # (a list: the words alone, from before log-probabilities were kept)
                return Decode(tuple(Word(*w) for w in kept["words"]), kept["logprob"])
        if self._tr is None:
            self._tr = WhisperTranscriber(require(load_manifest()[self.model]), cpu_threads=self.threads)
        d = self._tr.decode_pass(audio, p)
        path.write_text(json.dumps({"words": [[w.text, w.start, w.end, w.probability] for w in d.words],
                                    "logprob": d.logprob}))
        return d


WHOLE = "plain, whole file"  # faster-whisper as a user would call it: the recording in one call


def transcribe_clip(audio: np.ndarray, recipe: Recipe | None, cache: PassCache) -> list[Word]:
    """The clip's words as the app would make them with `recipe` (same segments, same passes, same rules);
    with None, plain Whisper on the whole recording in one call."""
    if recipe is None:
        return list(cache.decode(audio, PLAIN).words)
    out: list[Word] = []
    start = 0
    for cut in cut_points(audio):
        seg = audio[start:cut.end]
        if cut.speech and len(seg):
            words = cache.decode(seg, recipe.words)
            fillers = cache.decode(seg, recipe.fillers) if recipe.fillers is not None and words.words else None
            shift = start / SAMPLE_RATE
            out += [replace(w, start=round(w.start + shift, 3), end=round(w.end + shift, 3))
                    for w in recipe.combine(words, fillers, seg)]
        start = cut.end
    return out


def interval(values: list[Counts], stat: str, boot: int) -> tuple[float, float, float]:
    total = Counts()
    for c in values:
        total = total.add(c)
    rng = np.random.default_rng(0)
    draws = []
    for _ in range(boot):
        t = Counts()
        for k in rng.integers(0, len(values), len(values)):
            t = t.add(values[k])
        draws.append(getattr(t, stat))
    lo, hi = np.percentile(draws, [2.5, 97.5])
    return getattr(total, stat), float(lo), float(hi)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="whisper-tiny.en")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "viva-ablation")
    ap.add_argument("--clips", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=25.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--sets", nargs="*", default=None, help="only these sets")
    ap.add_argument("--variants", nargs="*", default=None, help="only these recipes (names as printed)")
    ap.add_argument("--min-segment", type=float, default=None, help="try another MIN_SEGMENT_S")
    ap.add_argument("--tail-split", type=float, default=None,
                    help="try another TAIL_SPLIT_S (0: the last segment is never cut at its last pause)")
    args = ap.parse_args()
    if args.min_segment is not None:
        segments.MIN_SEGMENT_S = args.min_segment
    if args.tail_split is not None:
        segments.TAIL_SPLIT_S = args.tail_split or None
    print(f"segments: MIN_SEGMENT_S {segments.MIN_SEGMENT_S}, TAIL_SPLIT_S {segments.TAIL_SPLIT_S}")
    sets = {"recorded": load_clips(ROOT / "tests/data/speech")}
    for name, (seed, variations) in SYNTH_SETS.items():
        sets[name] = synth_set(args.cache / name, seed, variations, args.clips, args.seconds)
    sets = {k: v for k, v in sets.items() if args.sets is None or k in args.sets}
    variants: dict[str, Recipe | None] = {WHOLE: None, "viva (default)": RECIPES["viva"], **VARIANTS}
    for name, recipe in list(variants.items()):  # each merge with and without the log-probability fallback
        if recipe is not None and recipe.fillers is not None:
            variants[f"{name} +fallback" if name != "viva (default)" else "viva, fallback flipped"] = replace(
                recipe, fallback=not recipe.fallback)
    variants = {k: v for k, v in variants.items() if args.variants is None or k in args.variants}
    cache = PassCache(args.cache, args.model, args.threads)
    print(f"model {args.model}; intervals: bootstrap 95% over clips ({args.boot} draws)")
    for set_name, clips in sets.items():
        audios = [load_audio(c.audio) for c in clips]
        fp = sum(compare(c.reference, []).fp_ref for c in clips)
        print(f"\n== {set_name}: {len(clips)} clips, {sum(len(a) for a in audios) / SAMPLE_RATE:.0f} s, "
              f"{fp} filled pauses")
        print(f"{'recipe':<52} {'recall':>17} {'precision':>17} {'non-filler WER':>19} {'place med':>9} "
              f"{'p95':>5} {'<=0.3s':>6} {'wpm err':>7}")
        for name, recipe in variants.items():
            counts, offsets, wpm_err = [], [], []
            for clip, audio in zip(clips, audios, strict=True):
                words = transcribe_clip(audio, recipe, cache)
                counts.append(compare(clip.reference, [w.text for w in words]))
                if clip.timings:
                    offsets += filler_offsets(clip.timings, words)
                    if len(audio) / SAMPLE_RATE >= 10:
                        ref = reference_wpm(clip.timings)
                        wpm_err.append(abs(wpm(words) - ref) / ref)
            cells = []
            for stat, fmt in (("recall", "{:.2f} [{:.2f}-{:.2f}]"), ("precision", "{:.2f} [{:.2f}-{:.2f}]"),
                              ("wer", "{:.3f} [{:.3f}-{:.3f}]")):
                cells.append(fmt.format(*interval(counts, stat, args.boot)))
            place = (f"{np.median(offsets):>9.2f} {np.percentile(offsets, 95):>5.2f} "
                     f"{np.mean(np.array(offsets) <= 0.3):>6.0%}") if offsets else f"{'-':>9} {'-':>5} {'-':>6}"
            worst = f"{max(wpm_err):>7.1%}" if wpm_err else f"{'-':>7}"
            print(f"{name:<52} {cells[0]:>17} {cells[1]:>17} {cells[2]:>19} {place} {worst}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
