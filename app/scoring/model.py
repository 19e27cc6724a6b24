"""The trained structure model: features of an answer's sentences, and each item's calibrated probability.

The weights are data, not code: app/scoring/data/structure_model.json (JSON, so a review can read every weight
and loading it runs no code), written by `python -m app.scoring.train`. It also records, per rubric, which scorer
`score_answer` uses (`default`: the trained model or the cue scorer), as chosen by cross-validation. Its stamp
(`model_stamp`) is a hash of that file, of the feature and cue code, of the cue patterns in rubrics.yaml and of
the guard against grader-directed text with its detector's weights: every stored result records it (the cue
scorer's too), so a result stays explainable after any of them changes.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from app.errors import ModelError
from app.paths import question_bank_dir
from app.scoring import cue_features as cues_module
from app.scoring import cues as cue_scorer_module
from app.scoring import encoder as encoder_module
from app.scoring import features as word_lists_module
from app.scoring import guard as guard_module
from app.scoring import nlp as nlp_module
from app.scoring import syntax as features_module
from app.scoring import topic as topic_module
from app.scoring.cue_features import cue_features
from app.scoring.encoder import passage_relevance, weights_digest
from app.scoring.nlp import parse
from app.scoring.rubrics import Rubric
from app.scoring.sentences import Sentence
from app.scoring.syntax import clean, content_lemmas, normalise, position, relevance, sentence_features
from app.scoring.topic import TopicSpace
from app.scoring.topic import from_json as topic_from_json

MODEL_FILE = "structure_model.json"
FORMAT = 2
# What a rubric's `default` may name: the trained model; the cue scorer; the cue scorer behind the trained
# on-topic gate (an answer the gate finds off topic shows no item); the same with each of its items confirmed by
# the trained model (present only where the item classifier also finds it in some sentence).
SCORERS = ("trained", "cues", "cues+gate", "cues+trained")
GATED = ("cues+gate", "cues+trained")  # the cue scorers that need the rubric's trained gate


def model_path() -> Path:
    return Path(str(files("app.scoring") / "data" / MODEL_FILE))


def featurize(rubric: Rubric, question: str, sentences: Sequence[Sentence], idf: Mapping[str, float],
              idf_default: float, topic: TopicSpace | None = None) -> list[dict[str, float] | None]:
    """Each sentence's features, every family (None for a heading or label, which is never evidence). With a
    `topic` space, the relevance family also says how close the answer is to the question in meaning
    ("rel:lsa"; "rel:lsa_z" standardised against other answers; "rel:lsa_anchor", the same for the question's
    most specific word; where the space has a pool of reference questions for the rubric, "rel:lsa_qz" and
    "rel:lsa_qrank", standardised against the answer's closeness to other questions: app/scoring/topic.py). Where
    the rubric's gate reads it, "rel:minilm": the cosine of the question's sentence embedding and the answer's
    (its first encoder.PASSAGE_TOKENS word pieces: app/scoring/encoder.passage_relevance)."""
    texts = [clean(s.text) for s in sentences]
    wanted = [k for k, (s, t) in enumerate(zip(sentences, texts, strict=True)) if not s.label and t]
    docs = parse([clean(question)] + [texts[k] for k in wanted])
    q, parsed = content_lemmas(docs[0]), dict(zip(wanted, docs[1:], strict=True))
    answer_lemmas = set().union(*(content_lemmas(d) for d in parsed.values())) if parsed else set()
    meaning: dict[str, float] = {}
    if topic is not None and q:
        bag = [w for d in parsed.values() for w in sorted(content_lemmas(d))]
        cos, z, anchor = topic.relevance(rubric.id, sorted(q), bag)
        meaning = {"rel:lsa": round(cos, 6), "rel:lsa_z": round(z, 6), "rel:lsa_anchor": round(anchor, 6)}
        meaning.update(question_side(topic, rubric.id, sorted(q), bag))
    if q and uses_encoder(rubric.id):
        meaning["rel:minilm"] = round(passage_relevance(clean(question), [texts[k] for k in wanted]), 6)
    out: list[dict[str, float] | None] = []
    for k, s in enumerate(sentences):
        doc = parsed.get(k)
        if doc is None:
            out.append(None)
            continue
        f = sentence_features(doc)
        f.update(cue_features(rubric, normalise(s.text)))
        f.update(position(wanted.index(k), len(wanted), len(doc)))
        f.update(relevance(q, answer_lemmas, content_lemmas(doc), idf, idf_default))
        f.update(meaning)
        out.append(f)
    return out


def question_side(topic: TopicSpace, rubric_id: str, question: Sequence[str], bag: Sequence[str]) -> dict[str, float]:
    """The question-side meaning features ("rel:lsa_qz", "rel:lsa_qrank": topic.question_side) of a question's
    and an answer's lemmas, where the space has a reference pool for the rubric (none otherwise)."""
    if rubric_id not in topic.pool:
        return {}
    qz, rank = topic.question_side(rubric_id, question, bag)
    return {"rel:lsa_qz": round(qz, 6), "rel:lsa_qrank": round(rank, 6)}


def meaning_lemmas(question: str, sentences: Sequence[Sentence]) -> tuple[list[str], list[str]]:
    """The lemmas featurize gives the meaning space: the question's content lemmas (sorted) and the answer's,
    sentence by sentence, with repeats (labels and empty sentences left out)."""
    texts = [t for t in (clean(s.text) for s in sentences if not s.label) if t]
    docs = parse([clean(question), *texts])
    return sorted(content_lemmas(docs[0])), [w for d in docs[1:] for w in sorted(content_lemmas(d))]


def foreign_lemmas(question: str, sentences: Sequence[Sentence]) -> int:
    """How many distinct content lemmas of the answer are not in the question: its own topical vocabulary."""
    texts = [clean(s.text) for s in sentences if not s.label and clean(s.text)]
    docs = parse([clean(question), *texts])
    answer = set().union(*(content_lemmas(d) for d in docs[1:])) if texts else set()
    return len(answer - content_lemmas(docs[0]))


def select(feats: Mapping[str, float], families: Sequence[str]) -> dict[str, float]:
    """The features of `families` only."""
    return {n: v for n, v in feats.items() if n.split(":", 1)[0] in families}


# The relevance gate's features per rubric: by meaning (app/scoring/topic.py) and, for design, also by shared
# words. Chosen by bench/score_eval.py (grouped CV on the training repositories, and how many genuine answers to
# the bank's real questions the gate turns away): the lexical features turned away concept answers to bank
# questions, which share few words with an answer, and helped design, whose answers share a vocabulary. The
# question-side features (the answer against a pool of other questions) raised design's cross-validated balanced
# accuracy with as few off-topic pairings keeping more than one item; for concept they left it where it was and
# turned away one more genuine answer to a bank question, so concept's gate does not use them (nor has a pool).
LEXICAL_GATE = ("rel:answer", "rel:best_sentence", "rel:none", "rel:low")
MEANING_GATE = ("rel:lsa", "rel:lsa_z", "rel:lsa_anchor")
QUESTION_SIDE = ("rel:lsa_qz", "rel:lsa_qrank")  # standardised against other questions (topic.question_side)
# A pretrained sentence encoder's cosine of question and answer (app/scoring/encoder.py), measured 2026-12-04: for
# concept it left the gated cues' cross-validated balanced accuracy where it was (0.673 -> 0.674, off-topic
# pairings keeping more than one item 5%), let fewer pairings to the bank's questions of other categories through
# (23 -> 20 of 228, 4 -> 2 keeping more than one item) and turned away none of the 36 training-side answers to the
# bank question on their topic (1 without); for design it moved nothing (0.834 -> 0.835, 7% of 540; 13 of 66 bank
# pairings through either way), so design's gate does not pay for it.
ENCODER_GATE = ("rel:minilm",)
RELEVANCE_GATES = {"design": LEXICAL_GATE + MEANING_GATE + QUESTION_SIDE, "concept": MEANING_GATE + ENCODER_GATE}
# A story tells what happened to the speaker: the share of sentences whose main clause has these subjects and
# tenses (syntax._syn) tells a story from an explanation or a design (STAR's gate).
_STORY_SYN = ("past", "present", "would", "will", "modal", "i", "we", "you", "it", "noun", "i_past", "we_past",
              "i_present", "we_present", "it_present", "noun_present", "you_present")
STORY_GATE = tuple(f"story:{n}" for n in _STORY_SYN) + ("story:date",)


def gate_names(rubric_id: str) -> tuple[str, ...]:
    """The features of a rubric's on-topic gate: stories for STAR, relevance to the question for the others."""
    return STORY_GATE if rubric_id == "star" else RELEVANCE_GATES.get(rubric_id, LEXICAL_GATE + MEANING_GATE)


def uses_encoder(rubric_id: str) -> bool:
    """Whether the rubric's gate reads the sentence encoder (only then is it run)."""
    return bool(set(ENCODER_GATE) & set(gate_names(rubric_id)))


def gate_features(feats: Sequence[Mapping[str, float] | None], rubric_id: str = "") -> dict[str, float]:
    """Answer-level features of the on-topic gate (gate_names): whether the answer is about the question."""
    present = [f for f in feats if f is not None]
    if rubric_id == "star":
        n = max(1, len(present))
        out = {f"story:{k}": sum(1.0 for f in present if f.get(f"syn:{k}")) / n for k in _STORY_SYN}
        out["story:date"] = sum(1.0 for f in present if f.get("num:date")) / n
        return out
    if not present:
        return {"rel:none": 1.0}
    first = present[0]
    out = {n: first[n] for n in ("rel:answer", "rel:none", "rel:low", *MEANING_GATE, *QUESTION_SIDE, *ENCODER_GATE)
           if n in first}
    out["rel:best_sentence"] = max(f.get("rel:sentence", 0.0) for f in present)
    return out


@dataclass(frozen=True)
class ItemWeights:
    intercept: float
    weights: dict[str, float]
    platt: tuple[float, float]
    threshold: float

    def probability(self, feats: Mapping[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(n, 0.0) * v for n, v in feats.items())
        a, b = self.platt
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, a * z + b))))


