"""Fitting one rubric item's sentence classifier: logistic regression, Platt calibration, an answer threshold.

For an item, every sentence of every training answer is one row (features from app/scoring/model.featurize,
label from the evidence, app/scoring/corpus.py). The classifier is scikit-learn's LogisticRegression with
balanced class weights. Its decision values are calibrated by Platt scaling fitted on out-of-fold values
(grouped folds: no answer shares a fold with its own variants), so the probability is what a sentence's score
means on answers the classifier did not see. An answer shows the item when its best sentence's probability
reaches the item's threshold, chosen on the same out-of-fold probabilities to maximise answer-level balanced
accuracy, less how far the share of copies with the item deleted that still show it exceeds the issue's 10%: a
threshold low enough for a weaker sentence elsewhere to keep a deleted component present pays for it.
Everything is deterministic (liblinear, fixed folds).
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

INNER_FOLDS = 4


@dataclass(frozen=True)
class Rows:
    """The sentence rows of one rubric: features, and for each row its answer and that answer's group."""

    X: csr_matrix
    answer: np.ndarray  # row -> answer index
    groups: np.ndarray  # answer index -> fold group (the original answer's id)
    sources: np.ndarray | None = None  # answer index -> its source repository, where known

    def take(self, answers: np.ndarray) -> tuple[Rows, np.ndarray]:
        """The rows of `answers` (indices), renumbered, and the row mask."""
        renumber = {int(a): k for k, a in enumerate(answers)}
        mask = np.isin(self.answer, answers)
        return Rows(self.X[mask], np.array([renumber[int(a)] for a in self.answer[mask]], dtype=int),
                    self.groups[answers], None if self.sources is None else self.sources[answers]), mask


@dataclass(frozen=True)
class ItemFit:
    coef: np.ndarray
    intercept: float
    platt: tuple[float, float]
    threshold: float

    def probabilities(self, X: csr_matrix) -> np.ndarray:
        z = X @ self.coef + self.intercept
        a, b = self.platt
        return 1.0 / (1.0 + np.exp(-(a * z + b)))


def _lr(X: csr_matrix, y: np.ndarray, C: float) -> LogisticRegression:
    model = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=0, max_iter=2000)
    return model.fit(X, y)


def answer_best(p: np.ndarray, answer: np.ndarray, n_answers: int) -> np.ndarray:
    """Each answer's highest sentence probability (0 for an answer without sentences)."""
    best = np.zeros(n_answers)
    np.maximum.at(best, answer, p)
    return best


def balanced_accuracy(labels: np.ndarray, predicted: np.ndarray) -> float:
    recalls = [float(np.mean(predicted[labels == c] == c)) for c in (True, False) if np.any(labels == c)]
    return float(np.mean(recalls)) if recalls else 0.0


DELETION_TARGET = 0.10  # issue 14: a deleted component called present at most this often


def deletion_balanced_accuracy(labels: np.ndarray, predicted: np.ndarray, deleted: np.ndarray | None) -> float:
    """Balanced accuracy less how far the share of copies with the item deleted (`deleted`) that still show it
    exceeds DELETION_TARGET (plain balanced accuracy without deletions)."""
    ba = balanced_accuracy(labels, predicted)
    if deleted is None or not (deleted & ~labels).any():
        return ba
    return ba - max(0.0, float(np.mean(predicted[deleted & ~labels])) - DELETION_TARGET)


def choose_threshold(best: np.ndarray, labels: np.ndarray, deleted: np.ndarray | None = None) -> float:
    """The threshold on answers' best probability with the highest balanced accuracy (deletions as their own
    class: deletion_balanced_accuracy): the middle of the widest best range, so a tie does not sit on one answer's
    value."""
    values = np.unique(np.concatenate([[0.0, 1.0], best]))
    cuts = (values[:-1] + values[1:]) / 2
    scores = np.array([deletion_balanced_accuracy(labels, best >= c, deleted) for c in cuts])
    top = np.flatnonzero(scores >= scores.max() - 1e-9)
    runs, start = [], top[0]
    for a, b in zip(top, [*top[1:], -1], strict=True):
        if b != a + 1:
            runs.append((start, a))
            start = b
    lo, hi = max(runs, key=lambda r: cuts[r[1]] - cuts[r[0]])
    return round(float((cuts[lo] + cuts[hi]) / 2), 4)


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    m = LogisticRegression(C=1e4, solver="lbfgs", max_iter=2000).fit(z.reshape(-1, 1), y)
    return float(m.coef_[0][0]), float(m.intercept_[0])


