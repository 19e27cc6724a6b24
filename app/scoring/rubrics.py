"""Rubric definitions, loaded and validated from question_bank/rubrics.yaml (errors name file:line)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.errors import BankError
from app.paths import question_bank_dir
from app.scoring.features import FEATURES, TOPIC
from app.yamlsource import YamlSyntaxError, load_yaml

# How much one cue of each strength counts; cues in one sentence combine as a noisy OR (1 - prod(1 - w)).
# One strong cue is evidence on its own, a medium one sits exactly at the 0.5 threshold, a weak one needs a
# second cue in the same sentence (two weak: 0.51) or the "yes" of an LLM measured to be trustworthy.
STRENGTHS: dict[str, float] = {"strong": 0.75, "medium": 0.5, "weak": 0.3}
_TEXT_FIELDS = ("id", "name", "definition", "advice", "follow_up")


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float
    family: str  # strong | medium | weak


@dataclass(frozen=True)
class RubricItem:
    id: str
    name: str
    definition: str
    cues: tuple[Cue, ...]
    advice: str
    follow_up: str
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    features: tuple[tuple[str, float], ...] = ()  # (feature name, weight), see app/scoring/features.py
    opening: float = 0.0  # weight of "a sentence among the first three that shows no other item strongly"
    opening_past: bool = False  # ... that must also be in the past tense
    negatable: bool = True  # False: a cue after "no"/"never"/"without" still counts


@dataclass(frozen=True)
class Rubric:
    id: str
    name: str
    version: int
    items: tuple[RubricItem, ...]

    def item(self, item_id: str) -> RubricItem:
        return next(it for it in self.items if it.id == item_id)


def _line(node: Any, key: str | None = None) -> int:
    if key is not None and hasattr(node, "key_lines") and key in node.key_lines:
        return int(node.key_lines[key])
    return int(getattr(node, "line", 0))


def _item(path: Path, rid: str, it: Any) -> RubricItem:
    where = f"{path}:{_line(it)}"
    if not isinstance(it, dict):
        raise BankError(f"{where}: each item of rubric {rid} must be a mapping")
    for key in (*_TEXT_FIELDS, "cues", "positive", "negative"):
        if not it.get(key):
            raise BankError(f"{where}: rubric item {rid}.{it.get('id', '?')} needs a non-empty {key!r}")
    for key in _TEXT_FIELDS:
        if not isinstance(it[key], str):
            raise BankError(f"{path}:{_line(it, key)}: {rid}.{it['id']}.{key} must be text")
    for key in ("positive", "negative"):
        if not isinstance(it[key], list) or not all(isinstance(x, str) and x.strip() for x in it[key]):
            raise BankError(f"{path}:{_line(it, key)}: {rid}.{it['id']}.{key} must be a list of example sentences")
    cues_node = it["cues"]
    if not isinstance(cues_node, dict) or set(cues_node) - set(STRENGTHS):
        raise BankError(f"{path}:{_line(it, 'cues')}: {rid}.{it['id']}.cues must map "
                        f"{', '.join(STRENGTHS)} to lists of patterns")
    cues = []
    for family, patterns in cues_node.items():
        for k, c in enumerate(patterns or []):
            try:
                cues.append(Cue(re.compile(c, re.IGNORECASE), STRENGTHS[family], family))
            except (re.error, TypeError) as e:
                line = getattr(patterns, "line", _line(cues_node, family) + 1) + k
                raise BankError(f"{path}:{line}: bad cue pattern in {rid}.{it['id']}: {e}") from None
    feats = it.get("features") or {}
    for name, w in feats.items():
        if (name not in FEATURES and name != TOPIC) or not isinstance(w, int | float) or not 0 <= w <= 1:
            raise BankError(f"{path}:{_line(feats, name)}: {rid}.{it['id']}: unknown feature {name!r} or weight "
                            f"not in 0..1 (features: {', '.join([*FEATURES, TOPIC])})")
    opening = it.get("opening", 0.0)
    if isinstance(opening, dict):
        weight, past = opening.get("weight", 0.0), opening.get("tense") == "past"
    else:
        weight, past = opening, False
    if not isinstance(weight, int | float) or not 0 <= weight <= 1:
        raise BankError(f"{path}:{_line(it, 'opening')}: {rid}.{it['id']}.opening must be a weight in 0..1")
    return RubricItem(
        it["id"], it["name"], it["definition"].strip(), tuple(cues), it["advice"].strip(), it["follow_up"].strip(),
        tuple(x.strip() for x in it["positive"]), tuple(x.strip() for x in it["negative"]),
        tuple((str(k), float(v)) for k, v in feats.items()), float(weight), past,
        it.get("negation", "applies") != "ignored",
    )


def load_rubrics(path: Path | None = None) -> dict[str, Rubric]:
    path = path or question_bank_dir() / "rubrics.yaml"
    try:
        data = load_yaml(path)
    except (YamlSyntaxError, OSError) as e:
        raise BankError(f"rubrics: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rubrics"), dict) or "version" not in data:
        raise BankError(f"{path}:1: expected `version:` and a `rubrics:` mapping")
    out = {}
    for rid, r in data["rubrics"].items():
        if not isinstance(r, dict) or not r.get("items"):
            raise BankError(f"{path}:{_line(data['rubrics'], rid)}: rubric {rid} needs a name and items")
        items = tuple(_item(path, rid, it) for it in r["items"])
        ids = [it.id for it in items]
        if len(set(ids)) != len(ids):
            raise BankError(f"{path}:{_line(r)}: rubric {rid} has duplicate item ids")
        out[rid] = Rubric(rid, r.get("name", rid), int(data["version"]), items)
    return out


@lru_cache(maxsize=1)
def default_rubrics() -> dict[str, Rubric]:
    return load_rubrics()
