"""What the bundled LLM (SmolLM2-135M) adds to the trained structure model: its log-probability per (sentence,
item) as a feature, with the learned weight and the cross-validated gain; prints figures, asserts nothing.

For each sentence the model is asked, once, which rubric part the sentence shows (every item's name and
definition, then the sentence, then "Answer with one word: <items> or none"), and the probability of each
item's word as the next token, normalised over the items and "none", becomes the feature "llm:<item>" (one
llama.cpp evaluation per sentence: the shared instructions stay in the KV cache, only the sentence and the
question are evaluated). The same grouped, nested cross-validation as bench/score_eval.py is then run with
and without the "llm" family; the weights are those of the model fitted on all training answers.

Slow on 2 CPU cores (about half a second to two seconds per sentence), so only the written variants of one
rubric's own answers are used (no spoken variants, which re-cut the text into other sentences, and for STAR no
non-story negatives), and the figures are not comparable with bench/score_eval.py's; --rubric picks the rubric.
Log-probabilities are cached in --cache between runs.

Run: .venv/bin/python bench/score_llm.py [--rubric star] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import app.scoring.train as train_module  # noqa: E402
from app.scoring.corpus import build, load_rows, split  # noqa: E402
from app.scoring.learn import fit_item  # noqa: E402
from app.scoring.rubrics import Rubric, default_rubrics  # noqa: E402
from app.scoring.sentences import Sentence  # noqa: E402
from app.scoring.syntax import clean  # noqa: E402
from bench.score_common import OFF, figures, macro  # noqa: E402
from bench.score_eval import cv_verdicts  # noqa: E402

MODEL = Path(__file__).resolve().parent.parent / "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf"
HEAD = ("<|im_start|>system\nYou label the sentences of job-interview answers.<|im_end|>\n<|im_start|>user\n"
        "A good answer has these parts:\n{parts}\nSentence: \"")
TAIL = "\"\nWhich part does this sentence show? Answer with one word: {names} or none.<|im_end|>\n" \
       "<|im_start|>assistant\n"


class PartScorer:
    """SmolLM2's next-token probabilities of each item's name after one sentence (prefix kept in the cache)."""

    def __init__(self, rubric: Rubric, model: Path, threads: int) -> None:
        import llama_cpp

        self._lib = llama_cpp
        self.llm = llama_cpp.Llama(model_path=str(model), n_ctx=1024, n_threads=threads, n_threads_batch=threads,
                                   seed=0, verbose=False)
        self.items = [it.id for it in rubric.items]
        parts = "\n".join(f"- {it.id}: {it.definition}" for it in rubric.items)
        self.tail = TAIL.format(names=", ".join(self.items))
        self.words = {w: self._first(w) for w in [*self.items, "none"]}
        self.llm.reset()
        self.llm.eval(self.llm.tokenize(HEAD.format(parts=parts).encode(), add_bos=False, special=True))
        self.n_head = self.llm.n_tokens

    def _first(self, word: str) -> list[int]:
        return sorted({self.llm.tokenize(w.encode(), add_bos=False)[0] for w in (word, word.capitalize())})

    def __call__(self, sentence: str) -> dict[str, float]:
        self.llm._ctx.kv_cache_seq_rm(-1, self.n_head, -1)
        self.llm.n_tokens = self.n_head
        self.llm.eval(self.llm.tokenize((sentence + self.tail).encode(), add_bos=False, special=True))
        row = np.ctypeslib.as_array(self._lib.llama_get_logits(self.llm._ctx.ctx), shape=(self.llm.n_vocab(),))
        lp = {w: float(np.logaddexp.reduce(row[ids])) for w, ids in self.words.items()}
        norm = float(np.logaddexp.reduce(list(lp.values())))
        return {w: round(float(np.exp(v - norm)), 5) for w, v in lp.items() if w != "none"}


def with_llm(cache: Mapping[str, Mapping[str, float]]) -> Any:
    """train.featurize with the "llm:<item>" features of each sentence added from `cache`."""
    original = train_module.featurize

    def featurize(rubric: Rubric, question: str, sentences: Sequence[Sentence], idf: Mapping[str, float],
                  idf_default: float) -> list[dict[str, float] | None]:
        out = original(rubric, question, sentences, idf, idf_default)
        for s, f in zip(sentences, out, strict=True):
            if f is not None:
                f.update({f"llm:{i}": p for i, p in cache.get(clean(s.text), {}).items()})
        return out

    return featurize


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--rubric", default="star", choices=sorted(train_module.SETTINGS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--model", type=Path, default=MODEL)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/viva-llm-feature-cache.json"))
    args = ap.parse_args()
    rid = args.rubric
    examples, _ = split(build(load_rows(), paths=("written",)))
    mine = [e for e in examples if e.rubric == rid and e.how != "nonstory"]
    texts = sorted({clean(s.text) for e in mine for s in e.sentences if not s.label and clean(s.text)})
    cache: dict[str, dict[str, float]] = json.loads(args.cache.read_text()) if args.cache.is_file() else {}
    todo = [t for t in texts if t not in cache]
    if todo:
        scorer = PartScorer(default_rubrics()[rid], args.model, args.threads)
        t0 = time.perf_counter()
        for k, t in enumerate(todo, 1):
            cache[t] = scorer(t)
            if k % 50 == 0:
                args.cache.write_text(json.dumps(cache))
        args.cache.write_text(json.dumps(cache))
        print(f"{len(todo)} sentences scored by {args.model.name} in {time.perf_counter() - t0:.0f} s "
              f"({(time.perf_counter() - t0) / len(todo) * 1000:.0f} ms each, {args.threads} threads)")
    setting = train_module.SETTINGS[rid]
    idf, idf_default = train_module.idf_from(examples)  # written originals only, as the training command uses
    written = np.flatnonzero([e.how not in OFF for e in mine])
    base = cv_verdicts(rid, mine, idf, idf_default, setting.families, setting.C)
    train_module.featurize = with_llm(cache)
    fams = (*setting.families, "llm")
    plus = cv_verdicts(rid, mine, idf, idf_default, fams, setting.C)
    b, p = figures(base, mine), figures(plus, mine)
    print(f"{rid}, written variants only ({len({e.root for e in mine})} originals, {len(written)} answers):")
    print(f"  CV without llm  {b.line()}")
    print(f"  CV with llm     {p.line()}")
    diffs = []
    rng = np.random.default_rng(0)
    roots = sorted({mine[int(i)].root for i in written})
    by_root = {r: [int(i) for i in written if mine[int(i)].root == r] for r in roots}
    for _ in range(1000):
        idx = np.array([i for r in rng.choice(roots, len(roots)) for i in by_root[r]])
        diffs.append(macro(plus, mine, idx) - macro(base, mine, idx))
    print(f"  CV gain {p.written - b.written:+.3f} (bootstrap 95% [{np.percentile(diffs, 2.5):+.3f}, "
          f"{np.percentile(diffs, 97.5):+.3f}])")
    data = train_module.featurised(default_rubrics()[rid], mine, idf, idf_default, fams)
    rows, mask = data.rows.take(np.flatnonzero(data.on_topic))
    names = list(data.vectorizer.get_feature_names_out())
    for item in data.y:
        fit = fit_item(rows, data.y[item][mask], data.labels[item][data.on_topic], setting.C)
        w = {n: round(float(c), 3) for n, c in zip(names, fit.coef, strict=True) if n.startswith("llm:")}
        spread = np.std(rows.X[:, [names.index(n) for n in w]].toarray(), axis=0) if w else []
        print(f"  {item}: learned llm weights {w} (feature std {np.round(spread, 3).tolist()}; "
              f"largest |weight| of any feature {np.abs(fit.coef).max():.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
