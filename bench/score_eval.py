"""How well the trained structure model does on answers it was not fitted on; prints figures, asserts nothing.

Per rubric (STAR, design, concept), from the labelled answers in tests/data/answers/:
- grouped cross-validation on the training repositories (nested: each fold fits, calibrates and thresholds on
  the others; folds grouped by original answer, so an answer's variants never straddle folds): macro balanced
  accuracy of the written and the spoken variants, with bootstrap 95% intervals over original answers;
- the frozen test split (whole repositories, tests/data/answers/split.json) scored through the real scoring
  path, by the trained model (trained on the other repositories, as `python -m app.scoring.train` writes it) and
  by the cue scorer that is today's default, for comparison;
- the share of deleted components still called present, and of off-topic pairings keeping more than one item;
- a per-family ablation: the cross-validated figure with each feature family left out (or added);
- the dev set (../shared/data/answers-dev.jsonl, measure-only, never trained or tuned on) when it is there.

Run: .venv/bin/python bench/score_eval.py [--no-ablation]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.scoring.corpus import Example, build, load_rows, split  # noqa: E402
from app.scoring.learn import balanced_accuracy, bootstrap_interval, cross_validated  # noqa: E402
from app.scoring.rubrics import default_rubrics  # noqa: E402
from app.scoring.syntax import FAMILIES  # noqa: E402
from app.scoring.train import GATE_C, SETTINGS, featurised, idf_from  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "answers-dev.jsonl"


def macro(verdicts: dict[str, np.ndarray], examples: Sequence[Example], idx: np.ndarray) -> float:
    return float(np.mean([balanced_accuracy(np.array([examples[int(i)].labels[item] for i in idx]), v[idx])
                          for item, v in verdicts.items()]))


def figure(verdicts: dict[str, np.ndarray], examples: Sequence[Example], mask: np.ndarray) -> str:
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return "n/a"
    roots = [examples[int(i)].root for i in idx]
    lo, hi = bootstrap_interval(idx, roots, lambda sub: macro(verdicts, examples, idx[sub]))
    return f"{macro(verdicts, examples, idx):.3f} [{lo:.2f}, {hi:.2f}]"


def deletions(verdicts: dict[str, np.ndarray], examples: Sequence[Example], mask: np.ndarray) -> str:
    calls = [bool(verdicts[item][k]) for k, e in enumerate(examples) if mask[k] and e.how == "ablated"
             for item in e.ablated if item in verdicts]
    return f"{np.mean(calls):.0%} of {len(calls)}" if calls else "n/a"


def off_topic(verdicts: dict[str, np.ndarray], examples: Sequence[Example], mask: np.ndarray) -> str:
    kept = [sum(bool(v[k]) for v in verdicts.values()) for k, e in enumerate(examples)
            if mask[k] and e.how == "offtopic"]
    return f"{np.mean([n > 1 for n in kept]):.0%} of {len(kept)}" if kept else "n/a (no pairings)"


def cv_verdicts(rid: str, examples: list[Example], idf: dict[str, float], idf_default: float,
                families: Sequence[str], C: float) -> dict[str, np.ndarray]:
    data = featurised(default_rubrics()[rid], examples, idf, idf_default, families)
    gate = np.ones(len(examples), dtype=bool)
    if not data.on_topic.all():
        gate = cross_validated(data.gate_rows, data.on_topic, data.on_topic, GATE_C)
    return {item: cross_validated(data.rows, data.y[item], data.labels[item], C, fit_on=data.on_topic) & gate
            for item in data.y}


def test_verdicts(examples: Sequence[Example], scorer: str = "trained") -> dict[str, np.ndarray]:
    """Verdicts on the frozen test split through the real scoring path: the trained model (whose file trains on
    the other split) or the cue scorer (app.scoring.scorer, today's default)."""
    from app.scoring.scorer import score_answer as cue_scorer
    from app.scoring.trained import score_trained

    score_answer = score_trained if scorer == "trained" else cue_scorer
    out: dict[str, list[bool]] = {}
    for e in examples:
        if e.path == "written":
            r = score_answer(e.rubric, e.question, text="\n\n".join(s.text for s in e.sentences))
        else:
            r = score_answer(e.rubric, e.question, words=list(e.words))
        for v in r.items:
            out.setdefault(v.id, []).append(v.present)
    return {k: np.array(v) for k, v in out.items()}


def dev_figures() -> None:
    from app.scoring.scorer import score_answer as cue_scorer
    from app.scoring.trained import score_trained

    if not DEV.is_file():
        print("dev set: not found (measure-only, read from ../shared)")
        return
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    for kind, rid in (("behavioral", "star"), ("design", "design"), ("concept", "concept")):
        mine = [r for r in rows if r["kind"] == kind]
        if not mine:
            continue
        for name, score in (("trained", score_trained), ("cues", cue_scorer)):
            got = [{v.id: v.present for v in score(rid, r["question"], text=r["answer"]).items} for r in mine]
            bas = [balanced_accuracy(np.array([r["labels"][i] for r in mine]), np.array([g[i] for g in got]))
                   for i in mine[0]["labels"]]
            print(f"  dev {rid} {name}: macro balanced accuracy {np.mean(bas):.3f} on {len(mine)} answers "
                  "(measure-only; the cue patterns were revised while looking at these)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--no-ablation", action="store_true")
    args = ap.parse_args()
    train, test = split(build(load_rows()))
    idf, idf_default = idf_from(train)
    for rid, settings in SETTINGS.items():
        fams, C = settings.families, settings.C
        mine = [e for e in train if e.rubric == rid]
        v = cv_verdicts(rid, mine, idf, idf_default, fams, C)
        written = np.array([e.path == "written" and e.how != "offtopic" for e in mine])
        spoken = np.array([e.path != "written" and e.how != "offtopic" for e in mine])
        print(f"{rid}: families {'+'.join(fams)}, C={C}, {len({e.root for e in mine})} training originals")
        print(f"  CV   written {figure(v, mine, written)}  spoken {figure(v, mine, spoken)}  "
              f"deleted still present {deletions(v, mine, written)}  "
              f"off-topic >1 item {off_topic(v, mine, np.ones(len(mine), bool))}")
        held = [e for e in test if e.rubric == rid]
        hw = np.array([e.path == "written" and e.how != "offtopic" for e in held])
        hs = np.array([e.path != "written" and e.how != "offtopic" for e in held])
        for name in ("trained", "cues"):
            tv = test_verdicts(held, name)
            print(f"  TEST {name:7s} written {figure(tv, held, hw)}  spoken {figure(tv, held, hs)}  "
                  f"deleted still present {deletions(tv, held, hw)}  "
                  f"off-topic >1 item {off_topic(tv, held, np.ones(len(held), bool))}  "
                  f"({len({e.root for e in held})} originals)")
        if not args.no_ablation:
            for fam in FAMILIES:
                other = tuple(f for f in fams if f != fam) if fam in fams else (*fams, fam)
                if not other:
                    continue
                va = cv_verdicts(rid, mine, idf, idf_default, other, C)
                print(f"  ablation {'without' if fam in fams else 'with   '} {fam:4s}: CV written "
                      f"{macro(va, mine, np.flatnonzero(written)):.3f}")
    dev_figures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
