"""Splitting an answer into sentences that keep their audio timestamps, so evidence can point at audio.

A sentence's `text` is always an exact slice of what the user said or wrote (the transcript's words joined by
single spaces, or the written answer's own characters), so evidence can be found again in the answer.

Written answers: sentences end at . ? ! (not after "e.g." or inside "0.3"), at blank lines and where a
markdown list item or heading starts; fenced code is skipped. Headings and list items of one or two words
("### Monitoring", "* A/B Test") are marked as `label`s: an outline's topic words, not statements, so they
are never cited as evidence.

Spoken answers often come with little or no punctuation. When a transcript has fewer than one sentence mark
per 25 words, sentences are also cut at pauses of PAUSE_S or more and before discourse markers that open a
new clause ("so", "and then", "but", "in the end", ...) once the current sentence has MIN_WORDS words.

split_text/split_words also take a guard (app/scoring/guard.py) that cuts grader-directed text out of the
punctuation-delimited sentences *before* the finer cuts, so an answer with and without appended instructions
is segmented the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.domain import Evidence, Word

_END = re.compile(r"[.?!]['\"”’)\]*_]*$")
_ABBREV = re.compile(r"^(e\.g|i\.e|etc|vs|mr|mrs|ms|dr|approx|incl|no|fig|st|cf)\.$", re.IGNORECASE)
MAX_WORDS = 40  # long run-on speech is cut so one "sentence" never covers a whole answer
MAX_WORDS_PUNCTUATED = 70  # written sentences run longer; the cap only guards against a missing full stop
MIN_WORDS = 6  # no cut at a pause or discourse marker before this many words
PAUSE_S = 0.7
_SPARSE_MARKS = 25  # words per sentence mark above which a transcript counts as unpunctuated

# Words that open a new clause in unpunctuated speech ("... the logs so i rewrote the job").
_OPENERS = re.compile(
    r"^(so|then|but|however|because|eventually|finally|afterwards|afterward|ultimately|next|first|second|also|"
    r"and then|and so|and that|after that|in the end|at the end|as a result|which meant|that meant|so then|"
    r"my (goal|task|job|role|plan|approach)|the (goal|task|result|outcome|problem)|i was asked|i decided|"
    r"i learned|i realized|i realised|we ended|last (year|month|quarter)|for example|for instance)$",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"^\(?\d{1,3}\.$")  # "2." in "### 2. Metrics" or "step 3." is not a sentence end
_LEAD_INS = {"and", "um", "uh", "er", "erm", "so", "like"}
_LIST_ITEM = re.compile(r"^\s*([-*+•]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_FENCE = re.compile(r"^\s*(```|~~~)")
_MARKUP = re.compile(r"[#*_`>|~]+|^\s*([-+•]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Token:
    text: str
    start: float | None = None
    end: float | None = None
    gap: str = " "  # the whitespace that followed it in the answer


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    start: float | None
    end: float | None
    label: bool = False  # a heading or one/two-word list item: never evidence
    tokens: tuple[Token, ...] = field(default=(), compare=False, repr=False)

    def evidence(self) -> Evidence:
        return Evidence(self.text, self.start, self.end)


def _join(tokens: Sequence[Token]) -> str:
    return "".join(t.text + t.gap for t in tokens[:-1]) + tokens[-1].text if tokens else ""


def plain(text: str) -> str:
    """The text without markdown markup, for matching (evidence keeps the original)."""
    return " ".join(_MARKUP.sub(" ", text).split())


def _unpunctuated(tokens: Sequence[Token]) -> bool:
    marks = sum(1 for t in tokens if _END.search(t.text))
    return len(tokens) > MIN_WORDS * 2 and len(tokens) > _SPARSE_MARKS * marks


def _ends_sentence(tok: Token) -> bool:
    return bool(_END.search(tok.text)) and not _ABBREV.match(tok.text.lstrip("([").lower()) \
        and not _ORDINAL.match(tok.text)


def _cut_here(cur: Sequence[Token], rest: Sequence[Token], spoken_cuts: bool) -> bool:
    """Whether a sentence ends after `cur`, given the tokens that follow."""
    if _ends_sentence(cur[-1]):
        return True
    if len(cur) >= (MAX_WORDS if spoken_cuts else MAX_WORDS_PUNCTUATED):
        return True
    if not spoken_cuts or len(cur) < MIN_WORDS or not rest:
        return False
    if cur[-1].end is not None and rest[0].start is not None and rest[0].start - cur[-1].end >= PAUSE_S:
        return True
    words = [re.sub(r"[^A-Za-z']+", "", t.text).lower() for t in rest[:4]]
    starts = [words] + ([words[1:]] if words[0] in _LEAD_INS else [])  # "and in the end ..." cuts before "and"
    return any(_OPENERS.match(" ".join(w[:n])) for w in starts for n in (1, 2, 3) if len(w) >= n)


def _segment(blocks: Sequence[Sequence[Token]], labels: Sequence[bool]) -> list[Sentence]:
    spoken_cuts = _unpunctuated([t for b in blocks for t in b])
    out: list[Sentence] = []
    for block, label in zip(blocks, labels, strict=True):
        cur: list[Token] = []
        for i, tok in enumerate(block):
            cur.append(tok)
            if not label and _cut_here(cur, block[i + 1:], spoken_cuts):
                out.append(Sentence(len(out), _join(cur), cur[0].start, cur[-1].end, label, tuple(cur)))
                cur = []
        if cur:
            out.append(Sentence(len(out), _join(cur), cur[0].start, cur[-1].end, label, tuple(cur)))
    return out


Guard = Callable[[str], "tuple[int, int] | None"]  # where text to be dropped starts and ends in a sentence
MIN_KEPT_WORDS = 3  # what precedes dropped text in its sentence is kept only if this long


def _units(block: Sequence[Token]) -> list[list[Token]]:
    """A block cut where sentences end at punctuation, and in speech also at pauses of PAUSE_S or more (an
    unpunctuated transcript is otherwise one unit, and text dropped early in it would take the rest along)."""
    units: list[list[Token]] = [[]]
    for i, tok in enumerate(block):
        units[-1].append(tok)
        nxt = block[i + 1] if i + 1 < len(block) else None
        paused = nxt is not None and tok.end is not None and nxt.start is not None and nxt.start - tok.end >= PAUSE_S
        if _ends_sentence(tok) or paused:
            units.append([])
    return [u for u in units if u]


def _token_at(unit: Sequence[Token], offset: int) -> int:
    """How many of `unit`'s tokens end at or before character `offset` of its joined text."""
    pos, n = 0, 0
    while n < len(unit) and pos + len(unit[n].text) <= offset:
        pos += len(unit[n].text) + len(unit[n].gap)
        n += 1
    return n


