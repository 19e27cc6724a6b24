"""Which relevance measure tells an answer to its own question from an answer to another one, for the design and
concept rubrics, without turning away genuine answers to a real question; prints figures, asserts nothing.

The pairings (written answers only, their originals; from tests/data/answers/ by app/scoring/corpus.build):
- own: each original given to the question it was collected with (genuine);
- off-topic: each original given to another answer's question of its kind (corpus.build's pairings);
- bank: each original whose topic Viva's own question bank asks about, given to that bank question (the
  realistic wording the app shows: bench/score_bank_pairs.json, paired by hand from the topics; genuine);
- calibration: the built-in calibration set's design and concept answers, each to its own question (genuine).

The measures, each one number per (question, answer):
- lex: the IDF-weighted share of the question's content lemmas the answer uses (syntax.relevance, today's);
- lsa: cosine of question and answer in a latent semantic space (TF-IDF of content lemmas, TruncatedSVD:
  app/scoring/topic.py) fitted on the answer texts of the training folds (all rubrics: licensed text), so a
  question can match an answer through related words it does not share; "lsa+bank" also fits it on Viva's
  question bank (questions and talking points); "lsa+bank+qidf" also weighs a question's lemmas by how
  specific they are among questions (what the product uses);
- lsa+bank+qidf_qz and _qrank: the same space standardised on the question side instead (topic.question_side,
  a hubness or CSLS-style correction): the answer's cosine with the question against its cosines with a pool
  of reference questions of the rubric's kind (the bank's, and the training folds' own questions), as a z
  score ("_qz") or as the share of pool questions the answer is less close to ("_qrank"); "_z+qz" sums the
  answer-side z and the question-side one;
- minilm: cosine of the question's all-MiniLM-L6-v2 sentence embedding with the answer's first 128 word pieces'
  (app/scoring/encoder.py, what the gates read; pretrained, fitted on nothing here); "minilm_sentences" with
  the mean of the answer's sentences' embeddings instead;
- emb: cosine of SmolLM2-135M mean-pooled embeddings of question and answer (--llm; cached);
- pmi: SmolLM2's log P(question | answer) - log P(question), per question token (--llm; cached);
each raw and "_z" (not pmi: it would need the likelihood of every background answer): standardised against
the same question's score with the other answers of the rubric in the background (the training folds'
originals): how much better this answer fits the question than answers to other questions do, which does not
depend on how many words a question has.
The gate passes an answer whose score reaches a threshold chosen on the training folds (grouped by original
answer, 5 folds) by one of two rules: "ba", the highest balanced accuracy between own and off-topic pairings
(what the committed gate does), or "off90", the 90th percentile of the off-topic pairings' scores (let at most
a tenth of them through, whatever the own questions look like). Reported per measure and rule: CV and frozen
off-topic pairings keeping more than one item (the cue scorer's verdicts behind the gate), genuine answers
turned away (own question CV and frozen, bank questions, calibration set), and the CV AUC of own versus
off-topic.

Run: .venv/bin/python bench/score_relevance.py [--cv-only] [--llm] [--llm-compute] [--cache PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.scoring.corpus import build, load_rows, split  # noqa: E402
from app.scoring.nlp import parse  # noqa: E402
from app.scoring.sentences import Sentence, split_text  # noqa: E402
from app.scoring.syntax import clean, content_lemmas, idf_table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAIRS_FILE = Path(__file__).resolve().parent / "score_bank_pairs.json"
DEFAULT_MODEL = ROOT / "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_CACHE = Path("/tmp/viva_relevance_llm.json")
RUBRICS = ("design", "concept")
FOLDS = 5
ANSWER_TOKENS = 256  # the LLM sees at most this many tokens of an answer


@dataclass(frozen=True)
class Pair:
    kind: str  # own | offtopic | bank | calibration
    rubric: str
    root: str
    question: str
    text: str
    sentences: tuple[Sentence, ...]
    train: bool  # from a training repository (calibration and bank answers of training roots too)
    kept: int = 0  # items the cue scorer keeps (off-topic pairings)


def bank_questions(talking_points: bool = False) -> dict[str, str]:
    """Viva's bank questions by id (with `talking_points`, each question followed by its talking points)."""
    import yaml

    out = {}
    for f in sorted((ROOT / "app/resources/question_bank/questions").glob("*.yaml")):
        for q in yaml.safe_load(f.read_text(encoding="utf-8"))["questions"]:
            out[q["id"]] = " ".join(q["text"].split())
            if talking_points:
                out[q["id"]] += "\n\n" + "\n\n".join(q.get("talking_points") or [])
    return out


