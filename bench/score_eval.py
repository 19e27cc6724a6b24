"""Which structure scorer to use per rubric, and how well it does on answers it was not fitted on; prints figures,
asserts nothing.

Per rubric (STAR, design, concept), from the labelled answers in tests/data/answers/:
- grouped cross-validation of the trained model on the training repositories (nested: each fold fits,
  calibrates and thresholds on the others; folds grouped by original answer, so an answer's variants never
  straddle folds), beside the cue scorer on the same answers (it is not trained, so its figure on them is its
  cross-validated figure): macro balanced accuracy of the written and the spoken variants with bootstrap 95%
  intervals over original answers, the share of deleted components still called present, and of off-topic
  pairings keeping more than one item; the same for the cue scorer behind the trained on-topic gate (its
  out-of-fold verdicts), and the cue scorer with each item also confirmed by the trained classifier's out-of-fold
  verdict ("cues+trained"); then the choice these figures make (score_common.choose; no gated scorer while the
  committed gate turns away genuine calibration answers that have items) beside the one recorded in
  app/scoring/train.DEFAULTS;
- the frozen test split (whole repositories, tests/data/answers/split.json) through the real scoring path,
  `score_answer` (the recorded choice; with --other also the scorers not chosen);
- with --ablation, the cross-validated figure with each feature family left out (or added); with --grid, a
  small coordinate search over the families and C by the same cross-validation;
- the dev set (../shared/data/answers-dev.jsonl, measure-only, never trained or tuned on) when it is there.

Run: .venv/bin/python bench/score_eval.py [--ablation] [--grid] [--items] [--rubric star]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.scoring.corpus import Example, build, load_rows, read_jsonl, split  # noqa: E402
from app.scoring.learn import Outer, Rows, answer_best, balanced_accuracy, cross_validated, fit_item, folds  # noqa: E402
from app.scoring.model import QUESTION_SIDE, gate_names, meaning_lemmas, question_side  # noqa: E402
from app.scoring.rubrics import default_rubrics  # noqa: E402
from app.scoring.scorer import score_answer, score_cues  # noqa: E402
from app.scoring.syntax import FAMILIES  # noqa: E402
from app.scoring.topic import TopicSpace  # noqa: E402
from app.scoring.train import (  # noqa: E402
    DEFAULTS,
    GATE_C,
    GATE_PASS_OFFTOPIC,
    POOL_KIND,
    SETTINGS,
    RubricData,
    _lemma_bag,
    _matrix,
    bank_questions_of,
    featurised,
    idf_from,
    topic_from,
)
from app.scoring.trained import score_trained  # noqa: E402
from bench.score_common import OFF, OFFTOPIC_MAX, Figures, Verdicts, choose, figures, macro, path_verdicts  # noqa: E402

MIN_GAIN = 0.01
DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "answers-dev.jsonl"


def cv_verdicts(rid: str, examples: list[Example], idf: dict[str, float], idf_default: float,
                families: Sequence[str], C: float, deletions: bool | None = None, outer: Outer | None = None,
                by_source: bool | None = None) -> Verdicts:
    items, gate = cv_parts(rid, examples, idf, idf_default, families, C, deletions, outer, by_source=by_source)
    return {item: v & gate for item, v in items.items()}


TOPIC: list[TopicSpace] = []  # the meaning space fitted on the training repositories (main sets it)


def cv_parts(rid: str, examples: list[Example], idf: dict[str, float], idf_default: float,
             families: Sequence[str], C: float, deletions: bool | None = None, outer: Outer | None = None,
             fit_on: np.ndarray | None = None, by_source: bool | None = None) -> tuple[Verdicts, np.ndarray]:
    """Out-of-fold item verdicts (before the gate) and out-of-fold on-topic gate verdicts. `deletions`: whether
    thresholds count deletions as a class (default: the recorded setting); `outer`: the held-out folds
    (default: grouped by original answer); `fit_on`: the answers the item classifiers may be fitted on (default:
    every on-topic one; the gate likewise, among all the answers); `by_source`: whether the item classifiers
    calibrate on folds by source repository (learn.fit_item; default: the recorded setting). The meaning space
    of the relevance features is fitted on all the training repositories' text at once (unsupervised, a small
    leak: bench/score_relevance.py fits it per fold); the question-side features' reference pool is per fold
    (gate_cv)."""
    deletions = SETTINGS[rid].deletions if deletions is None else deletions
    by_source = SETTINGS[rid].by_source if by_source is None else by_source
    data = featurised(default_rubrics()[rid], examples, idf, idf_default, families, topic=TOPIC[0] if TOPIC else None)
    gate = np.ones(len(examples), dtype=bool)
    if not data.on_topic.all():
        # the floor is computed from all these answers' pairings at once (a low percentile: a small leak)
        gate = gate_cv(rid, data, outer, fit_on) | (data.foreign < data.gate_floor())
    usable = data.on_topic if fit_on is None else data.on_topic & fit_on
    return {item: cross_validated(data.rows, data.y[item], data.labels[item], C, outer, fit_on=usable,
                                  deleted=data.deleted[item] if deletions else None, by_source=by_source)
            for item in data.y}, gate


def gate_cv(rid: str, data: RubricData, outer: Outer | None = None, fit_on: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold on-topic gate verdicts (the folds of learn.cross_validated, `outer`; fitted only on the answers
    `fit_on` marks, default all). Where the gate uses the
    question-side features (model.QUESTION_SIDE), each fold computes them against a reference pool of its own
    training answers' questions and the bank's (as train.topic_from builds it from all of them): a held-out
    answer's own question is not in the pool, as an answer to a question Viva has never seen would not be."""
    pass_negatives = GATE_PASS_OFFTOPIC.get(rid)
    if not TOPIC or not set(QUESTION_SIDE) & set(gate_names(rid)):
        return cross_validated(data.gate_rows, data.on_topic, data.on_topic, GATE_C, outer, fit_on=fit_on,
                               pass_negatives=pass_negatives)
    examples, rows = data.examples, data.gate_rows
    lemmas = [meaning_lemmas(e.question, e.sentences) for e in examples]
    base = [dict(zip(data.gate_vectorizer.get_feature_names_out(), rows.X[k].toarray()[0], strict=True))
            for k in range(len(examples))]
    bank = bank_questions_of(POOL_KIND[rid])
    verdict = np.zeros(len(examples), dtype=bool)
    answers = np.arange(len(examples))
    outer = outer or Outer()
    for test_rows in folds(rows.groups if outer.groups is None else outer.groups, rows.answer, outer.k, outer.seed):
        held = np.unique(rows.answer[test_rows])
        rest = np.setdiff1d(answers if fit_on is None else answers[fit_on], held)
        roots = {examples[k].root for k in rest}
        pool = sorted({e.question for e in examples if e.how == "original" and e.root in roots} | set(bank))
        space = TOPIC[0].with_pool({rid: [_lemma_bag([q]) for q in pool]})
        feats = [{**f, **question_side(space, rid, *lemmas[k])} if lemmas[k][0] else f for k, f in enumerate(base)]
        fold_rows = Rows(_matrix(data.gate_vectorizer, feats), rows.answer, rows.groups)
        train, _ = fold_rows.take(rest)
        fit = fit_item(train, data.on_topic[rest], data.on_topic[rest], GATE_C, pass_negatives=pass_negatives)
        test, _ = fold_rows.take(held)
        verdict[held] = answer_best(fit.probabilities(test.X), test.answer, len(held)) >= fit.threshold
    return verdict


