"""Synthesise spoken answers with known filled pauses at known places and times (espeak-ng), for tests and
benches, in several voices and rates and with the disfluencies real speech has.

    .venv/bin/python bench/synth_speech.py OUT_DIR [--clips 8] [--seconds 30] [--seed 1] [--set disfluent]

Writes OUT_DIR/synth_NN.wav, its verbatim reference OUT_DIR/synth_NN.txt (fillers included) and
OUT_DIR/synth_NN.words.tsv with word timings: exact for each filler and each piece's edges, shared evenly
among the words of one piece otherwise.

Variations (see VARIATIONS): several fillers in a row, a filler fused into the word before it (one utterance,
no pause), stretched words ("sooo"), cut-off words with a restart ("we trai- we trained"), the pronoun 'er
("I told 'er", referenced as "her": a recogniser that writes "er" has invented a filler), and room noise.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain import Word  # noqa: E402

SAMPLE_RATE = 16000
SENTENCES = [
    "So the first thing I did was look at the data",
    "we had about two million labelled examples from the last quarter",
    "I started with a logistic regression baseline",
    "the main metric was precision at the top of the ranking",
    "then I added features for how recently a user was active",
    "the model was trained every night on a fresh snapshot",
    "after launch we watched for drift in the input features",
    "my manager asked me to cut the latency in half",
    "I split the pipeline into a batch part and an online part",
    "in the end the false positive rate dropped by thirty percent",
    "we compared the new model against the old one in an A B test",
    "the hardest part was getting clean labels for rare classes",
    "I wrote a small tool to check the data every morning",
    "the team agreed to ship the simpler model first",
    "we kept the same feature code for training and serving",
    "I learned that monitoring matters as much as the model",
]
PRONOUN_SENTENCES = [
    "I asked the new analyst and I told her the plan",
    "my lead was busy so I sent her the report",
    "she had the numbers so I hardly needed to ask her",
]
FILLERS = ["uh", "um", "uh", "um", "er", "ah", "hmm"]
VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp+f2", "en-us-nyc+m5", "en-us+f3",
          "en-gb-x-gbclan+m3"]
VARIATIONS = ("runs", "fused", "stretched", "restarts", "pronoun", "noise")


def espeak(text: str, path: Path, speed: int, voice: str, ssml: bool = False) -> np.ndarray:
    """espeak-ng's audio for `text`, 16 kHz mono, with its leading and trailing silence trimmed."""
    cmd = ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), *(["-m"] if ssml else []), text]
    subprocess.run(cmd, check=True, capture_output=True)
    data, rate = sf.read(str(path), dtype="float32")
    if rate != SAMPLE_RATE:
        idx = np.linspace(0, len(data) - 1, int(len(data) * SAMPLE_RATE / rate))
        data = np.interp(idx, np.arange(len(data)), data).astype(np.float32)
    loud = np.flatnonzero(np.abs(data) > 0.01)
    return np.asarray(data[loud[0]: loud[-1] + 1] if loud.size else data[:0])


def room_noise(rng: random.Random, n: int, level_dbfs: float) -> np.ndarray:
    """Brown-ish noise with a mains hum, at `level_dbfs` RMS: a quiet room, not white noise."""
    g = np.random.default_rng(rng.randrange(1 << 30))
    brown = np.cumsum(g.standard_normal(n))
    brown -= np.convolve(brown, np.ones(801) / 801, mode="same")  # keep it from drifting
    t = np.arange(n) / SAMPLE_RATE
    hum = 0.3 * np.sin(2 * np.pi * rng.choice([50, 60]) * t)
    noise = brown / (np.std(brown) + 1e-9) + hum + 0.3 * g.standard_normal(n)
    return np.asarray(noise / np.sqrt(np.mean(noise**2)) * 10 ** (level_dbfs / 20), dtype=np.float32)


class _Builder:
    """Pieces of audio laid end to end, with the words each holds and their times."""

    def __init__(self, workdir: Path, speed: int, voice: str) -> None:
        self.workdir, self.speed, self.voice = workdir, speed, voice
        self.parts: list[np.ndarray] = []
        self.words: list[Word] = []
        self.t = 0.0

    def say(self, words: Sequence[str], text: str | None = None, ssml: bool = False) -> tuple[float, float]:
        audio = espeak(text or " ".join(words), self.workdir / "piece.wav", self.speed, self.voice, ssml)
        start, end = self.t, self.t + len(audio) / SAMPLE_RATE
        step = (end - start) / max(1, len(words))
        self.words += [Word(w, round(start + k * step, 3), round(start + (k + 1) * step, 3))
                       for k, w in enumerate(words)]
        self._add(audio)
        return start, end

    def say_fused(self, words: Sequence[str], filler: str) -> None:
        """`words` and then `filler` in one utterance; the filler's time is what it adds to the utterance."""
        bare = espeak(" ".join(words), self.workdir / "piece.wav", self.speed, self.voice)
        start, end = self.say([*words, filler])
        filler_s = max(0.1, end - start - len(bare) / SAMPLE_RATE)
        self.words[-1] = Word(filler, round(end - filler_s, 3), round(end, 3))
        step = (end - filler_s - start) / max(1, len(words))
        for k in range(len(words)):
            self.words[-1 - len(words) + k] = Word(words[k], round(start + k * step, 3),
                                                   round(start + (k + 1) * step, 3))

    def cut_off(self, word: str) -> None:
        """The first part of `word`, as when the speaker stops mid-word (no reference word: it was never said)."""
        audio = espeak(word, self.workdir / "piece.wav", self.speed, self.voice)
        self._add(audio[: max(1, int(len(audio) * 0.5))])

    def pause(self, seconds: float) -> None:
        self._add(np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32))

    def _add(self, audio: np.ndarray) -> None:
        self.parts.append(audio)
        self.t += len(audio) / SAMPLE_RATE