def folds(groups: np.ndarray, answer: np.ndarray, k: int, seed: int | None = None) -> list[np.ndarray]:
    """Row indices of `k` grouped folds (by the answers' `groups`; fewer where there are fewer groups), in
    GroupKFold's fixed order, or shuffled by `seed`; none where the rows hold fewer than two groups."""
    row_groups = groups[answer]
    n = min(k, len(set(row_groups.tolist())))
    if n < 2:
        return []
    split = GroupKFold(n_splits=n) if seed is None else GroupKFold(n_splits=n, shuffle=True, random_state=seed)
    return [test for _, test in split.split(np.zeros(len(answer)), groups=row_groups)]


def fit_item(rows: Rows, y: np.ndarray, labels: np.ndarray, C: float, deleted: np.ndarray | None = None,
             pass_negatives: float | None = None, by_source: bool = False) -> ItemFit:
    """Fit, calibrate and threshold one item. `y`: per-row sentence labels; `labels`: per-answer labels;
    `deleted`: per answer, whether the item was deleted from it (choose_threshold); `by_source`: calibrate and
    threshold on out-of-fold values from folds that hold out whole source repositories (`rows.sources`, where
    there are at least two), so the probabilities mean what they will on answers from a source never seen,
    instead of folds by original answer. (For the answer-level
    on-topic gate, each answer is one row: `rows.answer` is the identity; with `pass_negatives`, its threshold
    is at most the one that lets that share of the negatives' out-of-fold probabilities through.)"""
    z = np.zeros(rows.X.shape[0])
    inner = rows.groups
    if by_source and rows.sources is not None and len(set(rows.sources.tolist())) >= 2:
        inner = rows.sources
    for test in folds(inner, rows.answer, INNER_FOLDS):
        train = np.setdiff1d(np.arange(len(y)), test)
        if len(set(y[train].tolist())) < 2:
            continue
        z[test] = _lr(rows.X[train], y[train], C).decision_function(rows.X[test])
    a, b = _platt(z, y)
    best = answer_best(1.0 / (1.0 + np.exp(-(a * z + b))), rows.answer, len(labels))
    threshold = choose_threshold(best, labels, deleted)
    if pass_negatives is not None and (~labels).any():
        threshold = min(threshold, round(float(np.quantile(best[~labels], 1 - pass_negatives)), 4))
    if len(set(y.tolist())) < 2:
        return ItemFit(np.zeros(rows.X.shape[1]), -10.0, (a, b), threshold)
    model = _lr(rows.X, y, C)
    return ItemFit(model.coef_[0], float(model.intercept_[0]), (a, b), threshold)


@dataclass(frozen=True)
class Outer:
    """How cross_validated holds answers out: `k` folds grouped by `groups` (per answer; None: the rows' own
    groups, the original answers), in fixed order or shuffled by `seed`. Grouped by source repository, every
    answer of one author's repository is held out at once, as answers from a source Viva never saw would be."""

    k: int = 5
    groups: np.ndarray | None = None
    seed: int | None = None


