"""The question bank: categories, questions and interview presets, loaded from YAML and validated.

Every problem is reported with its file and line; `validate` collects them all rather than stopping at
the first, so a user fixing a bank sees the whole list at once.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain import DIFFICULTIES, KINDS, Preset, PresetSlot, Question
from app.errors import BankError
from app.yamlsource import LineDict, YamlSyntaxError, line_of, load_yaml

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
QUESTION_FIELDS = ("id", "kind", "difficulty", "answer_time_s", "text", "talking_points")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Bank:
    categories: dict[str, str]  # id -> display name
    questions: dict[str, Question]
    presets: dict[str, Preset]

    def filter(self, category: str | None = None, kind: str | None = None,
               difficulty: str | None = None) -> list[Question]:
        return [
            q for q in self.questions.values()
            if (category is None or q.category == category)
            and (kind is None or q.kind == kind)
            and (difficulty is None or q.difficulty == difficulty)
        ]

    def pick(self, preset_id: str, rng: random.Random | None = None) -> list[Question]:
        """Questions for one run of a preset, in slot order, never the same question twice."""
        if preset_id not in self.presets:
            raise BankError(f"unknown preset {preset_id!r}; known: {', '.join(sorted(self.presets))}")
        picked = allocate(self, self.presets[preset_id].slots, rng or random.Random())
        if picked is None:
            raise BankError(f"preset {preset_id!r} asks for more questions than the bank has")
        return [q for per_slot in picked for q in per_slot]


def _specificity(slot: PresetSlot) -> int:
    return (slot.kind is not None) + (slot.difficulty is not None)


def allocate(bank: Bank, slots: Sequence[PresetSlot], rng: random.Random) -> list[list[Question]] | None:
    """Distinct questions for each slot (None if impossible). The most constrained slots draw first, so a
    broad slot never takes the only questions a narrow one could use."""
    out: list[list[Question]] = [[] for _ in slots]
    taken: set[str] = set()
    for i in sorted(range(len(slots)), key=lambda k: -_specificity(slots[k])):
        s = slots[i]
        pool = [q for q in bank.filter(s.category, s.kind, s.difficulty) if q.id not in taken]
        if len(pool) < s.count:
            return None
        out[i] = rng.sample(pool, s.count)
        taken.update(q.id for q in out[i])
    return out


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))


def _load(path: Path, c: _Collector) -> Any:
    try:
        return load_yaml(path)
    except YamlSyntaxError as e:
        c.add(e.path, e.line, e.message)
    except OSError as e:
        c.add(path, 1, f"cannot read: {e.strerror}")
    return None


def _categories(root: Path, c: _Collector) -> dict[str, str]:
    path = root / "categories.yaml"
    if not path.exists():
        c.add(path, 1, "missing file")
        return {}
    data = _load(path, c)
    if data is None:
        return {}
    if not isinstance(data, LineDict) or not isinstance(data.get("categories"), list):
        c.add(path, line_of(data), "expected a mapping with a 'categories' list")
        return {}
    out: dict[str, str] = {}
    for item in data["categories"]:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
            c.add(path, line_of(item), "each category needs an 'id' and a 'name'")
            continue
        if item["id"] in out:
            c.add(path, line_of(item, "id"), f"duplicate category id {item['id']!r}")
        out[item["id"]] = str(item.get("name", item["id"]))
    return out


def _question(path: Path, category: str, q: Any, c: _Collector) -> Question | None:
    if not isinstance(q, LineDict):
        c.add(path, line_of(q), "each question must be a mapping")
        return None
    ok = True
    for f in QUESTION_FIELDS:
        if f not in q:
            c.add(path, q.line, f"question {q.get('id', '?')!r} is missing field '{f}'")
            ok = False
    for key in q:
        if key not in QUESTION_FIELDS:
            c.add(path, line_of(q, key), f"unknown field '{key}'")
            ok = False
    if not ok:
        return None
    checks: list[tuple[bool, str, str]] = [
        (isinstance(q["id"], str) and bool(ID_RE.match(q["id"])), "id",
         f"id {q['id']!r} must be lowercase letters, digits and hyphens"),
        (q["kind"] in KINDS, "kind", f"unknown kind {q['kind']!r} (expected one of {', '.join(KINDS)})"),
        (q["difficulty"] in DIFFICULTIES, "difficulty",
         f"unknown difficulty {q['difficulty']!r} (expected one of {', '.join(DIFFICULTIES)})"),
        (isinstance(q["answer_time_s"], int) and 15 <= q["answer_time_s"] <= 1200, "answer_time_s",
         "answer_time_s must be a whole number of seconds between 15 and 1200"),
        (isinstance(q["text"], str) and len(q["text"].strip()) >= 10, "text", "text must be a sentence"),
        (isinstance(q["talking_points"], list) and 3 <= len(q["talking_points"]) <= 6
         and all(isinstance(t, str) and t.strip() for t in q["talking_points"]), "talking_points",
         "talking_points must be a list of 3 to 6 non-empty strings"),
    ]
    for good, key, message in checks:
        if not good:
            c.add(path, line_of(q, key), message)
            ok = False
    if not ok:
        return None
    return Question(
        id=q["id"], category=category, kind=q["kind"], difficulty=q["difficulty"],
        answer_time_s=q["answer_time_s"], text=" ".join(q["text"].split()),
        talking_points=tuple(" ".join(t.split()) for t in q["talking_points"]),
        source=f"{path}:{q.line}",
    )


def _questions(root: Path, categories: dict[str, str], c: _Collector) -> dict[str, Question]:
    out: dict[str, Question] = {}
    files = sorted((root / "questions").glob("*.yaml"))
    if not files:
        c.add(root / "questions", 1, "no question files (*.yaml)")
    for path in files:
        data = _load(path, c)
        if data is None:
            continue
        if not isinstance(data, LineDict) or "category" not in data or not isinstance(data.get("questions"), list):
            c.add(path, line_of(data), "expected a mapping with 'category' and a 'questions' list")
            continue
        category = data["category"]
        if category not in categories:
            c.add(path, line_of(data, "category"), f"unknown category {category!r} (see categories.yaml)")
            continue
        for raw in data["questions"]:
            q = _question(path, category, raw, c)
            if q is None:
                continue
            if q.id in out:
                c.add(path, line_of(raw, "id"), f"duplicate id {q.id!r} (first at {out[q.id].source})")
                continue
            out[q.id] = q
    return out


def _presets(root: Path, categories: dict[str, str], questions: dict[str, Question],
             c: _Collector) -> dict[str, Preset]:
    path = root / "presets.yaml"
    if not path.exists():
        c.add(path, 1, "missing file")
        return {}
    data = _load(path, c)
    if data is None:
        return {}
    if not isinstance(data, LineDict) or not isinstance(data.get("presets"), list):
        c.add(path, line_of(data), "expected a mapping with a 'presets' list")
        return {}
    out: dict[str, Preset] = {}
    for p in data["presets"]:
        if not isinstance(p, LineDict) or not all(k in p for k in ("id", "name", "slots")):
            c.add(path, line_of(p), "each preset needs 'id', 'name' and 'slots'")
            continue
        slots: list[PresetSlot] = []
        before = len(c.problems)
        for s in p["slots"] or []:
            if not isinstance(s, LineDict) or s.get("category") not in categories:
                got = s.get("category") if isinstance(s, dict) else s
                c.add(path, line_of(s), f"slot has an unknown category {got!r}")
                continue
            count = s.get("count", 1)
            slot = PresetSlot(s["category"], count if isinstance(count, int) else 0, s.get("kind"), s.get("difficulty"))
            available = sum(
                1 for q in questions.values()
                if q.category == slot.category and slot.kind in (None, q.kind)
                and slot.difficulty in (None, q.difficulty)
            )
            if slot.count < 1:
                c.add(path, line_of(s), "slot count must be a whole number >= 1")
            elif available < slot.count:
                c.add(path, line_of(s), f"slot asks for {slot.count} question(s) but the bank has {available}")
            slots.append(slot)
        partial = Bank(categories, questions, {})
        if len(c.problems) == before and slots and allocate(partial, slots, random.Random(0)) is None:
            c.add(path, line_of(p, "slots"), "the slots together ask for more distinct questions than the bank has")
        if p["id"] in out:
            c.add(path, line_of(p, "id"), f"duplicate preset id {p['id']!r}")
        out[p["id"]] = Preset(p["id"], str(p["name"]), str(p.get("description", "")), tuple(slots))
    return out


def validate(root: Path) -> tuple[Bank, list[Problem]]:
    """Load what can be loaded and list every problem found."""
    c = _Collector()
    categories = _categories(root, c)
    questions = _questions(root, categories, c)
    presets = _presets(root, categories, questions, c)
    return Bank(categories, questions, presets), c.problems


def load_bank(root: Path) -> Bank:
    """The bank, or a BankError whose one line names the first problem (and how many more there are)."""
    bank, problems = validate(root)
    if problems:
        more = f" (+{len(problems) - 1} more; run `viva bank validate`)" if len(problems) > 1 else ""
        raise BankError(f"question bank: {problems[0]}{more}")
    return bank