def synth_answer_timed(rng: random.Random, seconds: float, workdir: Path, filler_rate: float = 0.5,
                       voice: str = "en-us", variations: Sequence[str] = (),
                       speed: int | None = None) -> tuple[np.ndarray, str, list[Word]]:
    """Audio, verbatim reference and reference word timings of one answer about `seconds` long."""
    b = _Builder(workdir, speed or rng.choice([140, 155, 170]), voice)
    var = set(variations)
    b.pause(rng.uniform(0.2, 0.6))
    while b.t < seconds:
        pool = PRONOUN_SENTENCES if "pronoun" in var and rng.random() < 0.3 else SENTENCES
        sentence = rng.choice(pool).split()
        if rng.random() < filler_rate:  # a filler (or, with "runs", several) before the sentence
            for k in range(rng.choice([2, 3]) if "runs" in var and rng.random() < 0.5 else 1):
                b.pause(rng.uniform(0.08, 0.3) if k else 0.0)
                b.say([rng.choice(FILLERS)])
            b.pause(rng.uniform(0.15, 0.5))
        cut = rng.randrange(2, len(sentence) - 1) if rng.random() < filler_rate and len(sentence) > 4 else None
        head, tail = (sentence[:cut], sentence[cut:]) if cut else (sentence, [])
        if "stretched" in var and rng.random() < 0.3:  # the first word drawn out, as in "sooo"
            b.say(head[:1], f'<prosody rate="x-slow">{head[0]}</prosody>', ssml=True)
            head = head[1:]
            b.pause(0.05)
        if "restarts" in var and rng.random() < 0.3 and len(head) >= 2:  # "we trai- we trained"
            b.say(head[:-1])
            b.cut_off(head[-1])
            b.pause(rng.uniform(0.1, 0.3))
        if head and tail and "fused" in var and rng.random() < 0.5:
            b.say_fused(head, rng.choice(FILLERS))
            b.pause(rng.uniform(0.1, 0.3))
        elif head:
            b.say(head)
            if tail:
                b.pause(rng.uniform(0.15, 0.5))
                b.say([rng.choice(FILLERS)])
                b.pause(rng.uniform(0.15, 0.5))
        if tail:
            b.say(tail)
        b.pause(rng.uniform(0.3, 0.9))
    audio = np.concatenate(b.parts)
    if "noise" in var:
        level = 20 * np.log10(np.sqrt(np.mean(audio**2)) + 1e-9)
        audio = audio + room_noise(rng, len(audio), float(level) - rng.uniform(15.0, 25.0))
    return audio.astype(np.float32), " ".join(w.text for w in b.words), b.words


def synth_answer(rng: random.Random, seconds: float, workdir: Path, filler_rate: float = 0.5,
                 voice: str = "en-us") -> tuple[np.ndarray, str]:
    """Audio and verbatim reference of one answer about `seconds` long (plain fillers, one voice)."""
    audio, text, _ = synth_answer_timed(rng, seconds, workdir, filler_rate, voice)
    return audio, text


def write_clip(folder: Path, name: str, audio: np.ndarray, text: str, words: Sequence[Word]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    sf.write(str(folder / f"{name}.wav"), audio, SAMPLE_RATE, subtype="PCM_16")
    (folder / f"{name}.txt").write_text(text + "\n")
    rows = ["start\tend\tword", *(f"{w.start:.3f}\t{w.end:.3f}\t{w.text}" for w in words)]
    (folder / f"{name}.words.tsv").write_text("\n".join(rows) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--clips", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variations", nargs="*", default=[], choices=VARIATIONS)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.clips):
            audio, text, words = synth_answer_timed(rng, args.seconds, Path(tmp), voice=VOICES[i % len(VOICES)],
                                                    variations=args.variations)
            write_clip(args.out, f"synth_{i:02d}", audio, text, words)
    print(f"wrote {args.clips} clips to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
