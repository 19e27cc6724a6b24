"""The labelled answers the structure classifier learns from, and the variants made from them systematically.

Rows (tests/data/answers/*.jsonl, fields in tests/data/SOURCES.md) carry answer-level labels and `evidence`
substrings. A sentence is labelled as showing an item when it holds enough of one of that item's evidence
substrings (see _shows), or when a hand-made ablated copy of its answer (a row with `derived_from`) deleted it
while cutting that item: the evidence lists only the shortest substrings, the deletion shows everything the
labeller saw as that item (with several items cut at once, a deleted sentence counts for the item whose evidence
shares its paragraph or list item). From each row, without looking at any test figure, come:
- ablated variants: the sentences showing one item deleted -> that item false; another item stays true only
  if some of its evidence survives (the provided ablations are kept, not generated twice);
- off-topic pairings (design and concept): the answer given to another question of its kind that shares no
  content word with its own -> every item false;
- non-stories (STAR): each design or concept answer given to a behavioural question -> every STAR item false
  (its sentences explain or design, they tell nothing that happened); unlike off-topic pairings they train
  the item classifiers, since STAR has no gate (a story answers most behavioural questions);
- spoken variants of every written one: "asr" (lower case, no punctuation, filled pauses and repeats, pauses
  at some sentence ends) and "whisper" (punctuated, a few filled pauses), cut into sentences by the same
  splitter as real transcripts (sentences.split_words), so the spoken path is trained like the written one.
Every variant keeps its original's `group` (the source repository) and `root` (the original's id), so split
and cross-validation folds never separate an answer from its copies.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.domain import Word
from app.paths import PROJECT_ROOT
from app.scoring.sentences import Sentence, plain, split_text, split_words

DATA_DIR = PROJECT_ROOT / "tests" / "data" / "answers"
RUBRIC_OF_KIND = {"behavioral": "star", "design": "design", "concept": "concept"}
MIN_OVERLAP = 20  # characters of an evidence substring a sentence must hold (or half of a shorter one)
FILLERS = ("um", "uh", "um", "uh", "like", "you know")


@dataclass(frozen=True)
class Example:
    """One answer as the scorer sees it, with answer- and sentence-level labels."""

    id: str
    rubric: str
    question: str
    group: str  # source repository: the unit of the frozen split
    root: str  # the original answer's id: the unit of cross-validation folds
    how: str  # original | ablated | offtopic | nonstory
    path: str  # written | asr | whisper
    labels: dict[str, bool]
    sentences: tuple[Sentence, ...]
    sentence_labels: dict[str, tuple[bool, ...]] = field(default_factory=dict)
    ablated: tuple[str, ...] = ()
    words: tuple[Word, ...] = ()  # the spoken variants' words, as a transcript would give them

    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


ADDED_EVIDENCE = "evidence-added.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    """The objects of a JSON-lines file, blank lines skipped."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_rows(data_dir: Path = DATA_DIR, added: bool = True, exclude: Iterable[str] = ()) -> list[dict]:
    """The labelled rows (but those of the files named in `exclude`), with the evidence of `ADDED_EVIDENCE`
    (when `added` and the file is there) joined to each row's own: further places in an original's answer that
    show an item it is labelled with, listed after the row's labeller gave only the shortest (tests/data/
    SOURCES.md). A hand-made ablated copy gets those of its original's places that it still holds, for the items
    it is still labelled with."""
    skip = set(exclude)
    rows = [row for path in sorted(data_dir.glob("answers-*.jsonl")) if path.name not in skip
            for row in read_jsonl(path)]
    added_path = data_dir / ADDED_EVIDENCE
    if not added or not added_path.is_file():
        return rows
    extra = {a["id"]: a["extra"] for a in read_jsonl(added_path)}
    for row in rows:
        for item, subs in extra.get(row.get("derived_from") or row["id"], {}).items():
            if row["labels"].get(item):
                own = row["evidence"].setdefault(item, [])
                own += [s for s in subs if s in row["answer"] and s not in own]
    return rows


def repository(row: dict) -> str:
    return "/".join(row["source"].split("/")[3:5])


