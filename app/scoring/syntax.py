"""What the trained structure classifier sees in a sentence: features computed by spaCy, named by family.

Every feature is a name "family:detail" with a value (1.0 for a flag). The families, each of which the bench
can leave out to measure what it adds (bench/score_eval.py):
- lex: lemma unigrams and bigrams ("lex:i", "lex:rewrite", "lex:my_goal"); numbers become "<num>";
- syn: the grammar of each main clause from spaCy's parse: the subject's person (I, we, you, they, a noun,
  none), tense or modality of its verb (past, present, would/will/could...), perfect/progressive aspect,
  passive voice and negation, and their combinations ("syn:i_past", "syn:we_modal", "syn:i_past_neg");
- num: quantities: spaCy's number entities (PERCENT, MONEY, CARDINAL, DATE, TIME, ...), a number with a
  comparative, a "from <num> to <num>" change;
- cue: which strength of each rubric item's cue patterns matched (app/scoring/cue_features.py), as evidence to weigh,
  not as a verdict;
- pos: where the sentence stands in the answer (first, last, early, relative position) and its length;
- rel: how much of the question's content (IDF-weighted lemmas) the answer and the sentence cover, so an
  answer about another topic scores low everywhere.
The weights for them are learned (app/scoring/train.py), not set here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import snowballstemmer

from app.scoring.sentences import plain

FAMILIES = ("lex", "syn", "num", "cue", "pos", "rel")

_FILLERS = re.compile(r"\b(um+|uh+|er+m?|hmm+|mm+|ah+|you know|i mean|sort of|kind of)\b[,.]?\s*", re.IGNORECASE)
_REPEAT = re.compile(r"\b(\w+)( \1\b)+", re.IGNORECASE)


def clean(text: str) -> str:
    """Plain text without markup, filled pauses or stutters ("I I um rewrote it" -> "I rewrote it"), case kept."""
    t = plain(text).replace("’", "'").replace("‘", "'")
    t = _FILLERS.sub("", t)
    return _REPEAT.sub(r"\1", t).strip()


def normalise(text: str) -> str:
    """`clean` text in lower case: what the cue patterns are matched against."""
    return clean(text).lower()


_PERSON = {"i": "i", "me": "i", "we": "we", "us": "we", "you": "you", "they": "they", "them": "they",
           "he": "other", "she": "other", "it": "it", "this": "it", "that": "it"}
_NUMBER_ENTS = ("PERCENT", "MONEY", "CARDINAL", "DATE", "TIME", "QUANTITY", "ORDINAL")


def _lex(doc: Any, out: dict[str, float]) -> None:
    words = ["<num>" if t.like_num else t.lemma_.lower() for t in doc
             if t.is_alpha or t.like_num or t.text in ("%", "$")]
    for w in words:
        out[f"lex:{w}"] = 1.0
    for a, b in zip(words, words[1:], strict=False):
        out[f"lex:{a}_{b}"] = 1.0


def _person(verb: Any) -> str:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj"):
            low = c.lower_
            if low in _PERSON:
                return _PERSON[low]
            return "noun" if c.pos_ in ("NOUN", "PROPN") else "other"
    return "none"


def _tense(verb: Any) -> str:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    modal = next((a for a in auxes if a.tag_ == "MD"), None)
    if modal is not None:
        lemma = modal.lower_.lstrip("'")
        return "would" if lemma in ("would", "d") else "will" if lemma in ("will", "ll", "shall") else "modal"
    tags = {verb.tag_, *(a.tag_ for a in auxes)}
    if "VBD" in tags:
        return "past"
    if tags & {"VBP", "VBZ"}:
        return "present"
    if verb.tag_ == "VBN" and not auxes:
        return "participle"
    if verb.tag_ == "VBG" and not auxes:
        return "gerund"
    return "base"


def _syn(doc: Any, out: dict[str, float]) -> None:
    verbs = [t for t in doc if t.pos_ in ("VERB", "AUX") and
             (t.dep_ == "ROOT" or (t.dep_ == "conj" and t.head.dep_ == "ROOT"))]
    if not verbs:
        out["syn:no_verb"] = 1.0
    for v in verbs:
        person, tense = _person(v), _tense(v)
        kind = "be" if v.lemma_ == "be" else "have" if v.lemma_ == "have" else "verb"
        auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        neg = any(c.dep_ == "neg" for c in v.children)
        for name in (person, tense, f"{person}_{tense}", f"{person}_{tense}_{kind}", f"{tense}_{kind}"):
            out[f"syn:{name}"] = 1.0
        if neg:
            out["syn:neg"] = out[f"syn:{person}_{tense}_neg"] = 1.0
        if any(a.lemma_ == "have" for a in auxes) and v.tag_ == "VBN":
            out["syn:perfect"] = 1.0
        if any(a.lemma_ == "be" and a.dep_ == "aux" for a in auxes) and v.tag_ == "VBG":
            out["syn:progressive"] = 1.0
        if any(a.dep_ == "auxpass" for a in auxes):
            out["syn:passive"] = 1.0
        if any(c.dep_ == "xcomp" for c in v.children):
            out[f"syn:{person}_{tense}_xcomp"] = 1.0
    if doc.text.rstrip().endswith("?"):
        out["syn:question"] = 1.0


def _num(doc: Any, out: dict[str, float]) -> None:
    labels = {e.label_ for e in doc.ents if e.label_ in _NUMBER_ENTS}
    for label in labels:
        out[f"num:{label.lower()}"] = 1.0
    nums = [t for t in doc if t.like_num]
    if nums:
        out["num:any"] = 1.0
        if any(t.tag_ in ("JJR", "RBR") for t in doc):
            out["num:comparative"] = 1.0
        if any(t.dep_ == "nummod" for t in nums):
            out["num:counts_a_noun"] = 1.0
        froms = [t for t in doc if t.lower_ == "from"]
        if froms and any(t.lower_ == "to" and t.i > froms[0].i for t in doc) and len(nums) >= 2:
            out["num:from_to"] = 1.0


def position(index: int, count: int, words: int) -> dict[str, float]:
    """Where a sentence stands among `count` sentences, and how long it is."""
    out = {"pos:rel": index / max(1, count - 1), "pos:len": min(1.0, words / 40)}
    if index == 0:
        out["pos:first"] = 1.0
    if index == count - 1:
        out["pos:last"] = 1.0
    if index < 3:
        out["pos:early"] = 1.0
    return out


def content_lemmas(doc: Any) -> set[str]:
    """The lemmas that carry a text's topic: nouns, proper nouns, adjectives and verbs that are not stop words."""
    return {t.lemma_.lower() for t in doc
            if t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and not t.is_stop and t.is_alpha and len(t) > 2}


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(lemma: str) -> str:
    """The Snowball (Porter 2) stem of a lemma: "ranking" and "rank", "prediction" and "predict" match."""
    return str(_STEMMER.stemWord(lemma))