@dataclass(frozen=True)
class Scored:
    """One answer under one rubric: each item's per-sentence probabilities, and the on-topic probability."""

    probabilities: dict[str, list[float | None]]  # item -> per sentence (None: a label, never evidence)
    on_topic: float  # 1.0 where the rubric has no gate
    gate_threshold: float
    gated: bool = False  # whether the gate judges this answer at all (see StructureModel.gate_floor)

    def is_on_topic(self) -> bool:
        return not self.gated or self.on_topic >= self.gate_threshold


@dataclass(frozen=True)
class StructureModel:
    idf: dict[str, float]
    idf_default: float
    families: dict[str, tuple[str, ...]]  # rubric -> feature families used
    items: dict[str, dict[str, ItemWeights]]  # rubric -> item -> weights
    gates: dict[str, ItemWeights]  # rubric -> answer-level on-topic classifier (design, concept)
    stamp: str
    defaults: dict[str, str] = field(default_factory=dict)  # rubric -> the scorer score_answer uses (SCORERS)
    # rubric -> the fewest content lemmas absent from the question an answer needs for the gate to judge it: an
    # answer with less of its own vocabulary than the off-topic answers the gate learned from (a short or
    # generic one) is too little to call "about another topic", and is not gated
    gate_floor: dict[str, int] = field(default_factory=dict)
    topic: TopicSpace | None = None  # the meaning space of the relevance features (app/scoring/topic.py)

    def score(self, rubric: Rubric, question: str, sentences: Sequence[Sentence]) -> Scored:
        if rubric.id not in self.items:
            raise ModelError(f"the structure model has no weights for rubric {rubric.id!r}; retrain it with "
                             "`python -m app.scoring.train`")
        feats = featurize(rubric, question, sentences, self.idf, self.idf_default, self.topic)
        fams = self.families[rubric.id]
        probs = {item: [None if f is None else w.probability(select(f, fams)) for f in feats]
                 for item, w in self.items[rubric.id].items()}
        gate = self.gates.get(rubric.id)
        if gate is None:
            return Scored(probs, 1.0, 0.0)
        # a question without content words ("", "q": a recording analysed without its question) says nothing
        # an answer could be off: not gated
        asked = rubric.id == "star" or not any(f is not None and "rel:no_question" in f for f in feats)
        gated = asked and foreign_lemmas(question, sentences) >= self.gate_floor.get(rubric.id, 0)
        return Scored(probs, gate.probability(gate_features(feats, rubric.id)), gate.threshold, gated)


