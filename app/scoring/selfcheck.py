"""How far to trust the configured model: its agreement with the labels of the built-in calibration set.

`viva score --self-check` runs three signals over question_bank/calibration.yaml and reports, per rubric,
balanced accuracy (per item: the mean of the recall of present and of absent items; then averaged):
- llm: the model's own verdicts (an item is present when the model points at a sentence for it);
- combined: what `score_answer` returns with this model (the rubric's default scorer plus the model's bounded say);
- cues: the cue scorer alone (written alongside this set, so an optimistic figure).
The model's measured trust per item is max(0, 2 * llm balanced accuracy - 1): 0 for a model no better
than chance, and 0 for an item with fewer than MIN_PER_CLASS present and absent examples in the set (too
few to tell luck from skill). prompts/judge_trust.yaml records it for the models Viva ships; `save_trust`
records it for the user's own models in their data directory (`viva score --self-check --save-trust`).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.errors import BankError, StoreError
from app.paths import question_bank_dir
from app.scoring.guard import grader_text_span
from app.scoring.llm import Judge, prompt_version, trust_table
from app.scoring.rubrics import Rubric, default_rubrics
from app.scoring.scorer import score_answer, score_cues
from app.scoring.sentences import split_text
from app.yamlsource import YamlSyntaxError, load_yaml

MIN_PER_CLASS = 3


@dataclass(frozen=True)
class CalibrationAnswer:
    id: str
    rubric: str
    question: str
    answer: str
    labels: dict[str, bool]


@dataclass(frozen=True)
class RubricAgreement:
    rubric: str
    answers: int
    cues: float
    llm: float | None  # None without a model
    combined: float
    llm_items: dict[str, float]
    trust: dict[str, float]  # measured: max(0, 2 * llm_items - 1)

    def to_dict(self) -> dict[str, Any]:
        return {"rubric": self.rubric, "answers": self.answers, "balanced_accuracy": {
            "llm": self.llm, "combined": self.combined, "cues": self.cues}, "llm_items": self.llm_items,
            "measured_trust": self.trust}


@dataclass(frozen=True)
class SelfCheck:
    model: str
    prompt_version: str
    rubrics: tuple[RubricAgreement, ...]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "prompt_version": self.prompt_version, "seconds": round(self.seconds, 2),
                "rubrics": [r.to_dict() for r in self.rubrics]}

    @property
    def trust(self) -> dict[str, float]:
        """The measured trust per "rubric.item", as trust tables record it."""
        return {f"{r.rubric}.{item}": t for r in self.rubrics for item, t in r.trust.items()}


def load_calibration(path: Path | None = None, rubrics: dict[str, Rubric] | None = None) -> list[CalibrationAnswer]:
    path = path or question_bank_dir() / "calibration.yaml"
    rubrics = rubrics or default_rubrics()
    try:
        data = load_yaml(path)
    except (YamlSyntaxError, OSError) as e:
        raise BankError(f"calibration set: {e}") from None
    out = []
    for a in data.get("answers", []):
        where = f"{path}:{getattr(a, 'line', 0)}"
        rubric = rubrics.get(a.get("rubric", ""))
        if rubric is None or not a.get("answer") or not a.get("question"):
            raise BankError(f"{where}: each answer needs a known rubric, a question and an answer")
        if set(a.get("labels", {})) != {it.id for it in rubric.items}:
            raise BankError(f"{where}: labels must name each item of {rubric.id}: "
                            f"{', '.join(it.id for it in rubric.items)}")
        out.append(CalibrationAnswer(a["id"], rubric.id, a["question"], a["answer"],
                                     {k: bool(v) for k, v in a["labels"].items()}))
    return out


def balanced_accuracy(pairs: Sequence[tuple[bool, bool]]) -> float:
    """Mean recall of the classes present among `pairs` of (label, predicted)."""
    recalls = []
    for cls in (True, False):
        of_cls = [p for label, p in pairs if label is cls]
        if of_cls:
            recalls.append(sum(p is cls for p in of_cls) / len(of_cls))
    return sum(recalls) / len(recalls) if recalls else 0.0


def llm_verdicts(judge: Judge, rubric: Rubric, question: str, answer: str) -> dict[str, bool]:
    """The model's own verdicts: present where it points at a sentence (grader-directed text removed)."""
    sentences, _ = split_text(answer, grader_text_span)
    return {k: v > 0 for k, v in judge.choose(rubric, question, sentences).items()}


def self_check(judge: Judge | None, answers: Sequence[CalibrationAnswer] | None = None,
               rubrics: dict[str, Rubric] | None = None) -> SelfCheck:
    rubrics = rubrics or default_rubrics()
    answers = list(answers) if answers is not None else load_calibration(rubrics=rubrics)
    t0 = time.perf_counter()
    out = []
    for rid in dict.fromkeys(a.rubric for a in answers):
        rubric = rubrics[rid]
        pairs: dict[str, dict[str, list[tuple[bool, bool]]]] = {"cues": {}, "llm": {}, "combined": {}}
        mine = [a for a in answers if a.rubric == rid]
        for a in mine:
            got = {"cues": {v.id: v.present for v in score_cues(rid, a.question, text=a.answer,
                                                                 rubrics=rubrics).items}}
            if judge is not None:
                got["llm"] = llm_verdicts(judge, rubric, a.question, a.answer)
                got["combined"] = {v.id: v.present for v in score_answer(rid, a.question, text=a.answer,
                                                                          judge=judge, rubrics=rubrics).items}
            else:
                got["combined"] = {v.id: v.present for v in score_answer(rid, a.question, text=a.answer,
                                                                          rubrics=rubrics).items}
            for signal, verdicts in got.items():
                for item, label in a.labels.items():
                    pairs[signal].setdefault(item, []).append((label, verdicts[item]))
        ba = {signal: {item: round(balanced_accuracy(p), 3) for item, p in items.items()}
              for signal, items in pairs.items()}
        llm_items = ba["llm"]
        enough = {item for item, p in pairs["cues"].items()
                  if min(sum(label for label, _ in p), sum(not label for label, _ in p)) >= MIN_PER_CLASS}
        out.append(RubricAgreement(
            rid, len(mine), round(statistics.mean(ba["cues"].values()), 3),
            round(statistics.mean(llm_items.values()), 3) if llm_items else None,
            round(statistics.mean(ba["combined"].values()), 3), llm_items,
            {item: round(max(0.0, 2 * v - 1), 3) if item in enough else 0.0 for item, v in llm_items.items()},
        ))
    return SelfCheck(judge.name if judge is not None else "none", prompt_version(), tuple(out),
                     time.perf_counter() - t0)


TRUST_HEADER = """\
# Trust measured for your own judge models by `viva score --self-check --save-trust` (or `viva rescore`):
# per rubric item, max(0, 2 * balanced accuracy - 1) of the model's own verdicts on Viva's calibration set.
# Valid only for the prompt version below; Viva measures again when its prompt changes.
"""


def save_trust(path: Path, report: SelfCheck) -> None:
    """Record `report`'s measured trust for its model in the trust table at `path` (the user's own, in the
    data directory), keeping the other models measured with the same prompt. Written atomically."""
    if report.model == "none":
        raise ValueError("a self-check without a model measures no trust")
    models = trust_table(path) if report.prompt_version == prompt_version() else {}
    models[report.model] = {**models.get(report.model, {}), **report.trust}
    text = TRUST_HEADER + yaml.safe_dump({"prompt": report.prompt_version, "models": models}, sort_keys=False)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        raise StoreError(f"cannot save the measured trust to {path} ({e.strerror or e})") from None
