"""Whether a labelled-answer file helps on answers from sources the model never saw; prints figures, asserts
nothing.

bench/score_eval.py cross-validates with folds grouped by original answer, so the answers of one repository
(one author's style) sit on both sides of a fold. Here the outer folds hold out whole source repositories of the
training side (tests/data/answers/split.json; the frozen test repositories are never read), shuffled `--shuffles`
times. Two arms are scored on the same held-out folds: "without" fits (and calibrates and thresholds) only on the
answers that are not in `--file`, "with" on every training answer. Printed: each arm's out-of-fold macro balanced
accuracy (written and spoken, bootstrap intervals over original answers), the share of deleted parts still called
present, and the written figure on the file's own answers and on the others, per shuffle and as mean +/- std.
Written for STAR (no on-topic gate). For design and concept, the gate's question-side folds (score_eval.gate_cv)
stay grouped by answer.

Run: .venv/bin/python bench/score_sources.py [--rubric star] [--file answers-grown4.jsonl] [--shuffles 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import app.scoring.learn as learn  # noqa: E402
import bench.score_eval as score_eval  # noqa: E402
from app.scoring.corpus import DATA_DIR, build, load_rows, read_jsonl, repository, split  # noqa: E402
from app.scoring.train import SETTINGS, idf_from, topic_from  # noqa: E402
from bench.score_common import figures  # noqa: E402

OUTER = 5  # learn.cross_validated's outer folds; its inner (calibration) folds (learn.INNER_FOLDS) stay by answer


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--rubric", choices=sorted(SETTINGS), default="star")
    ap.add_argument("--file", default="answers-grown4.jsonl", help="the labelled-answer file the 'without' arm omits")
    ap.add_argument("--shuffles", type=int, default=3)
    args = ap.parse_args()
    rows = load_rows()
    newer = {r["id"] for r in read_jsonl(DATA_DIR / args.file)}
    source = {r["id"]: repository(r) for r in rows}
    seed = [0]
    plain_folds = learn._folds

    def by_source(groups: np.ndarray, answer: np.ndarray, k: int) -> list[np.ndarray]:
        row_groups = groups[answer]
        if len(set(row_groups.tolist())) < 2:
            return []  # a fit this small (one answer's rows) gets no out-of-fold calibration
        repos = np.array([source.get(g, g) for g in row_groups.tolist()])
        if k == learn.INNER_FOLDS or len(set(repos.tolist())) < 2:
            return plain_folds(groups, answer, k)
        n = min(k, len(set(repos.tolist())))
        return [test for _, test in GroupKFold(n_splits=n, shuffle=True, random_state=seed[0])
                .split(np.zeros(len(answer)), groups=repos)]

    train, _ = split(build(rows))
    idf, idf_default = idf_from(train)
    score_eval.TOPIC.clear()
    score_eval.TOPIC.append(topic_from(train))
    mine = [e for e in train if e.rubric == args.rubric]
    older = np.array([e.root not in newer for e in mine])
    from_file = len({e.root for e in mine if e.root in newer})
    print(f"{args.rubric}: {len({e.root for e in mine})} training originals, {from_file} from {args.file}; "
          f"{len({e.group for e in mine})} source repositories")
    plain_cv = learn.cross_validated
    arm = ["with"]

    def cross_validated(rows_: learn.Rows, y: np.ndarray, labels: np.ndarray, C: float, folds: int = OUTER,
                        fit_on: np.ndarray | None = None, deleted: np.ndarray | None = None,
                        pass_negatives: float | None = None) -> np.ndarray:
        if arm[0] == "without" and len(labels) == len(older):
            fit_on = older.copy() if fit_on is None else fit_on & older
        return plain_cv(rows_, y, labels, C, folds, fit_on, deleted, pass_negatives)

    learn._folds = by_source
    score_eval.cross_validated = cross_validated
    settings = SETTINGS[args.rubric]
    for name in ("without", "with"):
        arm[0] = name
        written = []
        for s in range(args.shuffles):
            seed[0] = s
            items, gate = score_eval.cv_parts(args.rubric, mine, idf, idf_default, settings.families, settings.C)
            verdicts = {i: v & gate for i, v in items.items()}
            f = figures(verdicts, mine)
            part = [figures({i: v[m] for i, v in verdicts.items()}, [e for e, k in zip(mine, m, strict=True) if k])
                    for m in (~older, older)]
            written.append(f.written)
            print(f"  {name:7s} shuffle {s}: {f.line()} | its answers {part[0].written:.3f}, "
                  f"the others {part[1].written:.3f}")
        print(f"  {name:7s} written {np.mean(written):.3f} +/- {np.std(written):.3f} over {args.shuffles} shuffles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