def _stems(lemmas: Iterable[str]) -> set[str]:
    return {stem(w) for w in lemmas}


def relevance(question: set[str], answer: set[str], sentence: set[str], idf: Mapping[str, float],
              idf_default: float) -> dict[str, float]:
    """How much of the question's content (IDF-weighted) the whole answer and this sentence cover. A question
    lemma counts as covered where the answer has a lemma of the same stem: spaCy lemmatises "ranking" (a noun)
    and "ranks" (a verb) apart, and a question about "ranking" answered with "rank the posts" shares its word."""
    if not question:
        return {"rel:no_question": 1.0}
    weight = {w: idf.get(w, idf_default) for w in sorted(question)}  # sorted: the same sums in every process
    total = sum(weight.values())
    in_answer, in_sentence = _stems(answer), _stems(sentence)
    cover = sum(v for w, v in weight.items() if stem(w) in in_answer) / total
    out = {"rel:answer": cover, "rel:sentence": sum(v for w, v in weight.items() if stem(w) in in_sentence) / total}
    if cover == 0:
        out["rel:none"] = 1.0
    elif cover < 0.25:
        out["rel:low"] = 1.0
    return out


def idf_table(documents: Sequence[set[str]], min_df: int = 2) -> tuple[dict[str, float], float]:
    """Smoothed inverse document frequencies of lemmas seen in at least `min_df` documents, and the value for
    any other lemma (rare, so topical)."""
    n = len(documents)
    df: dict[str, int] = {}
    for d in documents:
        for w in d:
            df[w] = df.get(w, 0) + 1
    table = {w: round(math.log((n + 1) / (c + 1)) + 1, 4) for w, c in sorted(df.items()) if c >= min_df}
    return table, round(math.log((n + 1) / 1) + 1, 4)


def sentence_features(doc: Any) -> dict[str, float]:
    """The lex, syn and num features of one parsed sentence (the others depend on the answer and question)."""
    out: dict[str, float] = {}
    _lex(doc, out)
    _syn(doc, out)
    _num(doc, out)
    return out