# The modules whose source the stamp hashes (packaging/viva.spec ships their .py files in a frozen build).
STAMPED_MODULES = (features_module, cues_module, nlp_module, topic_module, cue_scorer_module, word_lists_module,
                   guard_module, encoder_module)


def _source_hash() -> str:
    """A hash of what decides the verdicts besides the weights: the feature code, the cue code and patterns,
    the parser's name, the guard against grader-directed text with its detector's weights, and the sentence
    encoder with its weights' checksums."""
    h = hashlib.sha256()
    for module in STAMPED_MODULES:
        # The source, also in a frozen build (whose modules are compiled: packaging/viva.spec ships these
        # sources beside them so results are stamped as in a checkout).
        h.update(Path(str(module.__file__)).with_suffix(".py").read_bytes())
    h.update((question_bank_dir() / "rubrics.yaml").read_bytes())
    h.update(weights_digest().encode())
    detector = guard_module.detector_path()
    h.update(detector.read_bytes() if detector.exists() else b"no detector")
    return h.hexdigest()


def model_stamp(data: bytes) -> str:
    """"structure-<12 hex>": the weights file and the feature code together."""
    return "structure-" + hashlib.sha256(data + _source_hash().encode()).hexdigest()[:12]


def _weights(w: Mapping[str, Any]) -> ItemWeights:
    return ItemWeights(float(w["intercept"]), {str(k): float(v) for k, v in w["weights"].items()},
                       (float(w["platt"][0]), float(w["platt"][1])), float(w["threshold"]))


