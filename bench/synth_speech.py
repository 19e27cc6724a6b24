"""Synthesise spoken answers with known filled pauses at known places (espeak-ng), for tests and benches.

    .venv/bin/python bench/synth_speech.py OUT_DIR [--clips 8] [--seconds 30] [--seed 1]

Writes OUT_DIR/synth_NN.wav with a verbatim reference OUT_DIR/synth_NN.txt (fillers included).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

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
FILLERS = ["uh", "um", "uh", "um", "er", "ah", "hmm"]


def espeak(text: str, path: Path, speed: int, voice: str) -> np.ndarray:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True,
                   capture_output=True)
    data, rate = sf.read(str(path), dtype="float32")
    if rate != SAMPLE_RATE:
        idx = np.linspace(0, len(data) - 1, int(len(data) * SAMPLE_RATE / rate))
        data = np.interp(idx, np.arange(len(data)), data).astype(np.float32)
    return np.asarray(data)


def synth_answer(rng: random.Random, seconds: float, workdir: Path, filler_rate: float = 0.5,
                 voice: str = "en-us") -> tuple[np.ndarray, str]:
    """Audio and verbatim reference of one answer about `seconds` long."""
    parts: list[np.ndarray] = []
    words: list[str] = []
    total = 0.0
    speed = rng.choice([140, 155, 170])
    while total < seconds:
        sentence = rng.choice(SENTENCES).split()
        pieces = [sentence]
        if rng.random() < filler_rate and len(sentence) > 4:  # a filler inside the sentence
            cut = rng.randrange(2, len(sentence) - 1)
            pieces = [sentence[:cut], [rng.choice(FILLERS)], sentence[cut:]]
        if rng.random() < filler_rate:  # a filler before the sentence
            pieces.insert(0, [rng.choice(FILLERS)])
        for piece in pieces:
            audio = espeak(" ".join(piece), workdir / "piece.wav", speed, voice)
            parts += [audio, np.zeros(int(rng.uniform(0.15, 0.5) * SAMPLE_RATE), dtype=np.float32)]
            words += piece
            total += len(parts[-2]) / SAMPLE_RATE + len(parts[-1]) / SAMPLE_RATE
        parts.append(np.zeros(int(rng.uniform(0.3, 0.9) * SAMPLE_RATE), dtype=np.float32))
        total += len(parts[-1]) / SAMPLE_RATE
    return np.concatenate(parts), " ".join(words)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--clips", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.clips):
            audio, text = synth_answer(rng, args.seconds, Path(tmp))
            sf.write(str(args.out / f"synth_{i:02d}.wav"), audio, SAMPLE_RATE, subtype="PCM_16")
            (args.out / f"synth_{i:02d}.txt").write_text(text + "\n")
    print(f"wrote {args.clips} clips to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
