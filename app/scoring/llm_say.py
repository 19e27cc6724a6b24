"""The LLM's bounded say in a verdict, shared by the cue scorer and the trained model.

Each candidate sentence carries a score on the cue scale, where THRESHOLD makes an item present (the trained
model maps a calibrated probability p to 0.5 + p - its item threshold, so the same band applies). The model is
consulted only about *borderline* sentences (score in [LOW, HIGH)); its choice adds or subtracts at most
LLM_SHIFT x trust, where trust is the model's agreement measured on the calibration set (llm.trust_for). So
the LLM can confirm a sentence with weak evidence, veto one whose evidence is only medium, and pick which
borderline sentence is cited. It cannot make an item present without evidence in the cited sentence, remove an
item with strong evidence (score >= HIGH), cite a sentence the answerer did not say, or do anything at all with
trust 0 (an unmeasured or weak model).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from app.scoring.llm import Judge, has_say, trust_for
from app.scoring.rubrics import Rubric
from app.scoring.sentences import Sentence

THRESHOLD = 0.5
LOW = 0.3  # below: no evidence worth asking about; the LLM is not consulted
HIGH = 0.75  # from here: strong evidence the LLM cannot overturn
LLM_SHIFT = 0.25  # the most a fully trusted LLM moves a borderline sentence's score
MAX_CANDIDATES = 3  # borderline sentences shown to the LLM per item


class Candidate(Protocol):
    @property
    def sentence(self) -> Sentence: ...

    @property
    def score(self) -> float: ...


def llm_adjusted(judge: Judge, rubric: Rubric, question: str, hits: Mapping[str, Sequence[Candidate]]
                 ) -> tuple[dict[str, dict[int, float]], int]:
    """Per item, the LLM-adjusted score of each borderline sentence (by index); and the number of items asked.
    `hits` lists each item's candidates, most likely first.

    One `choose` call covers every item that has borderline sentences, over the union of those sentences in
    answer order, so a model sees one shared numbered list (and llama.cpp evaluates it once per answer).
    """
    asked: dict[str, tuple[float, list[Candidate]]] = {}
    for item in rubric.items:
        trust = trust_for(judge, rubric.id, item.id)
        candidates = [h for h in hits.get(item.id, ()) if LOW <= h.score < HIGH][:MAX_CANDIDATES]
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


def judged(judge: Judge | None, rubric: Rubric, question: str, hits: Mapping[str, Sequence[Candidate]],
           on_topic: bool) -> tuple[dict[str, dict[int, float]], int]:
    """The judge's adjusted probabilities and its call count. A judge is loaded (and a missing or broken one is
    an error) only when it has a say: one whose measured trust is 0 everywhere, like the bundled model, is
    never loaded."""
    if judge is None or not on_topic or not has_say(judge):
        return {}, 0
    load = getattr(judge, "load", None)
    if callable(load):
        load()
    return llm_adjusted(judge, rubric, question, hits)