def outers(args: argparse.Namespace, examples: Sequence[Example]) -> list[Outer]:
    """The held-out folds `--by` asks for: grouped by original answer (one fixed split), or by source
    repository (`--shuffles` shuffled splits; a repository's answers are all held out together)."""
    if args.by == "answer":
        return [Outer()]
    repos = np.array([e.group for e in examples])
    return [Outer(groups=repos, seed=s) for s in range(args.shuffles)]


def cv_candidates(rid: str, mine: list[Example], idf: dict[str, float], idf_default: float, cue_v: Verdicts,
                  outer: Outer) -> dict[str, Figures]:
    """The cross-validated figures of every scorer on `mine`: the trained model, the cue scorer, and where the
    rubric has a gate, the cue scorer behind it and with each item also confirmed by the trained classifier's
    out-of-fold verdict (scorer.score_cues confirm)."""
    items, gate = cv_parts(rid, mine, idf, idf_default, SETTINGS[rid].families, SETTINGS[rid].C, outer=outer)
    out = {"trained": figures({i: v & gate for i, v in items.items()}, mine), "cues": figures(cue_v, mine)}
    if not gate.all():
        out["cues+gate"] = figures({i: v & gate for i, v in cue_v.items()}, mine)
        out["cues+trained"] = figures({i: v & items[i] & gate for i, v in cue_v.items()}, mine)
    return out


