"""The meaning-based relevance of an answer to its question (app/scoring/topic.py) and deletion-aware thresholds
(app/scoring/learn.py)."""

from __future__ import annotations

import numpy as np
import pytest

from app.bank import load_bank
from app.paths import question_bank_dir
from app.scoring.learn import choose_threshold, deletion_balanced_accuracy
from app.scoring.model import default_model
from app.scoring.rubrics import default_rubrics
from app.scoring.sentences import split_text
from app.scoring.topic import fit, from_json
from app.scoring.trained import answer_on_topic
from tests.sample_answers import FEED, LEAKAGE

DOCS = [
    ["auc", "threshold", "positive", "rate", "curve"], ["roc", "auc", "threshold", "classifier"],
    ["threshold", "positive", "rate", "false"], ["dropout", "neuron", "overfitting", "network"],
    ["dropout", "network", "regularisation"], ["neuron", "network", "layer", "overfitting"],
    ["tree", "split", "forest", "bagging"], ["forest", "tree", "bagging", "variance"],
]


def test_related_words_bring_an_answer_close_to_a_question_it_shares_no_word_with() -> None:
    space = fit(DOCS, {"concept": [DOCS[k] for k in (0, 3, 6)]}, dims=3)
    near = space.relevance("concept", ["auc"], ["threshold", "positive", "rate"])
    far = space.relevance("concept", ["auc"], ["dropout", "neuron", "layer"])
    assert near[0] > 0.5 > far[0] and near[1] > far[1] and near[2] > far[2]
    assert space.relevance("concept", ["unknown"], ["threshold"]) == (0.0, 0.0, 0.0)  # nothing known: no opinion


def test_the_space_is_deterministic_and_round_trips_through_json() -> None:
    a, b = fit(DOCS, {"concept": DOCS[:4]}, dims=3), fit(DOCS, {"concept": DOCS[:4]}, dims=3)
    assert a.to_json() == b.to_json()
    back = from_json(a.to_json())
    assert back.relevance("concept", ["auc"], ["threshold"]) == a.relevance("concept", ["auc"], ["threshold"])


def test_the_question_side_compares_the_answer_with_the_other_questions_of_the_pool() -> None:
    pool = {"concept": [["auc"], ["dropout"], ["forest"], ["bagging", "tree"]]}
    space = fit(DOCS, {"concept": DOCS[:4]}, dims=3, pool=pool)
    own = space.question_side("concept", ["dropout"], ["dropout", "neuron", "layer"])
    other = space.question_side("concept", ["auc"], ["dropout", "neuron", "layer"])
    # closer to the question asked than to the pool's others (the pool's copy of it left out) vs. to another one
    assert own[1] == 1.0 and other[1] < 0.5 and own[0] > 0 > other[0]
    assert from_json(space.to_json()).question_side("concept", ["auc"], ["dropout"]) == \
        space.question_side("concept", ["auc"], ["dropout"])
    assert space.question_side("star", ["auc"], ["dropout"]) == (0.0, 0.0)  # no pool: no opinion
    assert "pool" not in fit(DOCS, {"concept": DOCS[:4]}, dims=3).to_json()


def test_the_committed_design_gate_sees_which_bank_question_an_answer_is_closer_to() -> None:
    # A news-feed design shares generic design words with the fraud question; the gate without the question
    # side let it through for 18 of the bank's 24 design questions, fraud detection among them (the README says
    # how many now).
    bank = load_bank(question_bank_dir()).questions
    design, sentences = default_rubrics()["design"], split_text(FEED)[0]
    assert "design" in default_model().topic.pool  # type: ignore[union-attr]
    assert not answer_on_topic(design, sentences, bank["sd-fraud-detection"].text)
    assert answer_on_topic(design, sentences, bank["sd-news-feed"].text)


def test_deletions_count_as_half_of_the_absent_class_when_thresholds_are_chosen() -> None:
    labels = np.array([True] * 3 + [False] * 8)
    deleted = np.array([False] * 9 + [True] * 2)
    # the two copies with the item deleted keep a weaker sentence at 0.65-0.7; the natural absences score low
    best = np.array([0.9, 0.8, 0.62, 0.1, 0.2, 0.3, 0.15, 0.25, 0.1, 0.65, 0.7])
    assert deletion_balanced_accuracy(labels, best >= 0.61, deleted) < deletion_balanced_accuracy(
        labels, best >= 0.75, deleted)
    assert choose_threshold(best, labels, deleted) > 0.7 > choose_threshold(best, labels)
    assert deletion_balanced_accuracy(labels, best >= 0.5, None) == deletion_balanced_accuracy(
        labels, best >= 0.5, np.zeros(11, dtype=bool))




@pytest.mark.parametrize(("question", "on_topic"), [
    # the app's own wording: long, and most of its words are not in the answer
    ("What is data leakage? Give me some realistic ways it sneaks into a project and how you would prevent it.",
     True),
    ("What is the curse of dimensionality and how does it affect machine learning models?", False),
    # Not every other question is turned away: this answer passes the gate for some of the bank's technical
    # questions (README says how many), and bench/score_eval.py measures how often an answer given to
    # a bank question of another category keeps more than one item (README).
])
def test_the_committed_gate_judges_a_bank_question_by_meaning(question: str, on_topic: bool) -> None:
    sentences = split_text(LEAKAGE)[0]
    assert default_model().topic is not None
    assert answer_on_topic(default_rubrics()["concept"], sentences, question) is on_topic
