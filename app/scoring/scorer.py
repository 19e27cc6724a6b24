"""Combining the signals into per-item verdicts, a 0-100 score, advice and a follow-up question.

Rules that keep the verdicts honest:
- a verdict is "present" only with evidence: a sentence of the answer itself (with audio times if spoken)
  whose cue score for the item, after the LLM's bounded say, reaches THRESHOLD;
- text addressed to the grader is cut out first (from where it starts in its sentence), so it can neither
  add nor remove anything, and the LLM never sees it;
- the LLM is consulted only about *borderline* sentences (cue score in [LOW, HIGH)): its choice adds or
  subtracts at most LLM_SHIFT x trust, where trust is the model's agreement measured on the calibration
  set (llm.trust_for). So the LLM CAN confirm a sentence with weak cue evidence, veto one whose evidence is
  only medium, and pick which borderline sentence is cited. It CANNOT make an item present without cue
  evidence in the cited sentence, remove an item with strong evidence (score >= HIGH), cite a sentence the
  answerer did not say, or do anything at all with trust 0 (an unmeasured or weak model).

Figures behind the constants (bench/score_dev.py on the 22 labelled dev answers written by others; the cue
families were revised while looking at them, so also see the figures on answers written for Viva below):
THRESHOLD 0.5 sits between one weak cue (0.3) and one strong cue (0.75). The cue signal reaches macro balanced
accuracy 1.00 on STAR and 1.00 on the design checklist there, calls 0 of 7 deleted components present and
changes no verdict under 10 kinds of appended grader-directed text (220 variants). On the built-in
calibration set (22 answers) it agrees with every label; on 10 further answers written as a held-out check
it got 33 of 38 item verdicts right before the last revision of the cues (numbers spelled out in a spoken
result, a negation reaching across "and", "think of a ...").
SmolLM2-135M's own choices score 0.62 (STAR; 0.50 on every item with absent examples) and 0.50 (design) on
the dev answers, and 0.50 on every rubric of the calibration set: it points at some sentence for every item
of every answer (all 7 deleted components "present"). Gemma-3-270M is no better. Their measured trust is
0, so the default combined scorer equals the cue signal and does not call the model.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from app.domain import ItemVerdict, RubricResult, Word
from app.scoring.cues import CueHit, sentence_scores
from app.scoring.guard import grader_text_start
from app.scoring.llm import Judge, has_say, prompt_version, trust_for
from app.scoring.rubrics import Rubric, RubricItem, default_rubrics
from app.scoring.sentences import split_text, split_words

THRESHOLD = 0.5
LOW = 0.3  # below: no cue evidence worth asking about; the LLM is not consulted
HIGH = 0.75  # from here: strong evidence the LLM cannot overturn
LLM_SHIFT = 0.25  # the most a fully trusted LLM moves a borderline sentence's score
MAX_CANDIDATES = 3  # borderline sentences shown to the LLM per item
MAX_EVIDENCE = 2


def _llm_adjusted(judge: Judge, rubric: Rubric, question: str, hits: dict[str, list[CueHit]]
                  ) -> tuple[dict[str, dict[int, float]], int]:
    """Per item, the LLM-adjusted score of each borderline sentence (by index); and the number of items asked.

    One `choose` call covers every item that has borderline sentences, over the union of those sentences in
    answer order, so a model sees one shared numbered list (and llama.cpp evaluates it once per answer).
    """
    asked: dict[str, tuple[float, list[CueHit]]] = {}
    for item in rubric.items:
        trust = trust_for(judge, rubric.id, item.id)
        candidates = [h for h in hits[item.id] if LOW <= h.score < HIGH][:MAX_CANDIDATES]
        if trust > 0 and candidates:
            asked[item.id] = (trust, candidates)
    if not asked:
        return {}, 0
    shown = sorted({h.sentence.index: h.sentence for _, c in asked.values() for h in c}.values(),
                   key=lambda s: s.index)
    sub = Rubric(rubric.id, rubric.name, rubric.version, tuple(it for it in rubric.items if it.id in asked))
    chosen = judge.choose(sub, question, shown)
    out: dict[str, dict[int, float]] = {}
    for item_id, (trust, candidates) in asked.items():
        k = chosen.get(item_id)
        if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k <= len(shown):
            continue  # a reply that is not a sentence number (or 0) is no opinion
        pick = shown[k - 1].index if k else None
        out[item_id] = {h.sentence.index: h.score + LLM_SHIFT * trust * (1 if h.sentence.index == pick else -1)
                        for h in candidates}
    return out, len(asked)


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
    """Score a spoken (`words`) or written (`text`) answer against one rubric."""
    rubric = (rubrics or default_rubrics())[rubric_id]
    guard = grader_text_start
    sentences, touched = split_words(words, guard) if words is not None else split_text(text or "", guard)
    hits = sentence_scores(rubric, sentences, question)
    t0 = time.perf_counter()
    # A judge is loaded (and a missing or broken one is an error) only when it has a say: one whose measured
    # trust is 0 everywhere, like the bundled model, is never loaded.
    adjusted: dict[str, dict[int, float]] = {}
    calls = 0
    if judge is not None and has_say(judge):
        load = getattr(judge, "load", None)
        if callable(load):
            load()
        adjusted, calls = _llm_adjusted(judge, rubric, question, hits)
    llm_s = time.perf_counter() - t0

    verdicts = [_verdict(item, hits[item.id], adjusted.get(item.id, {})) for item in rubric.items]
    score = round(100 * sum(v.present for v in verdicts) / len(verdicts))
    feedback = [v.advice for v in verdicts if not v.present]
    if touched:
        feedback.append(f"{touched} sentence(s) addressed to the grader were ignored.")
    model: dict[str, object] = {"name": judge.name if judge else "none", "llm_s": round(llm_s, 3),
                                "llm_calls": calls}
    if judge is not None:
        model["trust"] = round(sum(trust_for(judge, rubric.id, it.id) for it in rubric.items) / len(rubric.items), 3)
    return RubricResult(
        rubric=rubric.id,
        items=tuple(verdicts),
        score=score,
        feedback=tuple(feedback),
        model=model,
        prompt_version=f"rubrics-v{rubric.version}/{prompt_version() if judge else 'cues-only'}",
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