def mean_figures(runs: Sequence[dict[str, Figures]]) -> dict[str, Figures]:
    """Each scorer's figures averaged over runs (shuffled splits): interval ends averaged too."""
    if len(runs) == 1:
        return dict(runs[0])

    def mean(values: Sequence[float]) -> float:
        return float(np.mean(values))

    return {name: Figures(mean([r[name].written for r in runs]),
                          (mean([r[name].written_ci[0] for r in runs]), mean([r[name].written_ci[1] for r in runs])),
                          mean([r[name].spoken for r in runs]),
                          (mean([r[name].spoken_ci[0] for r in runs]), mean([r[name].spoken_ci[1] for r in runs])),
                          mean([r[name].deleted for r in runs]), runs[0][name].deletions,
                          mean([r[name].offtopic for r in runs]), runs[0][name].pairings,
                          {i: (mean([r[name].items[i][0] for r in runs]), mean([r[name].items[i][1] for r in runs]))
                           for i in runs[0][name].items})
            for name in runs[0]}


def cv_mean(rid: str, mine: list[Example], idf: dict[str, float], idf_default: float, splits: Sequence[Outer],
            **settings: Any) -> Figures:
    """The trained model's cross-validated figures with `settings` (cv_verdicts' keywords), averaged over
    `splits`."""
    return mean_figures([{"v": figures(cv_verdicts(rid, mine, idf, idf_default, outer=o, **settings), mine)}
                         for o in splits])["v"]


def written_ba(v: Verdicts, examples: Sequence[Example]) -> float:
    return macro(v, examples, np.flatnonzero([e.path == "written" and e.how not in OFF for e in examples]))


def grid(rid: str, mine: list[Example], idf: dict[str, float], idf_default: float,
         splits: Sequence[Outer] = (Outer(),)) -> None:
    """Coordinate search from the recorded setting: toggle one family or change C and keep the best move if it
    gains at least MIN_GAIN (smaller gains are within the noise of a few dozen answers); at most twice. Each
    setting's figure is its written balanced accuracy averaged over `splits`."""

    def score(families: set[str], C: float) -> float:
        return float(np.mean([written_ba(cv_verdicts(rid, mine, idf, idf_default, sorted(families), C, outer=o), mine)
                              for o in splits]))

    fams, C = set(SETTINGS[rid].families), SETTINGS[rid].C
    best = score(fams, C)
    print(f"  grid start {'+'.join(sorted(fams))} C={C}: CV written {best:.3f}")
    for _ in range(2):
        trials = [(fams ^ {f}, C) for f in FAMILIES if fams ^ {f}] + [(fams, c) for c in (0.1, 0.3, 1.0, 3.0) if c != C]
        scored = [(score(f, c), sorted(f), c) for f, c in trials]
        for value, f, c in scored:
            print(f"    {'+'.join(f)} C={c}: {value:.3f}")
        top = max(scored, key=lambda t: t[0])
        print(f"  grid best move {'+'.join(top[1])} C={top[2]}: CV written {top[0]:.3f}")
        if top[0] < best + MIN_GAIN:
            break
        best, fams, C = top[0], set(top[1]), top[2]


