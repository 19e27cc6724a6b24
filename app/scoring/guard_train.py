"""Train the grader guard's learned detector: `python -m app.scoring.guard_train [--check]`.

One deterministic command, run from a checkout. Positives (text addressed to an automated grader): the payload
lines of promptfoo's judge-prompt-injection examples (tests/data/guard/promptfoo-judge-injection.txt, MIT) and
the two pools of bench/score_injection.py that the guard may be revised against (bench/score_dev.py's ten texts
and the "tune" pool, each with every rubric's item names); never the held-out pool. Negatives: the sentences of
the labelled answers from the training repositories only (tests/data/answers/split.json: the frozen test
repositories are kept for measuring false alarms), the question bank's questions and talking points, and
ordinary sentences that use grading words innocently (tests/data/guard/hard-negatives.txt). Every text is also
used as an unpunctuated transcript would give it (lower case, no punctuation); a transcript's windows of
`WINDOW` words are negatives, and a spoken positive is run into a few words of a training transcript.

The regularisation strength and the two thresholds (a sentence; a window of unpunctuated speech) are chosen by
grouped cross-validation (folds by repository, bank, hand-written sentence and positive text): the threshold is
the lowest at which no out-of-fold negative of its kind is flagged, and the strength the one whose thresholds
catch the most out-of-fold positives. `--check` retrains in memory and fails if the committed file differs.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from app.paths import PROJECT_ROOT
from app.scoring.corpus import DATA_DIR, RUBRIC_OF_KIND, load_rows, repository, spoken, test_repositories, written
from app.scoring.guard import _WORD, DETECTOR_FORMAT, MIN_WORDS, detector_path, ngram_counts, tfidf, windows
from app.scoring.learn import training_command
from app.scoring.sentences import plain, split_text

GUARD_DATA = PROJECT_ROOT / "tests" / "data" / "guard"
WINDOW = 12  # words of unpunctuated speech scored together
STEP = 3
MIN_DF = 3  # a term must occur in this many training texts
MAX_TERMS = 12000  # the most frequent ones (ties by name), so the file stays small
STRENGTHS = (1.0, 4.0, 16.0)  # LogisticRegression's C, chosen by cross-validation
FOLDS = 5
MARGIN = 1e-3  # the threshold sits this far above the highest out-of-fold negative


@dataclass(frozen=True)
class Text:
    text: str
    positive: bool
    group: str  # the unit of cross-validation folds
    kind: str  # "sentence" (written, or a short spoken piece) or "window" (unpunctuated speech)


def said(text: str) -> str:
    """`text` as an unpunctuated transcript gives it (as app/scoring/corpus.spoken's "asr" path)."""
    return " ".join(t for t in (re.sub(r"[^\w'%$.-]+", "", w.lower()).strip(".-") for w in plain(text).split()) if t)


def _lines(name: str) -> list[str]:
    path = GUARD_DATA / name
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def positive_texts() -> list[tuple[str, str]]:
    """(text, group): the public corpus's lines and the dev and tune pools (every rubric's wording of each)."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from app.scoring.rubrics import default_rubrics
    from bench.score_dev import injections
    from bench.score_injection import pools

    out = [(t, f"promptfoo:{k}") for k, t in enumerate(_lines("promptfoo-judge-injection.txt"))]
    rubrics = default_rubrics()
    for rid in sorted(set(RUBRIC_OF_KIND.values())):
        rubric = rubrics[rid]
        items = ", ".join(it.name.lower() for it in rubric.items)
        out += [(t, f"dev:{k}") for k, t in enumerate(injections(rubric))]
        out += [(t.format(items=items), f"tune:{k}") for k, t in enumerate(pools()["tune"])]
    return out


# Answer files the structure model learns from but the detector does not, yet (tests/data/SOURCES.md): retrained
# with answers-grown4's stories the detector re-chose its strength and flagged a realistic answer sentence
# (tests/test_guard.py), as with answers-grown3 before; its positive windows are run into randomly chosen training
# transcripts, so any new answer reshuffles them. (answers-grown6.jsonl and answers-grown7.jsonl hold only frozen
# rows, which the detector never learns from, so they need no entry; answers-grown6's training rows, held until
# 2026-12-04, are answers-grown6-train.jsonl.)
NOT_FOR_GUARD = ("answers-grown3.jsonl", "answers-grown4.jsonl", "answers-grown5.jsonl",
                 "answers-grown6-train.jsonl", "answers-grown8.jsonl", "answers-grown9.jsonl")


def _originals(data_dir: Path, frozen: bool) -> list[dict]:
    test = test_repositories(data_dir)
    rows = load_rows(data_dir, exclude=() if frozen else NOT_FOR_GUARD)
    return [r for r in rows if not r.get("derived_from") and (repository(r) in test) == frozen]


def training_rows(data_dir: Path = DATA_DIR) -> list[dict]:
    """The original labelled answers from the training repositories (never a frozen test repository's)."""
    return _originals(data_dir, frozen=False)


def frozen_rows(data_dir: Path = DATA_DIR) -> list[dict]:
    return _originals(data_dir, frozen=True)


def transcript(row: dict) -> str:
    """The answer as the unpunctuated "asr" transcript of app/scoring/corpus.spoken gives it."""
    rid = RUBRIC_OF_KIND[row["kind"]]
    ex = written({**row, "evidence": {k: [] for k in row["labels"]}}, rid, "original", "", row["id"])
    return " ".join(w.text for w in spoken(ex, "asr").words)


def transcript_windows(text: str) -> list[str]:
    words = text.split()
    return [" ".join(words[a:b]) for a, b in windows(len(words), WINDOW, STEP)]


def bank_sentences() -> list[str]:
    from app.scoring.train import bank_texts

    return [s.text for t in bank_texts() for s in split_text(t)[0]]


def material(data_dir: Path = DATA_DIR) -> list[Text]:
    rows = training_rows(data_dir)
    out: list[Text] = []
    talk = [(r, transcript(r)) for r in rows]
    for row, heard in talk:
        group = repository(row)
        out += [Text(s.text, False, group, "sentence") for s in split_text(row["answer"])[0]]
        out += [Text(w, False, group, "window") for w in transcript_windows(heard)]
    out += [Text(s, False, "bank", "sentence") for s in bank_sentences()]
    for k, s in enumerate(_lines("hard-negatives.txt")):
        out += [Text(s, False, f"hard:{k}", "sentence"), Text(said(s), False, f"hard:{k}", "sentence")]
    rng = random.Random(20261201)
    contexts = [heard.split() for _, heard in talk]
    for text, group in positive_texts():
        for piece in [text, *(s.text for s in split_text(text)[0] if s.text != text)]:
            out.append(Text(piece, True, group, "sentence"))
        spoken_text = said(text)
        if not spoken_text:
            continue
        out.append(Text(spoken_text, True, group, "sentence"))
        ctx = rng.choice(contexts)
        at = rng.randrange(max(1, len(ctx) - 6))
        before, after = rng.randint(0, 3), rng.randint(0, 3)
        run = ctx[max(0, at - before):at] + spoken_text.split() + ctx[at:at + after]
        out.append(Text(" ".join(run[:max(WINDOW, len(spoken_text.split()))]), True, group, "window"))
    return out


def vocabulary(counts: Sequence[Counter[str]]) -> dict[str, float]:
    """Smoothed idf (as scikit-learn's TfidfVectorizer computes it) of the MAX_TERMS terms in most texts, each in
    at least MIN_DF."""
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    kept = sorted((t for t, d in df.items() if d >= MIN_DF), key=lambda t: (-df[t], t))[:MAX_TERMS]
    return {t: math.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(kept)}


def matrix(counts: Sequence[Counter[str]], idf: dict[str, float], index: dict[str, int]) -> csr_matrix:
    rows, cols, vals = [], [], []
    for i, c in enumerate(counts):
        for t, v in sorted(tfidf(c, idf).items()):
            rows.append(i)
            cols.append(index[t])
            vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(counts), len(index)))


