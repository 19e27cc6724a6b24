"""Discourse fillers decided by syntax: "like" as a filler ("it was, like, huge") and not as a verb or
preposition ("I like it", "a metric like NDCG", "like a feature that..."), and the same for "you know",
"I mean", "kind of" / "sort of".

Only sentences holding a candidate word are parsed (spaCy, the pipeline the scorer loads, app.scoring.nlp),
each on its own, so a sentence is judged the same wherever it stands. "basically" / "actually" are judged by
their neighbours: fillers where they open a clause or stand between commas, not inside one ("it basically
works").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.delivery.tokens import ends_clause, norm
from app.domain import FillerItem, Word

CANDIDATES = frozenset({"like", "know", "mean", "kind", "sort", "basically", "actually", "yknow"})
_CLAUSE_OPENERS = frozenset({"and", "but", "so", "or", "then", "because"})
_NOT_AFTER_KNOW = frozenset({"if", "as", "what", "how", "whether", "do", "did", "does", "when", "who", "where"})


def _sentences(words: Sequence[Word]) -> list[range]:
    """Index ranges of the sentences in `words` (cut after . ? !)."""
    out, start = [], 0
    for i, w in enumerate(words):
        if w.text.rstrip().endswith((".", "?", "!")):
            out.append(range(start, i + 1))
            start = i + 1
    if start < len(words):
        out.append(range(start, len(words)))
    return out


def _parse(words: Sequence[Word], span: range) -> tuple[Any, dict[int, int]]:
    """The parse of one sentence, and for each word index there the token that starts at that word."""
    from app.scoring.nlp import parse

    offsets, pos = {}, 0
    for i in span:
        offsets[pos] = i
        pos += len(words[i].text) + 1
    doc = parse([" ".join(words[i].text for i in span)])[0]
    return doc, {offsets[t.idx]: t.i for t in doc if t.idx in offsets}


def _has_child(tok: Any, deps: set[str]) -> bool:
    return any(c.dep_ in deps for c in tok.children)


def _you_know_is_filler(doc: Any, know: Any) -> bool:
    """Filler unless "know" takes an object ("you know the answer"), asks ("do you know"), or is led by a
    subordinator ("if you know", "as you know")."""
    before = doc[know.i - 2].lower_ if know.i >= 2 else ""
    if before in _NOT_AFTER_KNOW or doc.text.rstrip().endswith("?"):
        return False
    return not _has_child(know, {"dobj", "mark", "aux", "auxpass", "attr"})


def _i_mean_is_filler(doc: Any, mean: Any) -> bool:
    """Filler unless "mean" takes an object ("I mean it") or heads a clause of its own ("what I mean is")."""
    before = doc[mean.i - 2].lower_ if mean.i >= 2 else ""
    if before in {"what", "if", "do", "did"} or mean.dep_ in {"csubj", "relcl", "advcl", "pcomp"}:
        return False
    return not _has_child(mean, {"dobj", "mark", "aux"})


def _hedge_noun(tok: Any) -> bool:
    """"kind"/"sort" as a noun ("a kind of model", "what sort of test"), not the hedge "kind of slow"."""
    return tok.tag_ in {"NN", "NNS"} or _has_child(tok, {"det", "amod"})


def _opens_or_set_off(words: Sequence[Word], i: int) -> bool:
    prev = words[i - 1] if i else None
    return (prev is None or ends_clause(prev.text) or norm(prev.text) in _CLAUSE_OPENERS
            or ends_clause(words[i].text))


def discourse_fillers(words: Sequence[Word]) -> list[FillerItem]:
    """The discourse fillers in `words`, in order."""
    out: list[FillerItem] = []
    for span in _sentences(words):
        lowered = {i: norm(words[i].text) for i in span}
        if not CANDIDATES & set(lowered.values()):
            continue
        doc: Any = None
        tok_at: dict[int, int] = {}
        for i in span:
            n = lowered[i]
            nxt = lowered.get(i + 1, "")
            if n in {"basically", "actually"}:
                if _opens_or_set_off(words, i):
                    out.append(FillerItem(n, words[i].start, words[i].end, "discourse"))
                continue
            if n == "yknow":
                out.append(FillerItem("you know", words[i].start, words[i].end, "discourse"))
                continue
            phrase = {("like", ""): "like", ("you", "know"): "you know", ("i", "mean"): "i mean",
                      ("kind", "of"): "kind of", ("sort", "of"): "sort of"}.get((n, "" if n == "like" else nxt))
            if phrase is None:
                continue
            if doc is None:
                doc, tok_at = _parse(words, span)
            last = i + (0 if phrase == "like" else 1)
            if i not in tok_at or last not in tok_at:
                continue
            head = doc[tok_at[last if phrase in ("you know", "i mean") else i]]
            if phrase == "like":
                ok = head.tag_ == "UH"
            elif phrase == "you know":
                ok = _you_know_is_filler(doc, head)
            elif phrase == "i mean":
                ok = _i_mean_is_filler(doc, head)
            else:
                ok = not _hedge_noun(head)
            if ok:
                out.append(FillerItem(phrase, words[i].start, words[last].end, "discourse"))
    return out