def calibration_rejections(rid: str) -> tuple[int, int, int, int]:
    """How many genuine answers of the built-in calibration set (written for Viva, each to its own question) the
    committed gate turns away, how many it judges at all (an answer with too little vocabulary of its own is not
    gated), and how many of those turned away have items labelled present, of how many with items."""
    from app.scoring.selfcheck import load_calibration
    from app.scoring.sentences import split_text
    from app.scoring.trained import default_model

    rubric, model = default_rubrics()[rid], default_model()
    mine = [a for a in load_calibration() if a.rubric == rid]
    scored = [(a, model.score(rubric, a.question, split_text(a.answer)[0])) for a in mine]
    out = [a for a, s in scored if not s.is_on_topic()]
    return (len(out), sum(s.gated for _, s in scored), sum(any(a.labels.values()) for a in out),
            sum(any(a.labels.values()) for a in mine))


def calibration_vetoes(rid: str) -> tuple[int, int]:
    """Of the built-in calibration set's items labelled present that the gated cue scorer finds, how many the
    committed item classifiers do not confirm (scorer.score_cues `confirm`), and of how many."""
    from app.scoring.selfcheck import load_calibration

    vetoed = found = 0
    for a in (a for a in load_calibration() if a.rubric == rid):
        gated = {v.id: v.present for v in score_cues(rid, a.question, text=a.answer, gate=True).items}
        confirmed = {v.id: v.present for v in score_cues(rid, a.question, text=a.answer, gate=True,
                                                         confirm=True).items}
        found += sum(bool(lab and gated[i]) for i, lab in a.labels.items())
        vetoed += sum(bool(lab and gated[i] and not confirmed[i]) for i, lab in a.labels.items())
    return vetoed, found


BANK_PAIRS = Path(__file__).resolve().parent / "score_bank_pairs.json"
# The most genuine answers to a bank question a default's gate may turn away: as many as the off-topic answers a
# default may let keep more than one item (score_common.OFFTOPIC_MAX).
BANK_REJECT_MAX = OFFTOPIC_MAX


def bank_rejections(rid: str, test_side: bool) -> tuple[int, int, int]:
    """How many genuine answers paired with the bank question on their topic (bench/score_bank_pairs.json) the
    committed gate turns away, of how many, and how many of those have items labelled present; training-side
    originals (the figure a default is chosen by) or frozen-split ones (measure-only)."""
    from app.scoring.sentences import split_text
    from app.scoring.trained import answer_on_topic

    rows, bank, mapping = _bank_rows(rid, test_side)
    out = [r for r in rows if not answer_on_topic(default_rubrics()[rid], split_text(r["answer"])[0],
                                                  bank[mapping[r["id"]]])]
    return len(out), len(rows), sum(any(r["labels"].values()) for r in out)


BANK_OTHERS = 6  # bank questions of other categories each mapped answer is also given to


def bank_offtopic(rid: str) -> tuple[int, int, int]:
    """The same answers (both sides) given to BANK_OTHERS questions of the bank from other categories than the
    one on their topic (a fixed pseudo-random pick): how many the committed gate lets through, how many of those
    the default scorer leaves more than one item, of how many pairings. Off-topic pairings in the app's own
    wording, which is longer and more generic than the training questions."""
    import zlib

    from app.scoring.sentences import split_text
    from app.scoring.trained import answer_on_topic
    from bench.score_relevance import bank_categories

    rows, bank, mapping = _bank_rows(rid, None)
    cats, kinds = bank_categories()
    kind = "design" if rid == "design" else "technical"
    passed = kept = n = 0
    for r in rows:
        own = mapping[r["id"]]
        others = sorted((q for q in bank if kinds[q] == kind and cats[q] != cats[own]),
                        key=lambda q: zlib.crc32((r["id"] + q).encode()))[:BANK_OTHERS]
        for q in others:
            n += 1
            if answer_on_topic(default_rubrics()[rid], split_text(r["answer"])[0], bank[q]):
                passed += 1
                kept += sum(v.present for v in score_answer(rid, bank[q], text=r["answer"]).items) > 1
    return passed, kept, n


