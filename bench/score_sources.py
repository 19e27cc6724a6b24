"""Whether a labelled-answer file helps on answers from sources the model never saw; prints figures, asserts
nothing.

bench/score_eval.py cross-validates with folds grouped by original answer, so the answers of one repository
(one author's style) sit on both sides of a fold. Here the outer folds hold out whole source repositories of the
training side (tests/data/answers/split.json; the frozen test repositories are never read), shuffled `--shuffles`
times. Two arms are scored on the same held-out folds: "without" fits (and calibrates and thresholds) only on the
answers that are not in `--file`, "with" on every training answer. Printed: each arm's out-of-fold macro balanced
accuracy (written and spoken, bootstrap intervals over original answers), the share of deleted parts still called
present, and the written figure on the file's own answers and on the others, per shuffle and as mean +/- std.
The gate (design and concept; STAR's story gate) is held out by the same folds and fitted on every training
answer in both arms.

Run: .venv/bin/python bench/score_sources.py [--rubric star] [--file answers-grown4.jsonl] [--shuffles 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.score_eval as score_eval  # noqa: E402
from app.scoring.corpus import DATA_DIR, build, load_rows, read_jsonl, split  # noqa: E402
from app.scoring.learn import Outer  # noqa: E402
from app.scoring.train import SETTINGS, idf_from, topic_from  # noqa: E402
from bench.score_common import figures  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--rubric", choices=sorted(SETTINGS), default="star")
    ap.add_argument("--file", default="answers-grown4.jsonl", help="the labelled-answer file the 'without' arm omits")
    ap.add_argument("--shuffles", type=int, default=3)
    args = ap.parse_args()
    rows = load_rows()
    newer = {r["id"] for r in read_jsonl(DATA_DIR / args.file)}
    train, _ = split(build(rows))
    idf, idf_default = idf_from(train)
    score_eval.TOPIC.clear()
    score_eval.TOPIC.append(topic_from(train))
    mine = [e for e in train if e.rubric == args.rubric]
    older = np.array([e.root not in newer for e in mine])
    repos = np.array([e.group for e in mine])
    from_file = len({e.root for e, old in zip(mine, older, strict=True) if not old})
    print(f"{args.rubric}: {len({e.root for e in mine})} training originals, {from_file} from {args.file}; "
          f"{len(set(repos.tolist()))} source repositories")
    settings = SETTINGS[args.rubric]
    for name, fit_on in (("without", older), ("with", None)):
        written = []
        for s in range(args.shuffles):
            items, gate = score_eval.cv_parts(args.rubric, mine, idf, idf_default, settings.families, settings.C,
                                              outer=Outer(groups=repos, seed=s), fit_on=fit_on)
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
