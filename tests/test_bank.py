"""The question bank: the bundled bank, every kind of validation problem (with file:line), and the CLI."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from app.bank import Bank, Problem, load_bank, validate
from app.cli import main
from app.errors import BankError
from app.paths import question_bank_dir

REQUIRED_PRESETS = ("ml-engineer-30", "behavioral-round", "system-design-round", "fundamentals-drill", "quick-3")


# -- the bundled bank -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Bank:
    bank, problems = validate(question_bank_dir())
    assert problems == []
    return bank


def test_bundled_bank_is_valid_and_large_enough(bundled: Bank) -> None:
    assert len(bundled.questions) >= 150
    for cat in bundled.categories:
        assert bundled.filter(category=cat), f"category {cat} has no questions"
    assert {q.category for q in bundled.questions.values()} == set(bundled.categories)
    assert set(REQUIRED_PRESETS) <= set(bundled.presets)
    # load_bank agrees with validate.
    assert load_bank(question_bank_dir()).questions.keys() == bundled.questions.keys()


@pytest.mark.parametrize("preset_id", REQUIRED_PRESETS)
def test_pick_returns_distinct_questions_matching_slots(bundled: Bank, preset_id: str) -> None:
    preset = bundled.presets[preset_id]
    for seed in range(25):
        picked = bundled.pick(preset_id, random.Random(seed))
        assert len(picked) == sum(s.count for s in preset.slots)
        assert len({q.id for q in picked}) == len(picked)
        expected = [s for s in preset.slots for _ in range(s.count)]
        for q, slot in zip(picked, expected, strict=True):
            assert q.category == slot.category
            assert slot.kind in (None, q.kind)
            assert slot.difficulty in (None, q.difficulty)


def test_pick_is_reproducible_with_a_seed(bundled: Bank) -> None:
    a = bundled.pick("ml-engineer-30", random.Random(3))
    b = bundled.pick("ml-engineer-30", random.Random(3))
    assert a == b


def test_pick_unknown_preset_raises_bank_error(bundled: Bank) -> None:
    with pytest.raises(BankError, match="unknown preset 'nope'"):
        bundled.pick("nope")


def test_pick_deep_learning_round_never_crashes(bundled: Bank) -> None:
    picked = bundled.pick("deep-learning-round", random.Random(228))  # a seed that hits the bad draw
    assert len(picked) == 5


# -- a minimal bank of our own --------------------------------------------------------------------------

CATEGORIES = """\
categories:
  - {id: alpha, name: Alpha}
  - {id: beta, name: Beta}
"""


def _q(qid: str, kind: str = "technical", difficulty: str = "easy", points: int = 3, extra: str = "") -> str:
    tps = "".join(f"      - point number {i}\n" for i in range(points)) if points else ""
    return (f"  - id: {qid}\n"
            f"    kind: {kind}\n"
            f"    difficulty: {difficulty}\n"
            f"    answer_time_s: 90\n"
            f"    text: Explain the idea behind {qid} in a few sentences.\n"
            f"{extra}"
            f"    talking_points:{'' if points else ' []'}\n{tps}")


ALPHA = ("category: alpha\nquestions:\n" + _q("alpha-one") + _q("alpha-two", kind="behavioral") + _q("alpha-three")
         + _q("alpha-four", difficulty="medium"))
BETA = "category: beta\nquestions:\n" + _q("beta-one", kind="design", difficulty="hard")
PRESETS = """\
presets:
  - id: mini
    name: Mini round
    description: two alpha, one beta
    slots:
      - {category: alpha, count: 2, kind: technical}
      - {category: beta, count: 1}
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def make_bank(tmp_path: Path):
    """Write the minimal bank into a fresh directory, with any files replaced."""
    counter = iter(range(100))

    def make(**overrides: str) -> Path:
        files = {"categories.yaml": CATEGORIES, "questions/alpha.yaml": ALPHA, "questions/beta.yaml": BETA,
                 "presets.yaml": PRESETS}
        files.update({k.replace("__", "/").replace("_yaml", ".yaml"): v for k, v in overrides.items()})
        return _write(tmp_path / f"bank{next(counter)}", files)

    return make


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing `needle`."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[nth - 1]


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_minimal_bank_is_valid(make_bank) -> None:
    bank, problems = validate(make_bank())
    assert problems == []
    assert set(bank.questions) == {"alpha-one", "alpha-two", "alpha-three", "alpha-four", "beta-one"}
    q = bank.questions["alpha-two"]
    assert (q.category, q.kind, q.rubric, q.answer_time_s) == ("alpha", "behavioral", "star", 90)
    assert q.talking_points == ("point number 0", "point number 1", "point number 2")
    assert q.source.endswith(f"alpha.yaml:{line_of(ALPHA, 'id: alpha-two')}")
    for seed in range(10):
        picked = bank.pick("mini", random.Random(seed))
        assert len({q.id for q in picked[:2]}) == 2
        assert {q.id for q in picked[:2]} <= {"alpha-one", "alpha-three", "alpha-four"}
        assert picked[2].id == "beta-one"


