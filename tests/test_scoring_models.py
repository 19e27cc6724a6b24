"""The scorer with the real GGUF models: SmolLM2-135M (the default) and Gemma-3-270M, through LlamaJudge."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain import RubricResult
from app.paths import models_dir
from app.scoring.llm import LlamaJudge, measured_trust, prompt_version
from app.scoring.model import default_model
from app.scoring.rubrics import default_rubrics
from app.scoring.scorer import score_answer
from app.scoring.selfcheck import load_calibration, self_check
from app.scoring.sentences import from_text

pytestmark = pytest.mark.models

SMOLLM = models_dir() / "smollm2-135m-instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"
GEMMA = models_dir() / "gemma3-270m" / "gemma-3-270m-q4_k_m.gguf"

# Borderline evidence on purpose (a "we" action, a feature store, bare "monitoring"), so a trusted model is asked.
DESIGN = ("I'd measure success with the click-through rate. We'd start with something simple. "
          "Features would live in a feature store. Later we'd add monitoring.")
STAR = ("Last year our checkout started failing at peak hours. My job was to find out why. "
        "We looked at the logs together and I rewrote the retry logic. Failed checkouts dropped by 80 percent.")


@pytest.fixture(scope="module")
def smollm() -> LlamaJudge:
    judge = LlamaJudge(SMOLLM, n_threads=2, name="smollm2-135m-instruct")
    judge.load()
    return judge


def well_formed(r: RubricResult, answer: str, rubric: str) -> None:
    assert [v.id for v in r.items] == [it.id for it in default_rubrics()[rubric].items]
    assert 0 <= r.score <= 100
    for v in r.items:
        assert v.present == bool(v.evidence)
        assert 0.0 <= v.confidence <= 1.0
        assert all(e.text in answer for e in v.evidence)
        assert v.present or v.advice
    version = default_rubrics()[rubric].version
    assert r.prompt_version == f"rubrics-v{version}/{default_model().stamp}/{prompt_version()}"


def test_default_model_has_measured_trust_zero_so_verdicts_are_the_cues(smollm: LlamaJudge) -> None:
    # SmolLM2's own verdicts agree with the calibration labels no better than chance (bench/score_dev.py,
    # `viva score --self-check`), so prompts/judge_trust.yaml gives it no say and it is not even called.
    assert measured_trust("smollm2-135m-instruct") and not any(measured_trust("smollm2-135m-instruct").values())
    for rubric, answer in (("design", DESIGN), ("star", STAR)):
        cues = score_answer(rubric, "q", text=answer)
        combined = score_answer(rubric, "q", text=answer, judge=smollm)
        assert [(v.id, v.present, v.evidence) for v in combined.items] == \
            [(v.id, v.present, v.evidence) for v in cues.items]
        assert combined.model["name"] == "smollm2-135m-instruct" and combined.model["llm_calls"] == 0
        well_formed(combined, answer, rubric)


def test_default_model_choices_are_valid_sentence_numbers(smollm: LlamaJudge) -> None:
    sentences = from_text(STAR)
    chosen = smollm.choose(default_rubrics()["star"], "Tell me about an outage.", sentences)
    assert set(chosen) == {"situation", "task", "action", "result"}
    assert all(isinstance(v, int) and 0 <= v <= len(sentences) for v in chosen.values())


def test_default_model_when_trusted_stays_within_its_bounds() -> None:
    judge = LlamaJudge(SMOLLM, n_threads=2, name="smollm2-135m-instruct", trust={"*": 1.0})
    r = score_answer("design", "Design a feed ranker.", text=DESIGN, judge=judge)
    well_formed(r, DESIGN, "design")
    assert r.model["llm_calls"] >= 1
    assert next(v for v in r.items if v.id == "metric").present  # strong cue evidence: out of the model's reach


def test_gemma_runs_through_the_same_code_path() -> None:
    judge = LlamaJudge(GEMMA, n_threads=2, name="gemma3-270m", trust={"*": 1.0})
    for rubric, answer in (("design", DESIGN), ("star", STAR)):
        r = score_answer(rubric, "Tell me about it.", text=answer, judge=judge)
        well_formed(r, answer, rubric)
        assert r.model["name"] == "gemma3-270m"
    assert judge.calls >= 1 and judge.load_s > 0
    chosen = judge.choose(default_rubrics()["star"], "q", from_text(STAR))
    assert all(0 <= v <= 4 for v in chosen.values())


def test_self_check_with_the_default_model(smollm: LlamaJudge) -> None:
    answers = [a for a in load_calibration() if a.rubric == "design"][:4]
    report = self_check(smollm, answers)
    (design,) = report.rubrics
    assert report.model == "smollm2-135m-instruct" and design.answers == 4
    assert design.llm is not None and 0.0 <= design.llm <= 1.0
    assert set(design.trust) == {"metric", "baseline", "skew", "monitoring"}
    assert all(0.0 <= t <= 1.0 for t in design.trust.values())
    assert design.combined == design.cues  # trust 0: the scorer is the cue signal


def test_a_missing_or_broken_model_file_is_a_model_error_with_or_without_a_say(tmp_path: Path) -> None:
    """The user's set-up to fix, said at once: even a model with no say (never loaded) must be there and look
    like a GGUF model."""
    from app.errors import ModelError

    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 100)  # magic, but format version 0
    for path in (tmp_path / "absent.gguf", broken):
        for trust in (1.0, 0.0):
            with pytest.raises(ModelError, match="make setup"):
                score_answer("design", "q", text=DESIGN, judge=LlamaJudge(path, trust={"*": trust}))


def test_a_model_without_a_say_is_never_loaded() -> None:
    # Measured trust 0 (the bundled model's): scoring neither loads nor calls it.
    judge = LlamaJudge(SMOLLM, trust={"*": 0.0})
    r = score_answer("design", "q", text=DESIGN, judge=judge)
    assert judge._llm is None and r.model["llm_calls"] == 0
    assert [v.present for v in r.items] == [v.present for v in score_answer("design", "q", text=DESIGN).items]


def test_reworded_follow_up_from_a_real_model_is_one_question_or_the_template() -> None:
    from app.scoring.scorer import follow_up

    judge = LlamaJudge(SMOLLM, n_threads=2, name="smollm2-135m-instruct", trust={"*": 0.9})
    r = score_answer("design", "Design a feed ranker.", text="I'd measure success with click-through rate.")
    text = follow_up(r, judge=judge, question="Design a feed ranker.")
    assert text is not None and text.endswith("?") and text.count("?") == 1 and ":" not in text