def _spans(answer: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s in sentences:
        start = answer.find(s.text, pos)
        start = start if start >= 0 else pos
        out.append((start, start + len(s.text)))
        pos = start + len(s.text)
    return out


def _shows(span: tuple[int, int], evidence: Iterable[tuple[int, int]]) -> bool:
    for a, b in evidence:
        overlap = min(span[1], b) - max(span[0], a)
        if overlap > 0 and overlap >= min(MIN_OVERLAP, (b - a) / 2):
            return True
    return False


def _evidence_spans(answer: str, subs: Iterable[str]) -> list[tuple[int, int]]:
    out = []
    for sub in subs:
        at = answer.find(sub)
        if at >= 0:
            out.append((at, at + len(sub)))
    return out


def written(row: dict, rubric: str, how: str, group: str, root: str) -> Example:
    answer = row["answer"]
    sentences = tuple(split_text(answer)[0])
    spans = _spans(answer, sentences)
    labels = {k: bool(v) for k, v in row["labels"].items()}
    sentence_labels = {}
    for item, subs in row["evidence"].items():
        ev = _evidence_spans(answer, subs) if labels.get(item) else []
        sentence_labels[item] = tuple(not s.label and _shows(sp, ev) for s, sp in zip(sentences, spans, strict=True))
    return Example(row["id"], rubric, row["question"], group, root, how, "written", labels, sentences,
                   sentence_labels, tuple(row.get("ablated") or ()))


def _blocks(answer: str) -> list[tuple[int, int]]:
    """The paragraphs and list items of an answer, as character spans."""
    starts = (m.start() for m in re.finditer(r"\n\s*\n|\n(?=\s*([-*+•]|\d{1,2}[.)])\s)", answer))
    cuts = sorted({0, len(answer), *starts})
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if answer[a:b].strip()]


def with_deletions(ex: Example, row: dict, cuts: Sequence[dict]) -> Example:
    """`ex` (the written original of `row`) with the sentences its hand-made ablated copies deleted marked as
    showing the item they cut."""
    if not cuts:
        return ex
    answer = row["answer"]
    spans = _spans(answer, ex.sentences)
    blocks = _blocks(answer)

    def block(at: int) -> int:
        return next((k for k, (a, b) in enumerate(blocks) if a <= at < b), -1)

    labels = {i: list(v) for i, v in ex.sentence_labels.items()}
    for cut in cuts:
        kept = plain(cut["answer"])
        items = [i for i in cut.get("ablated") or () if ex.labels.get(i)]
        for k, (s, sp) in enumerate(zip(ex.sentences, spans, strict=True)):
            if s.label or plain(s.text) in kept:
                continue
            if len(items) == 1:
                labels[items[0]][k] = True
                continue
            for i in items:
                if any(block(a) == block(sp[0]) for a, _ in _evidence_spans(answer, row["evidence"].get(i, []))):
                    labels[i][k] = True
    return replace(ex, sentence_labels={i: tuple(v) for i, v in labels.items()})


def ablate(ex: Example, row: dict, item: str) -> dict | None:
    """A row with the sentences showing `item` deleted, or None when nothing would be left or nothing changes."""
    drop = list(ex.sentence_labels.get(item, ()))
    if not any(drop) or all(drop):
        return None
    answer = row["answer"]
    spans = _spans(answer, ex.sentences)
    paragraphs = [m.span() for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", answer)]
    if len(paragraphs) >= 3:
        # The evidence lists the shortest substrings: the rest of a paragraph that shows the item usually shows it
        # too, so a structured answer (one paragraph per part) loses the whole paragraph.
        hit = {k for k, (a, b) in enumerate(paragraphs)
               if any(g and a <= sp[0] < b for g, sp in zip(drop, spans, strict=True))}
        widened = [any(paragraphs[k][0] <= sp[0] < paragraphs[k][1] for k in hit) for sp in spans]
        if not all(widened):
            drop = widened
    kept, pos = [], 0
    for (a, b), gone in zip(spans, drop, strict=True):
        if gone:
            kept.append(answer[pos:a].rstrip(" ") if pos < a else "")
            pos = b
    kept.append(answer[pos:])
    text = re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip()
    evidence = {k: [s for s in v if s in text] if k != item else [] for k, v in row["evidence"].items()}
    labels = {k: bool(row["labels"][k] and evidence[k]) for k in row["labels"]}
    return {**row, "id": f"{row['id']}~no-{item}", "answer": text, "labels": labels, "evidence": evidence,
            "derived_from": row["id"], "ablated": [item]}


def _seed(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join(parts).encode()))


def spoken(ex: Example, path: str) -> Example:
    """The spoken form of a written example: words with made-up but plausible timings, re-cut into sentences."""
    rng = _seed(ex.id, path)
    words: list[Word] = []
    tags: list[frozenset[str]] = []
    t = 0.0
    for k, s in enumerate(ex.sentences):
        if s.label:
            continue
        shows = frozenset(i for i, flags in ex.sentence_labels.items() if flags[k])
        for tok in plain(s.text).split():
            if path == "asr":
                tok = re.sub(r"[^\w'%$.-]+", "", tok.lower()).strip(".-")
                if not tok:
                    continue
            for extra in ([rng.choice(FILLERS)] if rng.random() < (0.08 if path == "asr" else 0.04) else []) + \
                    ([tok] if path == "asr" and rng.random() < 0.03 else []):
                words.append(Word(extra + ("," if path == "whisper" and extra in FILLERS else ""), t, t + 0.25))
                tags.append(frozenset())
                t += 0.32
            words.append(Word(tok, round(t, 2), round(t + 0.28, 2)))
            tags.append(shows)
            t += 0.35
        t += 0.9 if rng.random() < 0.5 else 0.1
    sentences, _ = split_words(words)
    sentence_labels: dict[str, list[bool]] = {i: [] for i in ex.sentence_labels}
    at = 0
    for s in sentences:
        n = len(s.text.split())
        mine = tags[at:at + n]
        at += n
        for i in sentence_labels:
            hits = sum(i in tg for tg in mine)
            sentence_labels[i].append(hits >= 6 or hits * 2 >= max(1, n))
    return Example(f"{ex.id}@{path}", ex.rubric, ex.question, ex.group, ex.root, ex.how, path, ex.labels,
                   tuple(sentences), {i: tuple(v) for i, v in sentence_labels.items()}, ex.ablated, tuple(words))


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())} - _QUESTION_WORDS


