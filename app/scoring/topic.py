"""Whether an answer is about its question by meaning, not only by shared words: a latent semantic space.

The space is fitted by the training command (app/scoring/train.py) on licensed text only: the labelled answers
of the training repositories (all rubrics) and Viva's own question bank (questions and talking points). A text
is a TF-IDF vector of its content lemmas (sublinear counts, L2 norm), projected by a truncated SVD: lemmas that
occur in the same texts point the same way, so "What does ROC AUC measure?" is close to an answer about
thresholds and true positive rates that never says "AUC". The relevance of an answer to a question is the
cosine of their projections, standardised against the same question's cosine with the rubric's background
answers (training answers to other questions; `z`): how much better this answer fits the question than answers
to other questions do, which does not depend on how many words the question has or how generic they are.
`question_side` standardises on the other side (a hubness or CSLS-style correction): the answer's cosine with
the question against its cosines with a fixed pool of reference questions of the rubric's kind (Viva's bank
questions and the training questions, stored like the background answers): an answer about news-feed ranking
given to "Design a fraud detection system" is closer to the pool's feed question than to the one asked.

At scoring time this is a few dictionary look-ups and dot products over the lemmas spaCy has already found;
numpy only (the fit uses scikit-learn). bench/score_relevance.py compares it with the lexical overlap and with
SmolLM2's embeddings and likelihoods by grouped cross-validation.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

DIMS = 32
MIN_DF = 2
DIGITS = 4  # vectors are stored as whole ten-thousandths, one space-separated string per lemma or answer
SCALE = 10 ** DIGITS
SAME_QUESTION = 0.99  # a pool question this close to the one asked is that question (question_side)


@dataclass(frozen=True)
class TopicSpace:
    idf: dict[str, float]  # lemma -> inverse document frequency (the fitted vocabulary)
    terms: dict[str, np.ndarray]  # lemma -> its direction in the space (DIMS)
    background: dict[str, np.ndarray]  # rubric -> unit vectors of its background answers (rows)
    # lemma -> inverse document frequency among questions: "design", "system" or "explain" say little about
    # which question it is, "fraud" says a lot (a lemma in no question weighs as one in a single question)
    question_idf: dict[str, float] = field(default_factory=dict)
    pool: dict[str, np.ndarray] = field(default_factory=dict)  # rubric -> unit vectors of reference questions (rows)

    def vector(self, lemmas: Iterable[str], question: bool = False) -> np.ndarray:
        """The unit projection of a bag of lemmas (zero when none is in the vocabulary); a `question`'s lemmas
        are also weighted by how specific they are among questions (question_idf)."""
        counts = Counter(w for w in lemmas if w in self.idf)
        dims = len(next(iter(self.terms.values()))) if self.terms else 0
        if not counts:
            return np.zeros(dims)
        rare = max(self.question_idf.values(), default=1.0)
        weights = {w: (1 + math.log(c)) * self.idf[w] * (self.question_idf.get(w, rare) if question else 1.0)
                   for w, c in sorted(counts.items())}
        norm = math.sqrt(sum(v * v for v in weights.values()))
        v = np.zeros(dims)
        for w, x in weights.items():
            v += (x / norm) * self.terms[w]
        n = float(np.linalg.norm(v))
        return v / n if n else np.zeros(dims)

    def relevance(self, rubric_id: str, question: Iterable[str], answer: Iterable[str]) -> tuple[float, float, float]:
        """(cosine, standardised cosine, standardised anchor cosine) of a question's and an answer's lemmas; the
        anchor is the question's most specific lemma (question_idf, then idf), so a generic question ("Design a
        real-time fraud detection system") is not matched by its generic words alone. Zeros when either side has
        no known lemma."""
        question = list(question)
        q, a = self.vector(question, question=True), self.vector(answer)
        if not q.any() or not a.any():
            return 0.0, 0.0, 0.0
        cos = float(q @ a)
        rare = max(self.question_idf.values(), default=1.0)
        known = sorted({w for w in question if w in self.idf})
        anchor = max(known, key=lambda w: (self.question_idf.get(w, rare), self.idf[w]))
        t = self.terms[anchor] / (float(np.linalg.norm(self.terms[anchor])) or 1.0)
        back = self.background.get(rubric_id)
        if back is None or len(back) < 2:
            return cos, 0.0, 0.0
        return cos, _z(cos, back @ q), _z(float(t @ a), back @ t)

    def question_side(self, rubric_id: str, question: Iterable[str], answer: Iterable[str]) -> tuple[float, float]:
        """(standardised, rank share) of the answer's cosine with the question among its cosines with the
        rubric's pool of reference questions, leaving out the pool's copies of the question itself (cosine
        SAME_QUESTION or more): how much closer the answer is to this question than to other questions, and
        the share of those it is less close to. Zeros when either side has no known lemma or the pool has
        fewer than two other questions."""
        q, a = self.vector(question, question=True), self.vector(answer)
        pool = self.pool.get(rubric_id)
        if pool is None or not q.any() or not a.any():
            return 0.0, 0.0
        others = pool[pool @ q < SAME_QUESTION]
        if len(others) < 2:
            return 0.0, 0.0
        cos, theirs = float(q @ a), others @ a
        return _z(cos, theirs), float(np.mean(theirs < cos))

    def with_pool(self, pool: Mapping[str, Sequence[Sequence[str]]]) -> TopicSpace:
        """The same space with each rubric's `pool` of reference questions (lists of lemmas) projected as
        questions (question_side), stored as the file holds them."""
        vectors = {r: np.array([v for v in (self.vector(q, question=True) for q in qs) if v.any()])
                   for r, qs in pool.items()}
        return replace(self, pool={r: np.round(m * SCALE) / SCALE for r, m in vectors.items()})

    def to_json(self) -> dict[str, object]:
        return {"idf": self.idf, "question_idf": self.question_idf, "scale": SCALE,
                "terms": {w: _encode(v) for w, v in self.terms.items()},
                "background": {r: [_encode(row) for row in m] for r, m in sorted(self.background.items())},
                **({"pool": {r: [_encode(row) for row in m] for r, m in sorted(self.pool.items())}}
                   if self.pool else {})}


def _z(x: float, others: np.ndarray) -> float:
    return (x - float(np.mean(others))) / (float(np.std(others)) or 1.0)


def _encode(v: np.ndarray) -> str:
    return " ".join(str(int(round(float(x) * SCALE))) for x in v)


def _decode(s: str, scale: float) -> np.ndarray:
    return np.array([int(x) for x in s.split()], dtype=float) / scale


def from_json(doc: Mapping[str, object]) -> TopicSpace:
    scale = float(doc["scale"])  # type: ignore[arg-type]
    idf = {str(k): float(v) for k, v in doc["idf"].items()}  # type: ignore[attr-defined]
    terms = {str(k): _decode(v, scale) for k, v in doc["terms"].items()}  # type: ignore[attr-defined]
    back = {str(r): np.array([_decode(row, scale) for row in m]) for r, m in doc["background"].items()}  # type: ignore[attr-defined]
    question_idf = {str(k): float(v) for k, v in doc.get("question_idf", {}).items()}  # type: ignore[attr-defined]
    pool = {str(r): np.array([_decode(row, scale) for row in m]) for r, m in doc.get("pool", {}).items()}  # type: ignore[attr-defined]
    return TopicSpace(idf, terms, back, question_idf, pool)


def fit(documents: Sequence[Sequence[str]], background: Mapping[str, Sequence[Sequence[str]]],
        dims: int = DIMS, questions: Sequence[Sequence[str]] = (),
        pool: Mapping[str, Sequence[Sequence[str]]] | None = None) -> TopicSpace:
    """A space fitted on `documents` (each a list of lemmas, with repeats), with each rubric's `background`
    answers (lists of lemmas) projected into it, the lemmas' specificity among `questions`, and each rubric's
    `pool` of reference questions (lists of lemmas) projected as questions. Deterministic (sorted vocabulary,
    fixed random state)."""
    from scipy.sparse import csr_matrix
    from sklearn.decomposition import TruncatedSVD

    df = Counter(w for d in documents for w in set(d))
    vocab = sorted(w for w, c in df.items() if c >= MIN_DF)
    index = {w: k for k, w in enumerate(vocab)}
    n = len(documents)
    idf = {w: round(math.log((1 + n) / (1 + df[w])) + 1, DIGITS) for w in vocab}
    rows, cols, vals = [], [], []
    for r, d in enumerate(documents):
        counts = Counter(w for w in d if w in index)
        weights = {w: (1 + math.log(c)) * idf[w] for w, c in sorted(counts.items())}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        for w, v in weights.items():
            rows.append(r)
            cols.append(index[w])
            vals.append(v / norm)
    X = csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)))
    svd = TruncatedSVD(n_components=min(dims, n - 1, len(vocab) - 1), algorithm="arpack", random_state=0).fit(X)
    comps = svd.components_
    # a component's sign is arbitrary: fix it so the largest loading is positive (the same file on every run)
    comps = comps * np.sign(comps[np.arange(len(comps)), np.abs(comps).argmax(axis=1)])[:, None]
    terms = {w: np.round(comps[:, k] * SCALE) / SCALE for w, k in index.items()}  # what the file holds
    qdf = Counter(w for q in questions for w in set(q))
    question_idf = {w: round(math.log((1 + len(questions)) / (1 + c)) + 1, DIGITS) for w, c in sorted(qdf.items())}
    space = TopicSpace(idf, terms, {}, question_idf)
    back = {r: np.round(np.array([space.vector(d) for d in docs]) * SCALE) / SCALE for r, docs in background.items()}
    return TopicSpace(idf, terms, back, question_idf).with_pool(pool or {})