def test_yaml_syntax_error_reports_file_and_line(make_bank) -> None:
    broken = ALPHA.replace("text: Explain the idea behind alpha-two in a few sentences.",
                           "text: Explain: the idea: behind alpha-two")
    root = make_bank(questions__alpha_yaml=broken)
    problems = validate(root)[1]
    p = problems[0]
    assert p.path == root / "questions" / "alpha.yaml"
    assert p.line == line_of(broken, "behind alpha-two")
    assert "YAML syntax error" in p.message
    # The rest of the file is unusable, so the only other problem is the preset that drew from it.
    assert [x.path.name for x in problems[1:]] == ["presets.yaml"]


def test_duplicate_yaml_key_is_a_syntax_error(make_bank) -> None:
    broken = ALPHA.replace("    kind: behavioral\n", "    kind: behavioral\n    kind: technical\n")
    root = make_bank(questions__alpha_yaml=broken)
    p = validate(root)[1][0]
    assert p.path.name == "alpha.yaml"
    assert p.line == line_of(broken, "kind: technical", nth=2)
    assert "duplicate key 'kind'" in p.message


def test_duplicate_id_reports_second_occurrence_and_first(make_bank) -> None:
    beta = BETA + _q("alpha-three")  # same id as in alpha.yaml
    root = make_bank(questions__beta_yaml=beta)
    p = only(validate(root)[1])
    assert p.path == root / "questions" / "beta.yaml"
    assert p.line == line_of(beta, "id: alpha-three")
    assert "duplicate id 'alpha-three'" in p.message
    assert f"alpha.yaml:{line_of(ALPHA, 'id: alpha-three')}" in p.message  # where the first one is


def test_duplicate_id_within_one_file(make_bank) -> None:
    alpha = ALPHA + _q("alpha-one")
    root = make_bank(questions__alpha_yaml=alpha)
    p = only(validate(root)[1])
    assert p.line == line_of(alpha, "id: alpha-one", nth=2)
    assert f"alpha.yaml:{line_of(alpha, 'id: alpha-one')}" in p.message


def test_missing_field(make_bank) -> None:
    alpha = ALPHA.replace("    difficulty: easy\n", "", 1)  # from alpha-one
    root = make_bank(questions__alpha_yaml=alpha)
    p = only(validate(root)[1])
    assert p.line == line_of(alpha, "id: alpha-one")
    assert "alpha-one" in p.message and "missing field 'difficulty'" in p.message


def test_unknown_kind(make_bank) -> None:
    alpha = ALPHA.replace("kind: behavioral", "kind: oral")
    p = only(validate(make_bank(questions__alpha_yaml=alpha))[1])
    assert p.line == line_of(alpha, "kind: oral")
    assert "unknown kind 'oral'" in p.message and "behavioral, technical, design" in p.message


def test_unknown_category(make_bank) -> None:
    beta = BETA.replace("category: beta", "category: gamma")
    root = make_bank(questions__beta_yaml=beta)
    problems = validate(root)[1]
    # The question file is rejected; the preset slot drawing from 'beta' can then no longer be satisfied.
    p = problems[0]
    assert p.path == root / "questions" / "beta.yaml"
    assert p.line == 1 and "unknown category 'gamma'" in p.message
    assert [x.path.name for x in problems[1:]] == ["presets.yaml"]


@pytest.mark.parametrize("count", [2, 7, 0])
def test_bad_talking_points_count(make_bank, count: int) -> None:
    alpha = ALPHA.replace(_q("alpha-two", kind="behavioral"), _q("alpha-two", kind="behavioral", points=count))
    assert alpha != ALPHA
    problems = validate(make_bank(questions__alpha_yaml=alpha))[1]
    p = only(problems)
    assert p.line == line_of(alpha, "talking_points", nth=2)
    assert "talking_points must be a list of 3 to 6" in p.message


@pytest.mark.parametrize("points", [3, 6])
def test_talking_points_bounds_are_inclusive(make_bank, points: int) -> None:
    alpha = ALPHA.replace(_q("alpha-one"), _q("alpha-one", points=points))
    assert validate(make_bank(questions__alpha_yaml=alpha))[1] == []


def test_preset_slot_that_cannot_be_satisfied(make_bank) -> None:
    presets = PRESETS.replace("{category: alpha, count: 2, kind: technical}",
                              "{category: alpha, count: 4, kind: technical}")
    root = make_bank(presets_yaml=presets)
    p = only(validate(root)[1])
    assert p.path == root / "presets.yaml"
    assert p.line == line_of(presets, "count: 4")
    assert "asks for 4 question(s) but the bank has 3" in p.message