def bank_categories() -> tuple[dict[str, str], dict[str, str]]:
    """Each bank question's category and kind, by id."""
    import yaml

    cats, kinds = {}, {}
    for f in sorted((ROOT / "app/resources/question_bank/questions").glob("*.yaml")):
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        for q in doc["questions"]:
            cats[q["id"]], kinds[q["id"]] = doc["category"], q["kind"]
    return cats, kinds


def pairings() -> list[Pair]:
    from app.scoring.scorer import score_cues
    from app.scoring.selfcheck import load_calibration

    examples = build(load_rows(), paths=("written",))
    train, test = split(examples)
    train_ids = {e.id for e in train}
    mapping = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))
    bank = bank_questions()
    out: list[Pair] = []
    for e in examples:
        if e.rubric not in RUBRICS or e.how not in ("original", "offtopic"):
            continue
        text = "\n\n".join(s.text for s in e.sentences)
        kept = 0
        if e.how == "offtopic":
            kept = sum(v.present for v in score_cues(e.rubric, e.question, text=text).items)
        out.append(Pair("own" if e.how == "original" else "offtopic", e.rubric, e.root, e.question, text,
                        e.sentences, e.id in train_ids, kept))
        if e.how == "original" and e.id in mapping[e.rubric]:
            out.append(Pair("bank", e.rubric, e.root, bank[mapping[e.rubric][e.id]], text, e.sentences,
                            e.id in train_ids))
    for a in load_calibration():
        if a.rubric in RUBRICS:
            out.append(Pair("calibration", a.rubric, a.id, a.question, a.answer, tuple(split_text(a.answer)[0]),
                            False))
    return out


@cache
def lemmas(text: str) -> list[str]:
    """Content lemmas of a text, with repeats (sentence by sentence, as the scorer parses)."""
    texts = [clean(s.text) for s in split_text(text)[0] if not s.label and clean(s.text)] or [clean(text)]
    out: list[str] = []
    for doc in parse(texts):
        out += sorted(content_lemmas(doc))
    return out


@cache
def question_lemmas(question: str) -> list[str]:
    return sorted(content_lemmas(parse([clean(question)])[0]))


# --- measures: fit(background answer texts, reference questions) -> score(question, text) -----------------------

Scorer = Callable[[str, str], float]
Fit = Callable[[Sequence[str], Sequence[str]], Scorer]  # (texts fitted on, pool of reference questions) -> measure


def fit_lex(docs: Sequence[str]) -> Scorer:
    idf, default = idf_table([set(lemmas(d)) for d in docs])

    @cache
    def score(question: str, text: str) -> float:
        q = question_lemmas(question)
        if not q:
            return 0.0
        a = set(lemmas(text))
        w = {t: idf.get(t, default) for t in q}
        return sum(v for t, v in w.items() if t in a) / sum(w.values())
    return score


def fit_lsa(docs: Sequence[str], questions: Sequence[str] = (), pool: Sequence[str] = (), side: str = "") -> Scorer:
    """The product's meaning space (app/scoring/topic.fit) on `docs`, question lemmas weighted by their
    specificity among `questions`; the background is standardised here. With `side` "qz" or "qrank", the
    question-side standardisation against the reference questions `pool` (topic.question_side) instead of the
    cosine."""
    from app.scoring.topic import fit

    space = fit([lemmas(d) for d in docs], {}, questions=[question_lemmas(q) for q in questions],
                pool={"": [question_lemmas(q) for q in pool]})

    def score(question: str, text: str) -> float:
        if side:
            qz, rank = space.question_side("", question_lemmas(question), lemmas(text))
            return qz if side == "qz" else rank
        return space.relevance("", question_lemmas(question), lemmas(text))[0]
    return cache(score)


