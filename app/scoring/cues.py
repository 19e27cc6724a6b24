"""The cue signal: how strongly each sentence of the answer shows each rubric item.

A sentence's score for an item combines the item's matched cues and sentence features as a noisy OR of
their weights (see rubrics.STRENGTHS). A cue preceded by a negation ("we never set up any monitoring")
does not count. Label sentences (headings, one-word list items) score 0: topic words are not statements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.scoring.features import TOPIC, features, normalise, topic_words
from app.scoring.rubrics import Rubric, RubricItem
from app.scoring.sentences import Sentence

# A negation shortly before a cue, in the same clause ("we never set up any monitoring", but not
# "failed for no reason and i was responsible for ...").
_NEGATION = re.compile(r"\b(not|never|no|without|nobody|nothing|none|neither|nor|\w+n't|hardly)\b"
                       r"(?:(?!\b(?:and|but|so|because|then|which|that|while)\b)[^.;,:]){0,24}$")
OPENING_SENTENCES = 3  # "opening" weight applies to the first three sentences
OTHER_ITEM_BLOCKS = 0.75  # a sentence with strong evidence of another item is not an opening scene


@dataclass(frozen=True)
class CueHit:
    sentence: Sentence
    score: float  # 0..1
    cues: tuple[str, ...]  # what matched: cue families and feature names, for explanations and tests


def _matches(item: RubricItem, norm: str, feats: frozenset[str] | set[str]) -> list[tuple[str, float]]:
    found = []
    for cue in item.cues:
        for m in cue.pattern.finditer(norm):
            if not item.negatable or not _NEGATION.search(norm[:m.start()]):
                found.append((cue.family, cue.weight))
                break
    found += [(name, w) for name, w in item.features if name in feats]
    return found


def _noisy_or(weights: Sequence[float]) -> float:
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return 1.0 - miss


def sentence_scores(rubric: Rubric, sentences: Sequence[Sentence], question: str = "") -> dict[str, list[CueHit]]:
    """For each item, every sentence with a score above 0, strongest first."""
    norms = [normalise(s.text) for s in sentences]
    topic = topic_words(question)
    feats = [features(n) | ({TOPIC} if topic and topic <= set(re.findall(r"[a-z0-9]+", n)) else set())
             for n in norms]
    raw: dict[str, list[list[tuple[str, float]]]] = {
        it.id: [[] if s.label else _matches(it, n, f) for s, n, f in zip(sentences, norms, feats, strict=True)]
        for it in rubric.items
    }
    for it in rubric.items:
        if not it.opening:
            continue
        for k, s in enumerate(sentences[:OPENING_SENTENCES]):
            others = max((_noisy_or([w for _, w in raw[o.id][k]]) for o in rubric.items if o.id != it.id),
                         default=0.0)
            tense_ok = "past_tense" in feats[k] or not it.opening_past
            if not s.label and tense_ok and "hypothetical" not in feats[k] and others < OTHER_ITEM_BLOCKS:
                raw[it.id][k] = [*raw[it.id][k], ("opening", it.opening)]
    out = {}
    for it in rubric.items:
        hits = [CueHit(s, round(_noisy_or([w for _, w in m]), 4), tuple(name for name, _ in m))
                for s, m in zip(sentences, raw[it.id], strict=True) if m]
        out[it.id] = sorted(hits, key=lambda h: (-h.score, h.sentence.index))
    return out