def _starting_before(unit: Sequence[Token], offset: int) -> int:
    """How many of `unit`'s tokens start before character `offset` of its joined text."""
    pos, n = 0, 0
    while n < len(unit) and pos < offset:
        pos += len(unit[n].text) + len(unit[n].gap)
        n += 1
    return n


def _guarded(blocks: Sequence[Sequence[Token]], labels: Sequence[bool], guard: Guard
             ) -> tuple[list[list[Token]], list[bool], int]:
    """Blocks with the text `guard` points at cut out, and how many pieces were cut.

    This runs on sentences cut at punctuation (and pauses) only, before the finer cuts at discourse markers and
    MAX_WORDS, so removing text never changes how the rest of the answer is segmented. What follows the dropped
    text in its sentence is looked at again and kept when the guard finds nothing more in it.
    """
    out: list[list[Token]] = []
    out_labels: list[bool] = []
    touched = 0
    for block, label in zip(blocks, labels, strict=True):
        kept: list[Token] = []
        for unit in _units(block):
            while unit:
                span = guard(_join(unit))
                if span is None:
                    kept += unit
                    break
                touched += 1
                n = _token_at(unit, span[0])
                if n >= MIN_KEPT_WORDS and guard(_join(unit[:n])) is None:
                    kept += unit[:n]
                if kept:  # nothing may join across removed text
                    out.append(kept)
                    out_labels.append(label)
                    kept = []
                rest = unit[max(n + 1, _starting_before(unit, span[1])):]
                unit = rest
        if kept:
            out.append(kept)
            out_labels.append(label)
    return out, out_labels, touched


def split_words(words: Sequence[Word], guard: Guard | None = None) -> tuple[list[Sentence], int]:
    """Sentences of a spoken answer, without what `guard` points at; and how many sentences it touched."""
    tokens = [Token(w.text, w.start, w.end) for w in words if w.text.strip()]
    blocks, labels, touched = _guarded([tokens], [False], guard) if guard else ([tokens], [False], 0)
    return _segment(blocks, labels), touched


def from_words(words: Sequence[Word]) -> list[Sentence]:
    """Sentences of a spoken answer, with the start of their first and the end of their last word."""
    return split_words(words)[0]


def _blocks(text: str) -> tuple[list[list[Token]], list[bool]]:
    """Written text as blocks of tokens (a paragraph, a list item or a heading), and which are labels."""
    blocks: list[list[Token]] = []
    labels: list[bool] = []
    in_code = False
    cur: list[Token] = []
    pos = cur_end = 0

    def close() -> None:
        nonlocal cur
        if cur:
            cur[-1] = Token(cur[-1].text, gap="")
            words = plain(_join(cur)).split()
            heading = _HEADING.match(cur[0].text + " ") is not None
            short_item = _LIST_ITEM.match(_join(cur)) is not None and len(words) <= 2
            blocks.append(cur)
            labels.append(heading or short_item or (len(words) <= 4 and _join(cur).rstrip("*_ ").endswith(":")))
            cur = []

    for line in text.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        if _FENCE.match(line):
            close()
            in_code = not in_code
            continue
        if in_code:
            continue
        if not line.strip() or _LIST_ITEM.match(line) or _HEADING.match(line):
            close()
        fresh = not cur
        for m in re.finditer(r"\S+", line):
            if cur:  # the whitespace between the previous token and this one, newlines included
                cur[-1] = Token(cur[-1].text, gap=text[cur_end:line_start + m.start()])
            cur.append(Token(m.group()))
            cur_end = line_start + m.end()
        caption = fresh and line.rstrip().rstrip("*_").endswith(":") and len(plain(line).split()) <= 4
        if _HEADING.match(line) or caption:  # "### Metrics" or "**Alert triggers**:" stands alone
            close()
    close()
    return blocks, labels


def split_text(text: str, guard: Guard | None = None) -> tuple[list[Sentence], int]:
    """Sentences of a written answer without what `guard` points at; and how many sentences it touched."""
    blocks, labels = _blocks(text)
    if guard:
        blocks, labels, touched = _guarded(blocks, labels, guard)
        return _segment(blocks, labels), touched
    return _segment(blocks, labels), 0


def from_text(text: str) -> list[Sentence]:
    """Sentences of a written answer (no timestamps); each text is a slice of `text`."""
    return split_text(text)[0]
