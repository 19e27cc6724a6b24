"""Scoring an answer against a rubric: per-item verdicts with evidence, a 0-100 score, advice, a follow-up.

`score_answer` uses, per rubric, the scorer that grouped cross-validation on the labelled answers found better
(bench/score_eval.py; the choice is recorded in the structure model file, see app/scoring/trained.py): the
trained structure model, or the cue scorer here (`score_cues`). Rules both keep:
- a verdict is "present" only with evidence: a sentence of the answer itself (with audio times if spoken)
  whose score for the item, after the LLM's bounded say (app/scoring/llm_say.py), reaches the threshold;
- text addressed to the grader is cut out first (from where it starts in its sentence), so it can neither
  add nor remove anything, and the LLM never sees it;
- a judge is loaded and consulted only when it has a say (measured trust above 0): the bundled SmolLM2 has
  trust 0 (its own choices are no better than chance on the calibration set), so it is never called.

The cue scorer: a sentence's cue score combines the rubric's cue patterns (rubrics.yaml) and sentence features
as a noisy OR (app/scoring/cues.py); THRESHOLD 0.5 sits between one weak cue (0.3) and one strong cue (0.75).
Its figures, and why it stays the default where it does, are printed by bench/score_eval.py and summarised in
the README.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from app.domain import ItemVerdict, RubricResult, Word
from app.scoring.cues import CueHit, sentence_scores
from app.scoring.guard import grader_text_span
from app.scoring.llm import Judge, prompt_version, trust_for
from app.scoring.llm_say import HIGH, LLM_SHIFT, LOW, MAX_CANDIDATES, THRESHOLD, judged
from app.scoring.model import GATED, default_model
from app.scoring.rubrics import Rubric, RubricItem, default_rubrics
from app.scoring.sentences import split_text, split_words
from app.scoring.trained import gate_and_items, score_trained, scorer_for

__all__ = ["HIGH", "LLM_SHIFT", "LOW", "MAX_CANDIDATES", "THRESHOLD", "follow_up", "score_answer", "score_cues"]
MAX_EVIDENCE = 2


def _verdict(item: RubricItem, hits: list[CueHit], adjusted: dict[int, float]) -> ItemVerdict:
    scored = sorted(((adjusted.get(h.sentence.index, h.score), h.sentence) for h in hits),
                    key=lambda x: (-x[0], x[1].index))
    best = scored[0][0] if scored else 0.0
    present = best >= THRESHOLD
    evidence = tuple(s.evidence() for score, s in scored[:MAX_EVIDENCE] if score >= THRESHOLD)
    confidence = min(1.0, best) if present else 1.0 - min(best, THRESHOLD)
    return ItemVerdict(item.id, present, round(confidence, 3), evidence, "" if present else item.advice)


def score_answer(rubric_id: str, question: str, *, words: Sequence[Word] | None = None, text: str | None = None,
                 judge: Judge | None = None, rubrics: dict[str, Rubric] | None = None) -> RubricResult:
    """Score a spoken (`words`) or written (`text`) answer against one rubric, with the scorer chosen for that
    rubric by cross-validation (recorded in the structure model file, app/scoring/trained.py): the trained
    model, or the cue scorer (score_cues)."""
    rubric = (rubrics or default_rubrics())[rubric_id]
    choice = scorer_for(rubric)
    if choice == "trained":
        return score_trained(rubric_id, question, words=words, text=text, judge=judge, rubrics=rubrics)
    return score_cues(rubric_id, question, words=words, text=text, judge=judge, rubrics=rubrics,
                      gate=choice in GATED, confirm=choice == "cues+trained")


def score_cues(rubric_id: str, question: str, *, words: Sequence[Word] | None = None, text: str | None = None,
               judge: Judge | None = None, rubrics: dict[str, Rubric] | None = None,
               gate: bool = False, confirm: bool = False) -> RubricResult:
    """Score a spoken (`words`) or written (`text`) answer against one rubric with the cue scorer; with `gate`,
    behind the trained on-topic gate (an answer it finds off topic shows no item and the judge is not asked);
    with `confirm` also, an item stays present only where the trained item classifier finds it in some sentence
    too (its evidence is still the sentences the cues scored above the threshold)."""
    rubric = (rubrics or default_rubrics())[rubric_id]
    guard = grader_text_span
    sentences, touched = split_words(words, guard) if words is not None else split_text(text or "", guard)
    hits = sentence_scores(rubric, sentences, question)
    on_topic, found = gate_and_items(rubric, sentences, question) if gate or confirm else (True, set())
    on_topic = on_topic or not gate
    if not on_topic:
        hits = {item.id: [] for item in rubric.items}
    elif confirm:
        hits = {item: h if item in found else [] for item, h in hits.items()}
    t0 = time.perf_counter()
    adjusted, calls = judged(judge, rubric, question, hits, on_topic)
    llm_s = time.perf_counter() - t0

    verdicts = [_verdict(item, hits[item.id], adjusted.get(item.id, {})) for item in rubric.items]
    score = round(100 * sum(v.present for v in verdicts) / len(verdicts))
    feedback = [v.advice for v in verdicts if not v.present]
    if touched:
        feedback.append(f"{touched} sentence(s) addressed to the grader were ignored.")
    if not on_topic:
        feedback.append("The answer does not seem to be about the question asked.")
    model: dict[str, object] = {"name": judge.name if judge else "none", "llm_s": round(llm_s, 3),
                                "llm_calls": calls}
    if judge is not None:
        model["trust"] = round(sum(trust_for(judge, rubric.id, it.id) for it in rubric.items) / len(rubric.items), 3)
    # The structure model's stamp covers the cue code and patterns, the features, the guard and its detector
    # (and the trained weights, which decide too with `gate` or `confirm`): any change to them shows.
    model["structure"] = default_model().stamp
    version = f"rubrics-v{rubric.version}/{model['structure']}/{prompt_version() if judge else 'cues-only'}"
    return RubricResult(
        rubric=rubric.id,
        items=tuple(verdicts),
        score=score,
        feedback=tuple(feedback),
        model=model,
        prompt_version=version,
    )


CAPABLE_TRUST = 0.6  # mean measured trust from which a model may reword the follow-up question


def follow_up(result: RubricResult, rubrics: dict[str, Rubric] | None = None, *, judge: Judge | None = None,
              question: str = "") -> str | None:
    """The interviewer's follow-up for the first missing item (items are listed in order of importance).

    The per-item template is used as is, unless `judge` is a model measured as capable (mean trust for the
    rubric >= CAPABLE_TRUST) that can `paraphrase`: then it is reworded to fit the question, falling back to
    the template when the reply is not a single question.
    """
    rubric = (rubrics or default_rubrics())[result.rubric]
    missing = {v.id for v in result.items if not v.present}
    item = next((it for it in rubric.items if it.id in missing), None)
    if item is None:
        return None
    paraphrase = getattr(judge, "paraphrase", None)
    capable = judge is not None and sum(trust_for(judge, rubric.id, it.id) for it in rubric.items) \
        >= CAPABLE_TRUST * len(rubric.items)
    if capable and callable(paraphrase) and question:
        reworded = paraphrase(question, item, item.follow_up)
        if isinstance(reworded, str) and reworded:
            return reworded
    return item.follow_up