def test_preset_slot_with_unknown_category_and_bad_count(make_bank) -> None:
    presets = PRESETS.replace("{category: beta, count: 1}",
                              "{category: gamma, count: 1}\n      - {category: beta, count: 0}")
    problems = validate(make_bank(presets_yaml=presets))[1]
    assert [(p.line, p.message) for p in problems] == [
        (line_of(presets, "gamma"), "slot has an unknown category 'gamma'"),
        (line_of(presets, "count: 0"), "slot count must be a whole number >= 1"),
    ]


def test_preset_slots_together_asking_too_much_are_reported(make_bank) -> None:
    presets = PRESETS.replace("{category: beta, count: 1}", "{category: alpha, count: 2, kind: technical}")
    bank, problems = validate(make_bank(presets_yaml=presets))  # 2 + 2 technical alpha questions; bank has 3
    assert problems, "expected a problem for preset 'mini'"


def test_unknown_field(make_bank) -> None:
    alpha = ALPHA.replace("id: alpha-two\n", "id: alpha-two\n    hint: think about it\n")
    p = only(validate(make_bank(questions__alpha_yaml=alpha))[1])
    assert p.line == line_of(alpha, "hint:")
    assert p.message == "unknown field 'hint'"


def test_validate_reports_every_problem_at_once(make_bank) -> None:
    alpha = (ALPHA.replace("kind: behavioral", "kind: oral")
             .replace("id: alpha-three\n", "id: alpha-three\n    hint: x\n")
             .replace("answer_time_s: 90", "answer_time_s: 5", 1))
    beta = BETA + _q("beta-one", difficulty="impossible")
    root = make_bank(questions__alpha_yaml=alpha, questions__beta_yaml=beta)
    problems = validate(root)[1]
    got = [(p.path.name, p.line) for p in problems]
    assert ("alpha.yaml", line_of(alpha, "answer_time_s: 5")) in got
    assert ("alpha.yaml", line_of(alpha, "kind: oral")) in got
    assert ("alpha.yaml", line_of(alpha, "hint: x")) in got
    assert ("beta.yaml", line_of(beta, "difficulty: impossible")) in got
    assert ("presets.yaml", line_of(PRESETS, "category: alpha")) in got  # only 1 technical alpha left
    assert len(problems) == 5
    for p in problems:
        assert re.fullmatch(r".+:\d+: .+", str(p))

    with pytest.raises(BankError) as e:
        load_bank(root)
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith(f"question bank: {problems[0]}")
    assert "(+4 more; run `viva bank validate`)" in msg


def test_load_bank_single_problem_has_no_more_suffix(make_bank) -> None:
    alpha = ALPHA.replace("kind: behavioral", "kind: oral")
    with pytest.raises(BankError) as e:
        load_bank(make_bank(questions__alpha_yaml=alpha))
    assert "more;" not in str(e.value) and "unknown kind 'oral'" in str(e.value)
    assert e.value.exit_code == 5


def test_missing_files_are_reported(tmp_path: Path) -> None:
    problems = validate(tmp_path)[1]
    assert {(p.path.name, p.message) for p in problems} == {
        ("categories.yaml", "missing file"), ("questions", "no question files (*.yaml)"),
        ("presets.yaml", "missing file")}


# -- the CLI --------------------------------------------------------------------------------------------


def test_cli_bank_validate_reports_problems(make_bank, capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VIVA_HOME", str(tmp_path / "home"))
    alpha = ALPHA.replace("kind: behavioral", "kind: oral").replace("id: alpha-one\n", "id: alpha-one\n    x: 1\n")
    root = make_bank(questions__alpha_yaml=alpha)
    assert main(["bank", "validate", str(root)]) == 5
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    expected = {f"{root / 'questions' / 'alpha.yaml'}:{line_of(alpha, 'x: 1')}: unknown field 'x'",
                f"{root / 'questions' / 'alpha.yaml'}:{line_of(alpha, 'kind: oral')}: "
                "unknown kind 'oral' (expected one of behavioral, technical, design)"}
    assert set(lines[:-1]) == expected
    assert lines[-1] == f"2 problem(s) in {root}"


def test_cli_bank_validate_bundled_bank_ok(capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VIVA_HOME", str(tmp_path / "home"))
    assert main(["bank", "validate"]) == 0
    assert main(["bank", "validate", str(question_bank_dir())]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert re.search(r": ok - \d{3,} questions, 15 categories, \d+ presets", out)


def test_cli_bank_validate_not_a_directory(capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VIVA_HOME", str(tmp_path / "home"))
    assert main(["bank", "validate", str(tmp_path / "nowhere")]) == 1
    assert "not a question bank directory" in capsys.readouterr().err