def _fit(x: csr_matrix, y: np.ndarray, strength: float) -> LogisticRegression:
    return LogisticRegression(C=strength, class_weight="balanced", solver="liblinear", max_iter=1000,
                              random_state=0).fit(x, y)


def _threshold(p_negative: np.ndarray) -> float:
    return math.ceil((float(p_negative.max(initial=0.0)) + MARGIN) * 1000) / 1000


def cross_validate(texts: Sequence[Text], counts: Sequence[Counter[str]]) -> dict[str, object]:
    """Out-of-fold probabilities per strength (`counts`: each text's `ngram_counts`); the chosen strength and
    thresholds, with what they catch."""
    y = np.array([t.positive for t in texts])
    kind = np.array([t.kind for t in texts])
    judged = np.array([len(_WORD.findall(t.text)) >= MIN_WORDS for t in texts])  # what the detector looks at
    groups = [t.group for t in texts]
    folds = list(GroupKFold(n_splits=FOLDS).split(np.zeros(len(texts)), y, groups))
    report: dict[str, object] = {}
    best: tuple[float, float] | None = None
    for strength in STRENGTHS:
        oof = np.zeros(len(texts))
        for train, test in folds:
            idf = vocabulary([counts[i] for i in train])
            index = {t: k for k, t in enumerate(idf)}
            model = _fit(matrix([counts[i] for i in train], idf, index), y[train], strength)
            oof[test] = model.predict_proba(matrix([counts[i] for i in test], idf, index))[:, 1]
        figures: dict[str, object] = {}
        caught = 0.0
        for k in ("sentence", "window"):
            mine = (kind == k) & judged
            t = _threshold(oof[mine & ~y])
            recall = float((oof[mine & y] >= t).mean())
            figures[k] = {"threshold": t, "positives_caught": round(recall, 4),
                          "positives": int((mine & y).sum()), "negatives": int((mine & ~y).sum())}
            caught += recall
        report[str(strength)] = figures
        if best is None or caught > best[1]:
            best = (strength, caught)
    assert best is not None
    chosen = report[str(best[0])]
    assert isinstance(chosen, dict)
    return {"strength": best[0], "threshold": chosen["sentence"]["threshold"],
            "window_threshold": chosen["window"]["threshold"], "folds": report}