def key(*parts: str) -> str:
    return hashlib.sha1("\x00".join(parts).encode()).hexdigest()[:16]


def fit_cached(store: dict[str, object], name: str) -> Scorer:
    def score(question: str, text: str) -> float:
        if name == "emb":
            q, a = np.array(store[key("e", question)]), np.array(store[key("e", text)])
            return float(q @ a / (np.linalg.norm(q) * np.linalg.norm(a)))
        return float(store[key("p", question, text)])  # type: ignore[arg-type]
    return score


def fit_minilm(mean_of_sentences: bool = False) -> Scorer:
    """Cosine of the question's all-MiniLM-L6-v2 embedding with the answer's (app/scoring/encoder.py: a pretrained
    sentence encoder, fitted on nothing here): the product's measure, the answer's first 128 word pieces
    (encoder.passage_relevance), or with `mean_of_sentences` the mean of every sentence's vector."""
    from app.scoring.encoder import default_encoder, passage_relevance

    enc = default_encoder()

    def score(question: str, text: str) -> float:
        sentences = [t for t in text.split("\n\n") if t.strip()]
        if not sentences:
            return 0.0
        if not mean_of_sentences:
            return passage_relevance(question, sentences)
        centre = enc.encode(sentences).mean(0)
        return float(enc.encode([question])[0] @ centre / max(float(np.linalg.norm(centre)), 1e-12))
    return score


def standardised(score: Scorer, background: Sequence[tuple[str, str]]) -> Scorer:
    """`score` minus the mean, over the std, of the question's score with the background answers (not those of
    the same root)."""
    def z(question: str, text: str, root: str = "") -> float:
        others = [score(question, t) for r, t in background if r != root]
        mu, sd = float(np.mean(others)), float(np.std(others)) or 1.0
        return (score(question, text) - mu) / sd
    return z  # type: ignore[return-value]


# --- LLM features (computed once, cached) ----------------------------------------------------------------------