def from_json(data: bytes) -> StructureModel:
    try:
        doc: dict[str, Any] = json.loads(data)
        if doc.get("format") != FORMAT:
            raise ValueError(f"format {doc.get('format')!r}, expected {FORMAT}")
        items = {rid: {iid: _weights(w) for iid, w in r["items"].items()} for rid, r in doc["rubrics"].items()}
        families = {rid: tuple(r["families"]) for rid, r in doc["rubrics"].items()}
        gates = {rid: _weights(r["gate"]) for rid, r in doc["rubrics"].items() if r.get("gate")}
        defaults = {rid: str(r["default"]) for rid, r in doc["rubrics"].items()}
        floor = {rid: int(r["gate"]["min_foreign"]) for rid, r in doc["rubrics"].items() if r.get("gate")}
        if not set(defaults.values()) <= set(SCORERS):
            raise ValueError(f"a rubric's default must be one of {', '.join(SCORERS)}")
        topic = topic_from_json(doc["topic"]) if doc.get("topic") else None
        return StructureModel({k: float(v) for k, v in doc["idf"].items()}, float(doc["idf_default"]), families,
                              items, gates, model_stamp(data), defaults, floor, topic)
    except (ValueError, KeyError, TypeError, IndexError) as e:
        raise ModelError(f"{MODEL_FILE} is not a structure model ({e}); retrain it with "
                         "`python -m app.scoring.train`") from None


@lru_cache(maxsize=1)
def default_model() -> StructureModel:
    try:
        return from_json(model_path().read_bytes())
    except OSError as e:
        raise ModelError(f"cannot read the structure model {model_path()} ({e.strerror or e}); retrain it with "
                         "`python -m app.scoring.train`") from None