def _digest(texts: Sequence[Text]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(f"{t.positive}\t{t.group}\t{t.kind}\t{t.text}\n".encode())
    return h.hexdigest()[:16]


def train(data_dir: Path = DATA_DIR) -> dict[str, object]:
    texts = material(data_dir)
    counts = [ngram_counts(t.text) for t in texts]
    cv = cross_validate(texts, counts)
    idf = vocabulary(counts)
    index = {t: k for k, t in enumerate(idf)}
    y = np.array([t.positive for t in texts])
    model = _fit(matrix(counts, idf, index), y, float(cv["strength"]))  # type: ignore[arg-type]
    coef = model.coef_[0]
    terms = {t: [round(v, 4), round(float(coef[index[t]]), 4)] for t, v in idf.items()}
    return {"format": DETECTOR_FORMAT, "window": WINDOW, "step": STEP, "min_df": MIN_DF,
            "intercept": round(float(model.intercept_[0]), 5), "threshold": cv["threshold"],
            "window_threshold": cv["window_threshold"], "strength": cv["strength"], "cv": cv["folds"],
            "material": {"texts": len(texts), "positives": int(y.sum()), "negatives": int((~y).sum()),
                         "sha256": _digest(texts)},
            "terms": terms}


def dumps(doc: dict[str, object]) -> bytes:
    return (json.dumps(doc, indent=None, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def main(argv: Sequence[str] | None = None) -> int:
    return training_command("python -m app.scoring.guard_train", __doc__,
                            detector_path(), "guard detector", lambda: dumps(train()), argv)


if __name__ == "__main__":
    sys.exit(main())
