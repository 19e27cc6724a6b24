"""Combining the signals into per-item verdicts, a 0-100 score, advice and a follow-up question.

Rules that keep the verdicts honest:
- a verdict is "present" only with evidence: a sentence of the answer itself (with audio times if spoken);
- sentences addressed to the grader are removed first, so they can neither add nor remove anything;
- the LLM can confirm weak cue evidence but cannot, on its own, make an item present, so a weak model
  cannot inflate a score (weights below; see bench/score_dev.py for how they are measured).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from app.domain import ItemVerdict, RubricResult, Word
from app.scoring.cues import cue_hits, cue_strength
from app.scoring.guard import addresses_grader
from app.scoring.llm import Judge, prompt_version
from app.scoring.rubrics import Rubric, default_rubrics
from app.scoring.sentences import Sentence, from_text, from_words

CUE_WEIGHT = 0.75
LLM_WEIGHT = 0.25
THRESHOLD = 0.5


def score_answer(rubric_id: str, question: str, *, words: Sequence[Word] | None = None, text: str | None = None,
                 judge: Judge | None = None, rubrics: dict[str, Rubric] | None = None) -> RubricResult:
    """Score a spoken (`words`) or written (`text`) answer against one rubric."""
    rubric = (rubrics or default_rubrics())[rubric_id]
    all_sentences = from_words(words) if words is not None else from_text(text or "")
    kept = [s for s in all_sentences if not addresses_grader(s.text)]
    # Renumber so the LLM sees a clean 1..n list of the candidate's own sentences only.
    sentences = [Sentence(i, s.text, s.start, s.end) for i, s in enumerate(kept)]
    t0 = time.perf_counter()
    choices = judge.choose(rubric, question, sentences) if judge and sentences else {}
    llm_s = time.perf_counter() - t0

    verdicts = []
    for item in rubric.items:
        hits = cue_hits(item, sentences)
        chosen = choices.get(item.id, 0)
        llm_sentence = sentences[chosen - 1] if chosen else None
        # The LLM agrees when it points at a sentence that also carries cue evidence for this item.
        agrees = llm_sentence is not None and any(h.sentence.index == llm_sentence.index for h in hits)
        confidence = CUE_WEIGHT * cue_strength(hits) + LLM_WEIGHT * float(agrees)
        present = bool(hits) and confidence >= THRESHOLD
        evidence = tuple(h.sentence.evidence() for h in hits[:2]) if present else ()
        if present and agrees and llm_sentence is not None and llm_sentence.evidence() not in evidence:
            evidence = (llm_sentence.evidence(), *evidence[:1])
        verdicts.append(ItemVerdict(item.id, present, round(confidence if present else 1 - confidence, 3),
                                    evidence, "" if present else item.advice))

    score = round(100 * sum(v.present for v in verdicts) / len(verdicts))
    feedback = [v.advice for v in verdicts if not v.present]
    dropped = len(all_sentences) - len(kept)
    if dropped:
        feedback.append(f"{dropped} sentence(s) addressed to the grader were ignored.")
    return RubricResult(
        rubric=rubric.id,
        items=tuple(verdicts),
        score=score,
        feedback=tuple(feedback),
        model={"name": judge.name if judge else "none", "llm_s": round(llm_s, 3)},
        prompt_version=f"rubrics-v{rubric.version}/{prompt_version() if judge else 'cues-only'}",
    )


def follow_up(result: RubricResult, rubrics: dict[str, Rubric] | None = None) -> str | None:
    """The interviewer's follow-up for the first missing item (items are listed in order of importance)."""
    rubric = (rubrics or default_rubrics())[result.rubric]
    missing = {v.id for v in result.items if not v.present}
    return next((it.follow_up for it in rubric.items if it.id in missing), None)
