"""Property-based: whatever is in a question bank file, validation reports problems with file and line
and never crashes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bank import validate
from app.paths import question_bank_dir

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.text(max_size=30))
values = st.recursive(scalars, lambda c: st.one_of(st.lists(c, max_size=4),
                                                    st.dictionaries(st.text(max_size=12), c, max_size=4)),
                      max_leaves=12)
question_keys = st.sampled_from(["id", "kind", "difficulty", "answer_time_s", "text", "talking_points", "extra"])
questions = st.lists(st.dictionaries(question_keys, values, max_size=7), max_size=4)


def _bank_with(questions_yaml: str) -> tuple[Path, Path]:
    root = Path(tempfile.mkdtemp())
    shutil.copy(question_bank_dir() / "categories.yaml", root / "categories.yaml")
    (root / "questions").mkdir()
    target = root / "questions" / "fuzz.yaml"
    target.write_text(questions_yaml, encoding="utf-8")
    (root / "presets.yaml").write_text("presets: []\n")
    return root, target


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qs=questions)
def test_structured_garbage_is_reported_not_raised(qs: list[dict[str, object]]) -> None:
    root, target = _bank_with(yaml.safe_dump({"category": "nlp", "questions": qs}, allow_unicode=True))
    try:
        bank, problems = validate(root)
        for p in problems:
            assert p.path.exists() and p.line >= 1 and p.message
        for q in bank.questions.values():
            assert q.kind in ("behavioral", "technical", "design") and 3 <= len(q.talking_points) <= 6
    finally:
        shutil.rmtree(root)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_reported_not_raised(text: str) -> None:
    root, target = _bank_with(text)
    try:
        _, problems = validate(root)
        assert all(p.line >= 1 for p in problems)
        assert problems, "a random file is never a valid question file"
    finally:
        shutil.rmtree(root)
