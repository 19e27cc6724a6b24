"""Delivery metrics over hand-built word lists: fillers, hedges, repetitions, pace and pauses."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.delivery import analyze_delivery
from app.delivery.fillers import find_fillers
from app.delivery.pauses import find_pauses
from app.domain import Transcript, Word


def words(text: str, start: float = 0.0, dur: float = 0.3, gap: float = 0.1) -> list[Word]:
    """Evenly spaced words: each `dur` long with `gap` of silence between (below the pause threshold)."""
    out, t = [], start
    for tok in text.split():
        out.append(Word(tok, round(t, 6), round(t + dur, 6)))
        t += dur + gap
    return out


def timed(*spec: tuple[str, float, float]) -> list[Word]:
    return [Word(text, start, end) for text, start, end in spec]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.kind) for f in find_fillers(words(text))]


def deliver(ws: list[Word], duration: float | None = None):
    return analyze_delivery(Transcript(words=tuple(ws), duration_s=duration if duration is not None else
                                       (ws[-1].end + 1.0 if ws else 0.0)))


# -- fillers --------------------------------------------------------------------------------------------


def test_filled_pauses() -> None:
    assert kinds("Um, so uh the model erm, hmm worked") == [
        ("um", "filled_pause"), ("uh", "filled_pause"), ("erm", "filled_pause"), ("hmm", "filled_pause")]


def test_filled_pause_timings_are_the_words() -> None:
    ws = words("so um yes")
    [f] = find_fillers(ws)
    assert (f.start, f.end) == (ws[1].start, ws[1].end)


def test_discourse_fillers() -> None:
    assert kinds("you know the data was, I mean, noisy") == [("you know", "discourse"), ("i mean", "discourse")]
    ws = words("and you know, it worked")
    [f] = find_fillers(ws)
    assert (f.start, f.end) == (ws[1].start, ws[2].end)  # the phrase spans both words


# Real sentences from interview answers, each with the discourse fillers a person would count in it. The same
# words are fillers in some and not in others: the parse decides, not the word.
DISCOURSE_CASES = [
    ("We used a metric like NDCG to compare the two rankers.", []),
    ("I like it because the features are cheap.", []),
    ("It was like a feature that nobody had asked for.", []),
    ("We would like more labelled data.", []),
    ("It looks like a leak in the validation split.", []),
    ("We tried things like caching and batching.", []),
    ("It was, like, really slow on the big tables.", ["like"]),
    ("Like, the loss exploded after the third epoch.", ["like"]),
    ("The model was like really good at ranking.", ["like"]),
    ("So I was like, we need to fix this first.", ["like"]),
    ("Do you know the answer?", []),
    ("You know the answer.", []),
    ("If you know the schema, the join is easy.", []),
    ("We trained it, you know, every night.", ["you know"]),
    ("And you know, it worked in the end.", ["you know"]),
    ("What I mean is that it failed.", []),
    ("I mean, the data was bad from the start.", ["i mean"]),
    ("It was kind of slow at first.", ["kind of"]),
    ("What kind of model did you use?", []),
    ("This sort of test catches drift.", []),
    ("Basically, we rewrote the pipeline.", ["basically"]),
    ("It basically works now.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), DISCOURSE_CASES)
def test_discourse_fillers_by_syntax(sentence: str, expected: list[str]) -> None:
    assert [t for t, k in kinds(sentence) if k == "discourse"] == expected


def test_only_sentences_with_a_candidate_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.scoring.nlp as nlp

    seen: list[str] = []
    real = nlp.parse

    def spy(texts: list[str]) -> list[object]:
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(nlp, "parse", spy)
    kinds("The model shipped. It was, like, slow. We fixed it.")
    assert seen == ["It was, like, slow."]


def test_repetition() -> None:
    ws = words("the the model")
    [f] = find_fillers(ws)
    assert (f.text, f.kind, f.start, f.end) == ("the the", "repetition", ws[0].start, ws[1].end)
    # A repeated word across a clause boundary is not a stutter.
    assert kinds("it was fast. Fast enough") == []


def test_hedges_reported_apart_from_fillers() -> None:
    d = deliver(words("I think we should maybe retrain um weekly"))
    assert [(h.text, h.kind) for h in d.hedges] == [("i think", "hedge"), ("maybe", "hedge")]
    assert [(f.text, f.kind) for f in d.fillers] == [("um", "filled_pause")]
    assert d.word_count == 7
    assert d.fillers_per_100_words == pytest.approx(100 / 7)


def test_repetition_before_a_phrase_is_counted() -> None:
    assert ("i i", "repetition") in kinds("so I I think it works")


# -- pace -----------------------------------------------------------------------------------------------


def test_wpm_excludes_filled_pauses_and_uses_first_start_to_last_end() -> None:
    ws = timed(("um", 1.0, 1.3), ("we", 1.5, 1.7), ("shipped", 1.8, 2.2), ("it", 2.3, 2.4), ("uh", 2.5, 2.8),
               ("fast", 3.0, 7.0))
    d = deliver(ws, duration=20.0)  # leading and trailing silence in the recording is not counted
    assert d.word_count == 4
    assert d.wpm == pytest.approx(4 / (7.0 - 1.0) * 60)
    assert d.duration_s == 20.0


def test_articulation_rate_excludes_pauses() -> None:
    ws = timed(("one", 0.0, 0.5), ("two", 0.6, 1.0), ("three", 3.0, 3.5), ("four", 3.6, 4.0))
    d = deliver(ws)
    assert d.wpm == pytest.approx(4 / 4.0 * 60)
    assert d.speaking_s == pytest.approx(4.0 - 2.0)
    assert d.articulation_wpm == pytest.approx(4 / 2.0 * 60)


# -- pauses ---------------------------------------------------------------------------------------------


def test_pauses_counted_above_threshold() -> None:
    # gaps: 0.2 (too short), 0.3, 1.5, 2.5, 0.25 (exactly the threshold: not a pause)
    ws = timed(("a", 0.0, 1.0), ("b", 1.2, 2.0), ("c", 2.3, 3.0), ("d", 4.5, 5.0), ("e", 7.5, 8.0),
               ("f", 8.25, 9.0))
    d = deliver(ws)
    assert [(p.start, p.end) for p in d.pauses] == [(2.0, 2.3), (3.0, 4.5), (5.0, 7.5)]
    assert d.long_pauses_1s == 2
    assert d.long_pauses_2s == 1
    assert d.longest_pause_s == pytest.approx(2.5)
    assert d.silence_share == pytest.approx((0.3 + 1.5 + 2.5) / 9.0)
    assert d.speaking_s == pytest.approx(9.0 - 4.3)
    assert d.to_dict()["pauses"]["count"] == 3


def test_find_pauses_threshold_is_configurable() -> None:
    ws = timed(("a", 0.0, 1.0), ("b", 1.2, 2.0))
    assert find_pauses(ws) == []
    assert [p.duration for p in find_pauses(ws, min_s=0.1)] == [pytest.approx(0.2)]


@pytest.mark.parametrize("ws", [[], [Word("um", 0.0, 0.5)], [Word("hello", 1.0, 1.0)]])
def test_degenerate_inputs_give_zeros(ws: list[Word]) -> None:
    d = deliver(ws, duration=3.0)
    assert d.word_count == (1 if ws and ws[0].text == "hello" else 0)
    assert d.wpm == 0.0 and d.articulation_wpm == 0.0
    assert d.fillers_per_100_words == 0.0
    assert d.silence_share == 0.0 and d.longest_pause_s == 0.0
    assert d.long_pauses_1s == 0 and d.long_pauses_2s == 0 and d.pauses == ()
    assert d.speaking_s >= 0.0
    d.to_dict()  # serialisable without dividing by zero


def test_empty_word_list() -> None:
    d = deliver([], duration=4.0)
    assert (d.word_count, d.wpm, d.articulation_wpm, d.fillers_per_100_words, d.silence_share, d.speaking_s,
            d.longest_pause_s) == (0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert d.fillers == () and d.hedges == ()


# -- property -------------------------------------------------------------------------------------------

VOCAB = ["um", "uh", "like", "you", "know", "I", "think", "the", "the,", "model", "was,", "really", "maybe", "so."]


@st.composite
def word_lists(draw) -> list[Word]:
    n = draw(st.integers(min_value=0, max_value=40))
    t = draw(st.floats(min_value=0.0, max_value=5.0))
    out = []
    for _ in range(n):
        t += draw(st.floats(min_value=0.0, max_value=4.0))  # silence before the word
        dur = draw(st.floats(min_value=0.01, max_value=2.0))
        out.append(Word(draw(st.sampled_from(VOCAB)), t, t + dur))
        t += dur
    return out


@settings(max_examples=300, deadline=None)
@given(word_lists())
def test_delivery_invariants(ws: list[Word]) -> None:
    d = deliver(ws)
    span = ws[-1].end - ws[0].start if ws else 0.0
    assert 0.0 <= d.silence_share <= 1.0
    assert 0.0 <= d.speaking_s <= span + 1e-9
    assert d.fillers_per_100_words >= 0.0
    assert math.isfinite(d.wpm) and d.wpm >= 0.0
    assert math.isfinite(d.articulation_wpm) and d.articulation_wpm >= d.wpm - 1e-6
    assert d.long_pauses_2s <= d.long_pauses_1s <= len(d.pauses)
    assert all(p.duration > 0.25 for p in d.pauses)
    assert d.word_count == sum(1 for w in ws if w.text not in ("um", "uh"))


def test_low_confidence_stretches() -> None:
    from app.delivery.confidence import low_confidence_spans, share_uncertain

    ws = [Word("we", 0.0, 0.2, 0.9), Word("shipped", 0.2, 0.5, 0.2), Word("the", 0.5, 0.6, 0.3),
          Word("model", 0.6, 0.9, 0.95), Word("quickly", 1.0, 1.4, 0.1)]
    spans = low_confidence_spans(ws)
    assert [(s.start, s.end, s.text) for s in spans] == [(0.2, 0.6, "shipped the"), (1.0, 1.4, "quickly")]
    assert spans[0].probability == 0.25
    assert share_uncertain(ws) == 0.6 and share_uncertain([]) == 0.0
