"""Verdicts from the trained structure model (app/scoring/model.py), for measurement beside the cue scorer.

Not yet the default: on the frozen test split it does not beat the cue scorer (bench/score_eval.py prints both),
so `app.scoring.scorer.score_answer` still decides. The rules it follows are the ones the default would keep:
grader-directed text is cut out first (guard.py); an item is present when some sentence's calibrated
probability reaches the item's cross-validated threshold; the evidence is exactly those sentences (text and
audio times of the same sentence); the confidence is the calibrated probability; for design and concept an
on-topic gate gives an answer about another topic no item at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain import ItemVerdict, RubricResult, Word
from app.scoring.guard import grader_text_start
from app.scoring.model import StructureModel, default_model
from app.scoring.rubrics import Rubric, default_rubrics
from app.scoring.sentences import Sentence, split_text, split_words


@dataclass(frozen=True)
class SentenceScore:
    sentence: Sentence
    probability: float  # calibrated probability that the sentence shows the item


def sentence_probabilities(rubric: Rubric, sentences: Sequence[Sentence], question: str,
                           model: StructureModel | None = None) -> tuple[dict[str, list[SentenceScore]], bool]:
    """Per item, every scored sentence, most probable first; and whether the gate found the answer on topic."""
    model = model or default_model()
    scored = model.score(rubric, question, sentences)
    on_topic = scored.on_topic >= scored.gate_threshold
    out = {}
    for item in rubric.items:
        hits = [SentenceScore(s, p) for s, p in zip(sentences, scored.probabilities[item.id], strict=True)
                if p is not None]
        out[item.id] = sorted(hits, key=lambda h: (-h.probability, h.sentence.index))
    return out, on_topic


def score_trained(rubric_id: str, question: str, *, words: Sequence[Word] | None = None, text: str | None = None,
                  model: StructureModel | None = None, rubrics: dict[str, Rubric] | None = None) -> RubricResult:
    """Score a spoken (`words`) or written (`text`) answer with the trained model."""
    model = model or default_model()
    rubric = (rubrics or default_rubrics())[rubric_id]
    sentences, touched = split_words(words, grader_text_start) if words is not None else \
        split_text(text or "", grader_text_start)
    hits, on_topic = sentence_probabilities(rubric, sentences, question, model)
    verdicts = []
    for item in rubric.items:
        threshold = model.items[rubric.id][item.id].threshold
        above = [h for h in hits[item.id] if h.probability >= threshold] if on_topic else []
        if above:
            verdicts.append(ItemVerdict(item.id, True, round(above[0].probability, 3),
                                        tuple(h.sentence.evidence() for h in above)))
        else:
            best = max((h.probability for h in hits[item.id]), default=0.0)
            verdicts.append(ItemVerdict(item.id, False, round(1.0 - best, 3), (), item.advice))
    feedback = [v.advice for v in verdicts if not v.present]
    if touched:
        feedback.append(f"{touched} sentence(s) addressed to the grader were ignored.")
    if not on_topic:
        feedback.append("The answer does not seem to be about the question asked.")
    return RubricResult(rubric.id, tuple(verdicts), round(100 * sum(v.present for v in verdicts) / len(verdicts)),
                        tuple(feedback), {"name": "none", "structure": model.stamp, "llm_calls": 0},
                        f"rubrics-v{rubric.version}/{model.stamp}/no-judge")