def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def llm_compute(pairs: Sequence[Pair], model: Path, cache_path: Path, threads: int) -> None:
    from llama_cpp import Llama

    store: dict[str, object] = json.loads(cache_path.read_text()) if cache_path.is_file() else {}
    r0 = rss_mb()
    emb = Llama(model_path=str(model), n_ctx=512, n_batch=512, n_threads=threads,
                n_threads_batch=threads, embedding=True, pooling_type=1, seed=0, verbose=False)
    print(f"embedding model loaded: +{rss_mb() - r0:.0f} MB resident")
    times = []
    texts = sorted({p.text for p in pairs} | {p.question for p in pairs})
    for t in texts:
        k = key("e", t)
        if k in store:
            continue
        toks = emb.tokenize(t.encode("utf-8"), add_bos=True)[:ANSWER_TOKENS]
        t0 = time.perf_counter()
        store[k] = [round(float(x), 5) for x in emb.embed(emb.detokenize(toks[1:]).decode("utf-8", "ignore"))]
        if len(toks) > 100:
            times.append((len(toks), time.perf_counter() - t0))
        if len(store) % 20 == 0:
            cache_path.write_text(json.dumps(store))
    if times:
        print(f"embedding: median {np.median([s for _, s in times]) * 1000:.0f} ms for answers of median "
              f"{np.median([n for n, _ in times]):.0f} tokens")
    del emb
    cache_path.write_text(json.dumps(store))
    lm = Llama(model_path=str(model), n_ctx=512, n_batch=512, n_threads=threads,
               n_threads_batch=threads, logits_all=True, seed=0, verbose=False)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"language model loaded: resident now +{rss_mb() - r0:.0f} MB, peak {peak:.0f} MB")

    def continuation(n_prefix: int, cont: list[int]) -> float:
        """Mean log-probability of `cont` after the first `n_prefix` tokens already evaluated (kept in the cache)."""
        lm.n_tokens = n_prefix
        lm.eval(cont)
        scores = np.array(lm.scores[n_prefix - 1:n_prefix + len(cont) - 1], dtype=np.float64)
        mx = scores.max(axis=1, keepdims=True)
        lse = mx[:, 0] + np.log(np.exp(scores - mx).sum(axis=1))
        return float(np.mean(scores[np.arange(len(cont)), cont] - lse))

    head = lm.tokenize(b"The question this answers:", add_bos=True)
    unconditional: dict[str, float] = {}
    by_text: dict[str, list[str]] = {}
    for p in pairs:
        by_text.setdefault(p.text, []).append(p.question)
    for q in sorted({p.question for p in pairs}):
        lm.reset()
        lm.eval(head)
        unconditional[q] = continuation(len(head), lm.tokenize((" " + q).encode("utf-8"), add_bos=False))
    times = []
    for n, (text, questions) in enumerate(sorted(by_text.items())):
        todo = sorted({q for q in questions if key("p", q, text) not in store})
        if not todo:
            continue
        t0 = time.perf_counter()
        prefix = lm.tokenize(("Answer: " + text).encode("utf-8"), add_bos=True)[:ANSWER_TOKENS] + \
            lm.tokenize(b"\n\nThe question this answers:", add_bos=False)
        lm.reset()
        lm.eval(prefix)
        for q in todo:
            qq = lm.tokenize((" " + q).encode("utf-8"), add_bos=False)
            cond = continuation(len(prefix), qq)
            store[key("p", q, text)] = round(cond - unconditional[q], 5)
        times.append((len(prefix), (time.perf_counter() - t0) / len(todo)))
        if n % 10 == 0:
            cache_path.write_text(json.dumps(store))
    if times:
        print(f"conditional likelihood: median {np.median([s for _, s in times]) * 1000:.0f} ms per pairing "
              f"(answer prefix shared by its pairings) of median {np.median([n for n, _ in times]):.0f} answer tokens; "
              f"resident +{rss_mb() - r0:.0f} MB")
    cache_path.write_text(json.dumps(store))


# --- evaluation ----------------------------------------------------------------------------------------------

def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    if not len(pos) or not len(neg):
        return float("nan")
    return float(np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg]))


def threshold(own: np.ndarray, off: np.ndarray, rule: str) -> float:
    if rule == "off90":
        return float(np.percentile(off, 90))
    values = np.unique(np.concatenate([own, off]))
    cuts = np.concatenate([[values[0] - 1], (values[:-1] + values[1:]) / 2, [values[-1] + 1]])
    ba = [(np.mean(own >= c) + np.mean(off < c)) / 2 for c in cuts]
    return float(cuts[int(np.argmax(ba))])


# the bank's question kind whose questions are a rubric's reference pool (topic.question_side)
BANK_KIND = {"design": "design", "concept": "technical"}


def scorer_on(fit: Fit, corpus: Sequence[tuple[str, str, str, bool, str]], rid: str,
              fitted_roots: set[str], cv_roots: set[str], z: bool) -> Callable[[Pair], float]:
    """The measure fitted on the training repositories' originals except the held-out CV roots (those not in
    `fitted_roots`); standardised (`z`) against the rubric's fitted originals. The reference questions: the
    bank's of the rubric's kind and the rubric's fitted originals' questions."""
    docs = [t for r, _, t, tr, _ in corpus if tr and (r in fitted_roots or r not in cv_roots)]
    kinds = bank_categories()[1]
    pool = sorted({q for r, rub, _, tr, q in corpus if tr and rub == rid and r in fitted_roots}
                  | {q for i, q in bank_questions().items() if kinds[i] == BANK_KIND[rid]})
    base = fit(docs, pool)
    if not z:
        return lambda p: base(p.question, p.text)
    s = standardised(base, [(r, t) for r, rub, t, tr, _ in corpus if tr and rub == rid and r in fitted_roots])
    return lambda p: s(p.question, p.text, p.root)  # type: ignore[call-arg]


