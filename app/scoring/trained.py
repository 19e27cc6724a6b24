"""Verdicts from the trained structure model (app/scoring/model.py).

`app.scoring.scorer.score_answer` uses it for the rubrics whose `default` is "trained" in the model file: the
ones where grouped cross-validation found it better than the cue scorer on balanced accuracy, deleted
components and off-topic answers together (train.DEFAULTS, bench/score_eval.py). The rules:
- grader-directed text is cut out first (guard.py), so it can neither add nor remove anything;
- an item is present when some sentence's calibrated probability reaches the item's cross-validated
  threshold; the evidence is exactly those sentences (text and audio times of the same sentence), most
  probable first; the confidence is the calibrated probability (of the best sentence when present, 1 minus
  it when absent);
- for design and concept an on-topic gate gives an answer about another topic no item at all;
- a judge with a say (measured trust above 0) gets the bounded say of app/scoring/llm_say.py over sentences
  near an item's threshold, a probability p standing at 0.5 + p - threshold on that module's scale: it can
  move a borderline sentence across the threshold, never cite a sentence the answerer did not say, and does
  nothing (and is not loaded) with trust 0.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain import ItemVerdict, RubricResult, Word
from app.scoring.guard import grader_text_span
from app.scoring.llm import Judge, prompt_version, trust_for
from app.scoring.llm_say import THRESHOLD, judged
from app.scoring.model import GATED, StructureModel, default_model
from app.scoring.rubrics import Rubric, default_rubrics
from app.scoring.sentences import Sentence, split_text, split_words


@dataclass(frozen=True)
class SentenceScore:
    sentence: Sentence
    probability: float  # calibrated probability that the sentence shows the item
    score: float  # on the llm_say scale: 0.5 + probability - the item's threshold (>= 0.5: shows the item)


def scorer_for(rubric: Rubric, model: StructureModel | None = None) -> str:
    """Which scorer `score_answer` uses for `rubric` (model.SCORERS): its recorded default when the model has
    weights for the same items, else the cue scorer."""
    model = model or default_model()
    if {it.id for it in rubric.items} != set(model.items.get(rubric.id, {})):
        return "cues"
    choice = model.defaults.get(rubric.id, "cues")
    return "cues" if choice in GATED and rubric.id not in model.gates else choice


def answer_on_topic(rubric: Rubric, sentences: Sequence[Sentence], question: str,
                    model: StructureModel | None = None) -> bool:
    """The trained on-topic gate alone: whether the answer is about `question` (True where `rubric` has none)."""
    return gate_and_items(rubric, sentences, question, model)[0]


def gate_and_items(rubric: Rubric, sentences: Sequence[Sentence], question: str,
                   model: StructureModel | None = None) -> tuple[bool, set[str]]:
    """The trained model on an answer in one go: whether its gate finds the answer on topic, and the items its
    classifiers find in some sentence (a calibrated probability at the item's threshold)."""
    model = model or default_model()
    scored = model.score(rubric, question, sentences)
    found = {item for item, probs in scored.probabilities.items()
             if any(p is not None and p >= model.items[rubric.id][item].threshold for p in probs)}
    return scored.is_on_topic(), found


def sentence_probabilities(rubric: Rubric, sentences: Sequence[Sentence], question: str,
                           model: StructureModel | None = None) -> tuple[dict[str, list[SentenceScore]], bool]:
    """Per item, every scored sentence, most probable first; and whether the gate found the answer on topic."""
    model = model or default_model()
    scored = model.score(rubric, question, sentences)
    on_topic = scored.is_on_topic()
    out = {}
    for item in rubric.items:
        threshold = model.items[rubric.id][item.id].threshold
        hits = [SentenceScore(s, p, THRESHOLD + p - threshold)
                for s, p in zip(sentences, scored.probabilities[item.id], strict=True) if p is not None]
        out[item.id] = sorted(hits, key=lambda h: (-h.probability, h.sentence.index))
    return out, on_topic


def score_trained(rubric_id: str, question: str, *, words: Sequence[Word] | None = None, text: str | None = None,
                  judge: Judge | None = None, model: StructureModel | None = None,
                  rubrics: dict[str, Rubric] | None = None) -> RubricResult:
    """Score a spoken (`words`) or written (`text`) answer with the trained model."""
    model = model or default_model()
    rubric = (rubrics or default_rubrics())[rubric_id]
    sentences, touched = split_words(words, grader_text_span) if words is not None else \
        split_text(text or "", grader_text_span)
    hits, on_topic = sentence_probabilities(rubric, sentences, question, model)
    t0 = time.perf_counter()
    adjusted, calls = judged(judge, rubric, question, hits, on_topic)
    llm_s = time.perf_counter() - t0
    verdicts = []
    for item in rubric.items:
        moved = adjusted.get(item.id, {})
        above = [h for h in hits[item.id] if moved.get(h.sentence.index, h.score) >= THRESHOLD] if on_topic else []
        if above:
            shift = moved.get(above[0].sentence.index, above[0].score) - above[0].score
            verdicts.append(ItemVerdict(item.id, True, round(min(1.0, max(0.0, above[0].probability + shift)), 3),
                                        tuple(h.sentence.evidence() for h in above)))
        else:
            best = max((h.probability for h in hits[item.id]), default=0.0)
            verdicts.append(ItemVerdict(item.id, False, round(1.0 - best, 3), (), item.advice))
    feedback = [v.advice for v in verdicts if not v.present]
    if touched:
        feedback.append(f"{touched} sentence(s) addressed to the grader were ignored.")
    if not on_topic:
        feedback.append("The answer does not seem to be about the question asked.")
    info: dict[str, object] = {"name": judge.name if judge else "none", "structure": model.stamp,
                               "llm_s": round(llm_s, 3), "llm_calls": calls}
    if judge is not None:
        info["trust"] = round(sum(trust_for(judge, rubric.id, it.id) for it in rubric.items) / len(rubric.items), 3)
    return RubricResult(rubric.id, tuple(verdicts), round(100 * sum(v.present for v in verdicts) / len(verdicts)),
                        tuple(feedback), info,
                        f"rubrics-v{rubric.version}/{model.stamp}/{prompt_version() if judge else 'no-judge'}")