_QUESTION_WORDS = frozenset([
    "what", "when", "which", "does", "work", "works", "would", "design", "describe", "explain", "tell", "about",
    "your", "with", "from", "that", "this", "have", "between", "difference", "differ", "system", "systems", "how",
    "there", "they", "them",
])


def build(rows: Sequence[dict], offtopic_per_answer: int = 2,
          paths: Sequence[str] = ("written", "asr", "whisper"), frozen: Iterable[str] | None = None) -> list[Example]:
    """Every example made from `rows`: originals, ablated variants, off-topic pairings and spoken variants.
    An answer is paired only with questions from its own side of the frozen split (`frozen`: the test
    repositories, by default split.json's), so no frozen answer's question reaches the training side."""
    test = test_repositories() if frozen is None else set(frozen)
    by_id = {r["id"]: r for r in rows}
    out: list[Example] = []
    given = {(r["derived_from"], tuple(sorted(r["ablated"]))) for r in rows if r.get("derived_from")}
    cuts: dict[str, list[dict]] = {}
    for r in rows:
        if r.get("derived_from"):
            cuts.setdefault(r["derived_from"], []).append(r)
    originals = [r for r in rows if not r.get("derived_from")]

    def side(r: dict) -> bool:
        return repository(r) in test

    for r in rows:
        root = r.get("derived_from") or r["id"]
        group = repository(by_id.get(root, r))
        rubric = RUBRIC_OF_KIND[r["kind"]]
        ex = written(r, rubric, "ablated" if r.get("derived_from") else "original", group, root)
        if r.get("derived_from"):
            out.append(ex)
            continue
        ex = with_deletions(ex, r, cuts.get(r["id"], []))
        out.append(ex)
        for item in ex.labels:
            if ex.labels[item] and (r["id"], (item,)) not in given:
                cut = ablate(ex, r, item)
                if cut is not None:
                    out.append(written(cut, rubric, "ablated", group, root))
    for r in originals:
        if r["kind"] == "behavioral":
            continue  # a story answers most behavioural questions: no off-topic pairing is certain
        mine = _content(r["question"])
        others = sorted((o for o in originals if o["kind"] == r["kind"] and o["id"] != r["id"]
                         and side(o) == side(r) and not _content(o["question"]) & mine),
                        key=lambda o: zlib.crc32((r["id"] + o["id"]).encode()))
        for o in others[:offtopic_per_answer]:
            pair = {**r, "id": f"{r['id']}~q-{o['id']}", "question": o["question"],
                    "labels": {k: False for k in r["labels"]}, "evidence": {k: [] for k in r["labels"]}}
            out.append(written(pair, RUBRIC_OF_KIND[r["kind"]], "offtopic", repository(r), r["id"]))
    stories = [o for o in originals if o["kind"] == "behavioral"]
    items = next((list(o["labels"]) for o in stories), [])
    for r in originals:
        if r["kind"] == "behavioral":
            continue
        mine_side = [o for o in stories if side(o) == side(r)]
        if not mine_side:
            continue
        o = min(mine_side, key=lambda o: zlib.crc32((r["id"] + o["id"]).encode()))
        pair = {**r, "id": f"{r['id']}~story-{o['id']}", "kind": "behavioral", "question": o["question"],
                "labels": {k: False for k in items}, "evidence": {k: [] for k in items}}
        out.append(written(pair, "star", "nonstory", repository(r), r["id"]))
    return [ex for ex in out if "written" in paths] + [spoken(ex, p) for ex in out for p in paths if p != "written"]


def test_repositories(data_dir: Path = DATA_DIR) -> set[str]:
    """The frozen split's test side: whole source repositories (tests/data/answers/split.json)."""
    return set(json.loads((data_dir / "split.json").read_text(encoding="utf-8"))["test_repositories"])


def split(examples: Sequence[Example], data_dir: Path = DATA_DIR) -> tuple[list[Example], list[Example]]:
    """(train, test) by the frozen split (`test_repositories`)."""
    test = test_repositories(data_dir)
    return [e for e in examples if e.group not in test], [e for e in examples if e.group in test]