def measure_on(fit: Fit | tuple[Fit, Fit], corpus: Sequence[tuple[str, str, str, bool, str]], rid: str,
               fitted_roots: set[str], cv_roots: set[str], z: bool) -> Callable[[Pair], float]:
    """scorer_on, or for a pair of fits the sum of the first (standardised when `z`) and the second (as is)."""
    if not isinstance(fit, tuple):
        return scorer_on(fit, corpus, rid, fitted_roots, cv_roots, z)
    a, b = (scorer_on(f, corpus, rid, fitted_roots, cv_roots, zz) for f, zz in zip(fit, (z, False), strict=True))
    return lambda p: a(p) + b(p)


def _count(pairs: Sequence[Pair], scores: Sequence[float], cut: float, kind: str, test: bool | None,
           cond: Callable[[Pair, bool], bool]) -> str:
    got = [cond(p, s >= cut) for p, s in zip(pairs, scores, strict=True)
           if p.kind == kind and (test is None or p.train != test)]
    return f"{sum(got)}/{len(got)}"


def evaluate(name: str, fit: Fit | tuple[Fit, Fit], pairs: Sequence[Pair],
             corpus: Sequence[tuple[str, str, str, bool, str]], z: bool,
             cv_only: bool = False) -> dict[str, dict[str, str]]:
    """Figures of one measure under both rules, per rubric (with `cv_only`, no frozen-split figures). `corpus`:
    (root, rubric, text, train, question) of every original (all rubrics), the text the measures are fitted on.
    A pair of fits is their sum, the first standardised against the background answers (`z`), the second
    not."""
    from sklearn.model_selection import GroupKFold

    rules = ("ba", "off90")
    out: dict[str, dict[str, str]] = {}
    for rid in RUBRICS:
        mine = [p for p in pairs if p.rubric == rid]
        cv = [p for p in mine if p.train and p.kind in ("own", "offtopic")]
        roots = sorted({p.root for p in cv})
        oof: dict[int, float] = {}
        cut_oof: dict[str, dict[int, float]] = {r: {} for r in rules}
        for train_idx, _ in GroupKFold(n_splits=FOLDS).split(np.zeros(len(roots)), groups=roots):
            fitted = {roots[i] for i in train_idx}
            f = measure_on(fit, corpus, rid, fitted, set(roots), z)
            scored = [(p, f(p)) for p in cv if p.root in fitted]
            own = np.array([s for p, s in scored if p.kind == "own"])
            off = np.array([s for p, s in scored if p.kind == "offtopic"])
            for k, p in enumerate(cv):
                if p.root not in fitted:
                    oof[k] = f(p)
                    for r in rules:
                        cut_oof[r][k] = threshold(own, off, r)
        f_all = measure_on(fit, corpus, rid, set(roots), set(roots), z)
        all_own = np.array([f_all(p) for p in cv if p.kind == "own"])
        all_off = np.array([f_all(p) for p in cv if p.kind == "offtopic"])
        a = auc(np.array([oof[k] for k, p in enumerate(cv) if p.kind == "own"]),
                np.array([oof[k] for k, p in enumerate(cv) if p.kind == "offtopic"]))
        held = [p for p in mine if not (p.train and p.kind in ("own", "offtopic"))]
        held_scores = [f_all(p) for p in held]
        for r in rules:
            cut = threshold(all_own, all_off, r)
            passed = {k: oof[k] >= cut_oof[r][k] for k in oof}
            cv_rej = [not passed[k] for k, p in enumerate(cv) if p.kind == "own"]
            cv_off = [passed[k] and p.kept > 1 for k, p in enumerate(cv) if p.kind == "offtopic"]
            line = f"AUC {a:.2f}  CV off>1 {np.mean(cv_off):4.0%}  CV own rejected {np.mean(cv_rej):4.0%}  "
            kept = _count(held, held_scores, cut, 'offtopic', True, lambda p, ok: ok and p.kept > 1)
            test = (f"TEST off>1 {kept:>5}  "
                    f"TEST own rej {_count(held, held_scores, cut, 'own', True, lambda p, ok: not ok):>5}  ")
            # with cv_only, the bank pairings of training-side answers only
            bank = _count(held, held_scores, cut, 'bank', False if cv_only else None, lambda p, ok: not ok)
            out.setdefault(rid, {})[f"{name} {r}"] = line + ("" if cv_only else test) + (
                f"bank rej {bank:>5}  "
                f"calib rej {_count(held, held_scores, cut, 'calibration', None, lambda p, ok: not ok):>3}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--llm", action="store_true", help="also the SmolLM2 measures (from the cache)")
    ap.add_argument("--llm-compute", action="store_true", help="compute the SmolLM2 measures into the cache")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cv-only", action="store_true", help="no frozen-split figures, and the bank pairings of "
                    "training-side answers only (while choosing)")
    args = ap.parse_args()
    pairs = pairings()
    if args.llm_compute:
        llm_compute(pairs, args.model, args.cache, args.threads)
    rows = load_rows()
    examples = [e for e in build(rows, paths=("written",)) if e.how == "original"]
    train, _ = split(examples)
    train_ids = {e.id for e in train}
    corpus = [(e.root, e.rubric, "\n\n".join(s.text for s in e.sentences), e.id in train_ids, e.question)
              for e in examples]
    counts = {rid: {k: sum(p.rubric == rid and p.kind == k for p in pairs)
                    for k in ("own", "offtopic", "bank", "calibration")} for rid in RUBRICS}
    print(f"pairings: {counts}")
    bank_docs = list(bank_questions(talking_points=True).values())
    # the questions lemmas are weighed among: the training originals' and the bank's (as the training command)
    questions = sorted({p.question for p in pairs if p.kind == "own" and p.train} | set(bank_questions().values()))
    product: Fit = lambda docs, pool: fit_lsa([*docs, *bank_docs], questions)  # noqa: E731
    measures: list[tuple[str, Fit | tuple[Fit, Fit]]] = [
        ("lex", lambda docs, pool: fit_lex(docs)), ("lsa", lambda docs, pool: fit_lsa(docs)),
        ("lsa+bank", lambda docs, pool: fit_lsa([*docs, *bank_docs])), ("lsa+bank+qidf", product),
        ("lsa+bank+qidf_qz", lambda docs, pool: fit_lsa([*docs, *bank_docs], questions, pool, "qz")),
        ("lsa+bank+qidf_qrank", lambda docs, pool: fit_lsa([*docs, *bank_docs], questions, pool, "qrank")),
        ("lsa+bank+qidf_z+qz", (product, lambda docs, pool: fit_lsa([*docs, *bank_docs], questions, pool, "qz"))),
        ("minilm", lambda docs, pool: fit_minilm()), ("minilm_sentences", lambda docs, pool: fit_minilm(True))]
    if args.llm or args.llm_compute:
        cached = json.loads(args.cache.read_text())
        measures += [("emb", lambda docs, pool: fit_cached(cached, "emb")),
                     ("pmi", lambda docs, pool: fit_cached(cached, "pmi"))]
        done = [p for p in pairs if key("p", p.question, p.text) in cached and key("e", p.text) in cached
                and key("e", p.question) in cached]
        if len(done) < len(pairs):
            print(f"SmolLM2 measures cached for {len(done)} of {len(pairs)} pairings: every measure is compared on "
                  "those")
            pairs = done
    table: dict[str, dict[str, str]] = {}
    for name, fit in measures:
        # pmi_z would need every background pairing; the question-side measures are standardised already (a sum
        # is always the answer-side z plus the question-side one)
        zs = (True,) if isinstance(fit, tuple) else (False,) if name == "pmi" or "_q" in name else (False, True)
        for z in zs:
            label = name if isinstance(fit, tuple) else name + ("_z" if z else "")
            for rid, lines in evaluate(label, fit, pairs, corpus, z, args.cv_only).items():
                table.setdefault(rid, {}).update(lines)
    for rid, lines in table.items():
        print(f"{rid}:")
        for n, line in lines.items():
            print(f"  {n:22s} {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
