"""Rubric definitions, loaded from question_bank/rubrics.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.errors import BankError
from app.paths import question_bank_dir
from app.yamlsource import YamlSyntaxError, load_yaml


@dataclass(frozen=True)
class RubricItem:
    id: str
    name: str
    definition: str
    cues: tuple[re.Pattern[str], ...]
    advice: str
    follow_up: str


@dataclass(frozen=True)
class Rubric:
    id: str
    name: str
    version: int
    items: tuple[RubricItem, ...]


def load_rubrics(path: Path | None = None) -> dict[str, Rubric]:
    path = path or question_bank_dir() / "rubrics.yaml"
    try:
        data = load_yaml(path)
    except (YamlSyntaxError, OSError) as e:
        raise BankError(f"rubrics: {e}") from None
    out = {}
    for rid, r in data["rubrics"].items():
        items = []
        for it in r["items"]:
            try:
                cues = tuple(re.compile(c, re.IGNORECASE) for c in it["cues"])
            except re.error as e:
                raise BankError(f"{path}:{it.line}: bad cue pattern in {rid}.{it['id']}: {e}") from None
            items.append(RubricItem(it["id"], it["name"], it["definition"], cues, it["advice"], it["follow_up"]))
        out[rid] = Rubric(rid, r["name"], int(data["version"]), tuple(items))
    return out


@lru_cache(maxsize=1)
def default_rubrics() -> dict[str, Rubric]:
    return load_rubrics()