def _bank_rows(rid: str, test_side: bool | None) -> tuple[list[dict], dict[str, str], dict[str, str]]:
    from app.scoring.corpus import repository, test_repositories
    from bench.score_relevance import bank_questions

    mapping = json.loads(BANK_PAIRS.read_text(encoding="utf-8")).get(rid, {})
    frozen = test_repositories()
    rows = [r for r in load_rows() if r["id"] in mapping and
            (test_side is None or (repository(r) in frozen) == test_side)]
    return rows, bank_questions(), mapping


def dev_figures() -> None:
    if not DEV.is_file():
        print("dev set: not found (measure-only, read from ../shared)")
        return
    rows = read_jsonl(DEV)
    for kind, rid in (("behavioral", "star"), ("design", "design"), ("concept", "concept")):
        mine = [r for r in rows if r["kind"] == kind]
        if not mine:
            continue
        for name, score in (("trained", score_trained), ("cues", score_cues)):
            got = [{v.id: v.present for v in score(rid, r["question"], text=r["answer"]).items} for r in mine]
            bas = [balanced_accuracy(np.array([r["labels"][i] for r in mine]), np.array([g[i] for g in got]))
                   for i in mine[0]["labels"]]
            print(f"  dev {rid} {name}: macro balanced accuracy {np.mean(bas):.3f} on {len(mine)} answers "
                  "(measure-only; the cue patterns were revised while looking at these)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--rubric", choices=sorted(SETTINGS))
    ap.add_argument("--cv-only", action="store_true", help="no frozen-split figures (while choosing settings)")
    ap.add_argument("--items", action="store_true", help="also each item's figures (written balanced accuracy, "
                    "deleted copies still calling it present)")
    ap.add_argument("--other", action="store_true", help="also the frozen-split figures of the scorers not chosen")
    ap.add_argument("--by", choices=("answer", "source"), default="answer",
                    help="hold out folds grouped by original answer, or by source repository (default: %(default)s)")
    ap.add_argument("--shuffles", type=int, default=3, help="with --by source: how many shuffled splits")
    args = ap.parse_args()
    train, test = split(build(load_rows()))
    idf, idf_default = idf_from(train)
    TOPIC.append(topic_from(train))
    for rid, settings in SETTINGS.items():
        if args.rubric and rid != args.rubric:
            continue
        fams, C = settings.families, settings.C
        mine = [e for e in train if e.rubric == rid]
        print(f"{rid}: families {'+'.join(fams)}, C={C}, {len({e.root for e in mine})} training originals, "
              f"{len(mine)} examples")
        cue_v = path_verdicts(mine, score_cues)
        runs = [cv_candidates(rid, mine, idf, idf_default, cue_v, outer) for outer in outers(args, mine)]
        for k, run in enumerate(runs):
            for name, f in run.items():
                print(f"  CV{'' if len(runs) == 1 else f' shuffle {k}'} {name:9s} {f.line()}")
                if args.items:
                    print(f"      per item (written): {f.items_line()}")
        candidates = mean_figures(runs)
        if len(runs) > 1:
            for name, f in candidates.items():
                print(f"  CV mean of {len(runs)} shuffles {name:9s} {f.line()}")
        allowed = candidates
        if "cues+gate" in candidates:
            turned, judged, with_items, mine_with_items = calibration_rejections(rid)
            print(f"  the committed gate turns away {turned} of the {judged} calibration answers it judges, given to "
                  f"their own question ({with_items} of the {mine_with_items} with items present)")
            bank_out, bank_n, _ = bank_rejections(rid, test_side=False)
            test_out, test_n, _ = bank_rejections(rid, test_side=True)
            if bank_n + test_n:
                frozen = "" if args.cv_only else f" (frozen side, measure-only: {test_out} of {test_n})"
                print(f"  the committed gate turns away {bank_out} of {bank_n} training-side genuine answers given "
                      f"to the bank question on their topic{frozen}")
                passed, kept, pairs = bank_offtopic(rid)
                print(f"  given to bank questions of other categories instead, the committed gate lets {passed} of "
                      f"{pairs} through and the default scorer leaves {kept} of {pairs} more than one item")
            if with_items or bank_out > BANK_REJECT_MAX * bank_n:
                # it would cost genuine answers their items: no gated scorer (the trained one is gated too). Not
                # pooled: Viva's own calibration answers are what the self-check reports (app.scoring.selfcheck;
                # tests/test_scoring_models.py), and one turned away shows as a lost answer there.
                allowed = {"cues": candidates["cues"]}
            vetoed, found = calibration_vetoes(rid)
            print(f"  the committed item classifiers veto {vetoed} of the {found} calibration items labelled present "
                  "that the gated cue scorer finds (cues+trained)")
            if vetoed:  # they would cost genuine answers items, as a gate turning them away would
                allowed = {n: f for n, f in allowed.items() if n != "cues+trained"}
        choice = choose(allowed)
        print(f"  CV choice: {choice}; recorded in train.DEFAULTS: {DEFAULTS[rid]}"
              + ("" if choice == DEFAULTS[rid] else "  <- differs: update DEFAULTS and retrain"))
        held = [e for e in test if e.rubric == rid and not args.cv_only]
        if not args.cv_only:
            f = figures(path_verdicts(held, score_answer), held)
            originals = len({e.root for e in held if e.how not in OFF})  # not the answers only paired with it
            print(f"  TEST default ({DEFAULTS[rid]})  {f.line()}  ({originals} originals)")
            if args.items:
                print(f"      per item (written): {f.items_line()}")
        if args.other and not args.cv_only:
            for name, score in (("trained", score_trained), ("cues", score_cues),
                                ("cues+gate", partial(score_cues, gate=True)),
                                ("cues+trained", partial(score_cues, gate=True, confirm=True))):
                if name != DEFAULTS[rid]:
                    f = figures(path_verdicts(held, score), held)
                    print(f"  TEST {name} (not the default)  {f.line()}")
                    if args.items:
                        print(f"      per item (written): {f.items_line()}")
        if args.ablation:
            splits = outers(args, mine)
            cv = partial(cv_mean, rid, mine, idf, idf_default, splits)
            other = not settings.deletions
            print(f"  ablation thresholds {'paying' if other else 'not paying'} for deletions (learn."
                  f"deletion_balanced_accuracy): CV trained {cv(families=fams, C=C, deletions=other).line()}")
            print(f"  ablation calibrating by {'answer' if settings.by_source else 'source repository'} instead "
                  f"(learn.fit_item by_source): CV trained "
                  f"{cv(families=fams, C=C, by_source=not settings.by_source).line()}")
            for fam in FAMILIES:
                changed = tuple(f for f in fams if f != fam) if fam in fams else (*fams, fam)
                if changed:
                    f = cv(families=changed, C=C)
                    print(f"  ablation {'without' if fam in fams else 'with   '} {fam:4s}: CV written "
                          f"{f.written:.3f} (spoken {f.spoken:.3f}, deleted still present {f.deleted:.0%})")
        if args.grid:
            grid(rid, mine, idf, idf_default, outers(args, mine))
    if not args.rubric:
        dev_figures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
