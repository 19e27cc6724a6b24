"""Would gradient-boosted trees do better than logistic regression as the per-item sentence classifier? Prints the
cross-validated figures of both on the training repositories (the frozen split is not read); asserts nothing.

The trained model's classifier (app/scoring/learn.py) is linear: one weight per feature, so a subject, a tense
and a cue cannot combine into more than the sum of their weights. This bench swaps it for scikit-learn's
HistGradientBoostingClassifier (class-weighted, fixed seed; scikit-learn's default early stopping,
which holds out 10% of the rows once there are more than 10,000), calibrated and thresholded exactly
as learn.fit_item does it (Platt scaling on inner out-of-fold decision values, threshold on answers' best
sentence), and prints bench/score_eval.py's cross-validated figures for each learner with folds grouped by
original answer and by source repository (`--shuffles` shuffled splits; a repository's answers held out
together, as answers from a source never seen would be). The on-topic gates stay logistic in both.

Run: OMP_NUM_THREADS=1 .venv/bin/python bench/score_learners.py [--rubric star] [--learner boosted|linear|both]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.ensemble import HistGradientBoostingClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.scoring import learn  # noqa: E402
from app.scoring.corpus import build, load_rows, split  # noqa: E402
from app.scoring.train import SETTINGS, idf_from, topic_from  # noqa: E402
from bench import score_eval  # noqa: E402
from bench.score_common import figures, path_verdicts  # noqa: E402

ITERATIONS, LEAVES, MIN_LEAF = 150, 8, 20


def _boosted() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(max_iter=ITERATIONS, learning_rate=0.05, max_leaf_nodes=LEAVES,
                                          min_samples_leaf=MIN_LEAF, l2_regularization=1.0,
                                          class_weight="balanced", random_state=0)


class BoostedFit:
    """learn.ItemFit's interface (probabilities, threshold) over a boosted model's decision values."""

    def __init__(self, model: HistGradientBoostingClassifier | None, platt: tuple[float, float],
                 threshold: float) -> None:
        self.model, self.platt, self.threshold = model, platt, threshold

    def decision(self, X: csr_matrix) -> np.ndarray:
        if self.model is None:
            return np.full(X.shape[0], -10.0)
        return np.asarray(self.model.decision_function(X.toarray()))

    def probabilities(self, X: csr_matrix) -> np.ndarray:
        a, b = self.platt
        return np.asarray(1.0 / (1.0 + np.exp(-(a * self.decision(X) + b))))


LINEAR_FIT = learn.fit_item


def boosted_fit_item(rows: learn.Rows, y: np.ndarray, labels: np.ndarray, C: float,
                     deleted: np.ndarray | None = None, pass_negatives: float | None = None,
                     by_source: bool = False) -> Any:
    """learn.fit_item with boosted trees for the item classifiers; an answer-level gate (one row per answer, or
    `pass_negatives`) stays logistic."""
    if pass_negatives is not None or np.array_equal(rows.answer, np.arange(len(labels))):
        return LINEAR_FIT(rows, y, labels, C, deleted, pass_negatives, by_source)
    z = np.zeros(rows.X.shape[0])
    inner = rows.groups
    if by_source and rows.sources is not None and len(set(rows.sources.tolist())) >= 2:
        inner = rows.sources
    for test in learn.folds(inner, rows.answer, learn.INNER_FOLDS):
        train = np.setdiff1d(np.arange(len(y)), test)
        if len(set(y[train].tolist())) < 2:
            continue
        z[test] = BoostedFit(_boosted().fit(rows.X[train].toarray(), y[train]), (1.0, 0.0), 0.0).decision(rows.X[test])
    a, b = learn._platt(z, y)
    best = learn.answer_best(1.0 / (1.0 + np.exp(-(a * z + b))), rows.answer, len(labels))
    threshold = learn.choose_threshold(best, labels, deleted)
    if len(set(y.tolist())) < 2:
        return BoostedFit(None, (a, b), threshold)
    return BoostedFit(_boosted().fit(rows.X.toarray(), y), (a, b), threshold)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--rubric", choices=sorted(SETTINGS), default="star")
    ap.add_argument("--learner", choices=("boosted", "linear", "both"), default="both")
    ap.add_argument("--shuffles", type=int, default=2, help="shuffled splits by source repository")
    args = ap.parse_args(argv)
    train, _ = split(build(load_rows()))
    idf, idf_default = idf_from(train)
    score_eval.TOPIC.append(topic_from(train))
    rid = args.rubric
    mine = [e for e in train if e.rubric == rid]
    cue_v = path_verdicts(mine, score_eval.score_cues)
    print(f"{rid}: cue scorer {figures(cue_v, mine).line()}")
    by_answer = [learn.Outer()]
    by_source = score_eval.outers(argparse.Namespace(by="source", shuffles=args.shuffles), mine)
    for name in (("linear", "boosted") if args.learner == "both" else (args.learner,)):
        learn.fit_item = boosted_fit_item if name == "boosted" else LINEAR_FIT  # cross_validated looks it up here
        for grouping, splits in (("by answer", by_answer), (f"by source ({args.shuffles} shuffles)", by_source)):
            runs = [score_eval.cv_candidates(rid, mine, idf, idf_default, cue_v, o) for o in splits]
            for scorer, f in score_eval.mean_figures(runs).items():
                if scorer != "cues":
                    print(f"  {name:7s} {grouping:22s} {scorer:12s} {f.line()}")
    learn.fit_item = LINEAR_FIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