def cross_validated(rows: Rows, y: np.ndarray, labels: np.ndarray, C: float, outer: Outer | None = None,
                    fit_on: np.ndarray | None = None, deleted: np.ndarray | None = None,
                    pass_negatives: float | None = None, by_source: bool = False) -> np.ndarray:
    """Out-of-fold answer verdicts (nested: each outer fold fits, calibrates and thresholds on the rest, using
    only the answers `fit_on` marks, as fit_item with `by_source`; every answer of the held-out fold is
    predicted)."""
    verdict = np.zeros(len(labels), dtype=bool)
    answers = np.arange(len(labels))
    usable = np.ones(len(labels), dtype=bool) if fit_on is None else fit_on
    outer = outer or Outer()
    groups = rows.groups if outer.groups is None else outer.groups
    for test_rows in folds(groups, rows.answer, outer.k, outer.seed):
        test_answers = np.unique(rows.answer[test_rows])
        train_answers = np.setdiff1d(answers[usable], test_answers)
        train, mask = rows.take(train_answers)
        fit = fit_item(train, y[mask], labels[train_answers], C,
                       None if deleted is None else deleted[train_answers], pass_negatives, by_source)
        held, hmask = rows.take(test_answers)
        best = answer_best(fit.probabilities(held.X), held.answer, len(test_answers))
        verdict[test_answers] = best >= fit.threshold
    return verdict


def bootstrap_interval(values: Sequence[float] | np.ndarray, groups: Sequence[str], statistic: object,
                       n: int = 1000, seed: int = 0) -> tuple[float, float]:
    """A 95% percentile interval for `statistic(indices)` resampling whole groups (answers with their variants)."""
    rng = np.random.default_rng(seed)
    by_group: dict[str, list[int]] = {}
    for k, g in enumerate(groups):
        by_group.setdefault(g, []).append(k)
    keys = sorted(by_group)
    stats = []
    for _ in range(n):
        pick = rng.integers(0, len(keys), len(keys))
        idx = np.array([i for p in pick for i in by_group[keys[p]]])
        value = statistic(idx)  # type: ignore[operator]
        if value is not None and not math.isnan(value):
            stats.append(value)
    if not stats:
        return (float("nan"), float("nan"))
    return float(np.percentile(stats, 2.5)), float(np.percentile(stats, 97.5))


# Fitted weights differ in their last digits between machines (the linear algebra's kernels depend on the CPU):
# measured 7e-4 on a STAR weight, between a model trained on one session's machine and a fresh run on the next.
# A change of data, features or settings moves weights by far more, and changes the data hashes outright.
CHECK_TOLERANCE = 5e-3


def document_gap(a: object, b: object) -> float:
    """The largest difference between two model documents' numbers; inf where anything else differs. A weight
    rounded to zero (and so left out) on one side counts as 0."""
    if isinstance(a, dict) and isinstance(b, dict):
        return max((document_gap(a.get(k, 0.0 if isinstance(b.get(k), float) else None),
                                 b.get(k, 0.0 if isinstance(a.get(k), float) else None))
                    for k in set(a) | set(b)), default=0.0)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return math.inf
        return max((document_gap(x, y) for x, y in zip(a, b, strict=True)), default=0.0)
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return abs(float(a) - float(b))
    return 0.0 if a == b else math.inf


def training_command(prog: str, doc: str | None, default_out: Path, what: str, build: Callable[[], bytes],
                     argv: Sequence[str] | None = None) -> int:
    """The command line of a training module (`python -m PROG [--out F] [--check]`): write the file `build()`
    makes, or with --check retrain in memory and fail if the committed file differs (it is reproducible)."""
    ap = argparse.ArgumentParser(prog=prog, description=(doc or "").split("\n")[0])
    ap.add_argument("--out", type=Path, default=default_out, help="where to write it (default: %(default)s)")
    ap.add_argument("--check", action="store_true", help="retrain and compare with the committed file; write nothing")
    args = ap.parse_args(argv)
    data = build()
    if args.check:
        try:
            gap = document_gap(json.loads(args.out.read_bytes()), json.loads(data))
        except (OSError, ValueError):  # missing or not a model document
            gap = math.inf
        same = gap <= CHECK_TOLERANCE
        print(f"{what} reproduces (largest difference {gap:.1e})" if same
              else f"{args.out} differs from a fresh training run (largest difference {gap:.1e})")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data) // 1024} KiB)")
    return 0
