"""The coaching summary on top of a review: what went well, and the one thing to fix next.

Computed from the figures stored with an answer (its delivery and rubric verdicts) against the user's targets
and the question's suggested answer time, so a past answer reads the same as a fresh one. The one thing to fix
is the first problem in a fixed order, content before delivery, the way a coach would work on an answer:
an answer far too short has nothing to polish yet; a missing rubric point costs more than a filler; fillers and
pace come before pauses, which listeners notice least. An answer far too long comes last: it is the easiest fix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.config import Targets
from app.domain import Analysis, Delivery
from app.formatting import clock, plural
from app.review.marks import item_name

TOO_SHORT, ABOUT_RIGHT, TOO_LONG, NO_TARGET = "too_short", "about_right", "too_long", "no_target"
SHORT_SHARE = 0.5  # under half the suggested time is too short to cover the question
LONG_SHARE = 1.25  # a quarter over the suggestion loses the listener

STRUCTURE, LENGTH, FILLERS, PACE, PAUSES = "structure", "length", "fillers", "pace", "pauses"


@dataclass(frozen=True)
class LengthVerdict:
    state: str  # too_short | about_right | too_long, or no_target (no suggested time: a recording without a question)
    duration_s: float
    suggested_s: int

    @property
    def ok(self) -> bool:
        return self.state in (ABOUT_RIGHT, NO_TARGET)

    @property
    def text(self) -> str:
        """"Too short: 0:17 of 2:00 suggested"."""
        if self.state == NO_TARGET:
            return f"Length: {clock(self.duration_s)}"
        said = {TOO_SHORT: "Too short", TOO_LONG: "Too long", ABOUT_RIGHT: "About right"}[self.state]
        return f"{said}: {clock(self.duration_s)} of {clock(self.suggested_s)} suggested"


def length_verdict(duration_s: float, suggested_s: int) -> LengthVerdict:
    """The answer's length against the question's suggested answer time (`Question.answer_time_s`)."""
    if suggested_s <= 0:
        return LengthVerdict(NO_TARGET, duration_s, suggested_s)
    share = duration_s / suggested_s
    state = TOO_SHORT if share < SHORT_SHARE else TOO_LONG if share > LONG_SHARE else ABOUT_RIGHT
    return LengthVerdict(state, duration_s, suggested_s)


def pace_side(wpm: float, targets: Targets) -> str:
    """'slow', 'on target' or 'fast' against the target band."""
    if wpm < targets.wpm_low:
        return "slow"
    return "fast" if wpm > targets.wpm_high else "on target"


def long_pauses(d: Delivery, targets: Targets) -> int:
    """Pauses at least as long as the user's "long pause" target."""
    return sum(p.duration >= targets.long_pause_s for p in d.pauses)


@dataclass(frozen=True)
class Point:
    area: str  # structure | length | fillers | pace | pauses
    text: str
    headline: str  # the text's first words, for a table cell: "Say more", "Add the result", ...


@dataclass(frozen=True)
class Coaching:
    went_well: tuple[str, ...]
    fix_next: Point | None  # the one thing to work on next; None when nothing is off target
    also: tuple[Point, ...] = ()  # the other problems, in the same order

    @property
    def fix_text(self) -> str:
        return self.fix_next.text if self.fix_next else "Nothing off target: keep answering like this."

    @property
    def fix_headline(self) -> str:
        return self.fix_next.headline if self.fix_next else "Nothing off target"


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def coach(analysis: Analysis, suggested_s: int, targets: Targets) -> Coaching:
    d, r = analysis.delivery, analysis.rubric
    well: list[str] = []
    problems: list[Point] = []
    length = length_verdict(d.duration_s, suggested_s)

    if length.state == TOO_SHORT:
        problems.append(Point(LENGTH, f"Say more: the answer ran {clock(d.duration_s)} of the "
                                      f"{clock(suggested_s)} suggested, too short to cover the question.",
                              "Say more"))
    if r is not None:
        covered = [item_name(r.rubric, i.id) for i in r.items if i.present]
        missing = [i for i in r.items if not i.present]
        if covered:
            well.append(f"Covered {_names(covered)}.")
        if missing:
            first = missing[0]
            more = f" ({plural(len(missing) - 1, 'more point')} missing.)" if len(missing) > 1 else ""
            advice = f" {first.advice}" if first.advice else ""
            name = item_name(r.rubric, first.id).lower()
            problems.append(Point(STRUCTURE, f"Add the {name}.{advice}{more}", f"Add the {name}"))

    n_fillers = len(d.fillers)
    if d.fillers_per_100_words <= targets.fillers_per_100_max:
        well.append("No fillers." if not n_fillers else
                    f"Few fillers: {plural(n_fillers, 'filler')} in {plural(d.word_count, 'word')}.")
    else:
        common = Counter(f.text.lower().strip(",.") for f in d.fillers).most_common(2)
        said = _names([f"\u201c{w}\u201d" for w, _ in common])
        problems.append(Point(FILLERS, f"Cut the fillers: {plural(n_fillers, 'filler')} "
                                       f"({d.fillers_per_100_words:.1f} per 100 words, target at most "
                                       f"{targets.fillers_per_100_max:g}), mostly {said}. "
                                       "Pause silently instead.", "Cut the fillers"))

    side = pace_side(d.wpm, targets)
    band = f"target {targets.wpm_low:.0f}\u2013{targets.wpm_high:.0f}"
    if side == "on target":
        well.append(f"Pace on target: {d.wpm:.0f} words a minute.")
    elif side == "slow":
        problems.append(Point(PACE, f"Speed up a little: {d.wpm:.0f} words a minute, {band}.", "Speed up a little"))
    else:
        problems.append(Point(PACE, f"Slow down: {d.wpm:.0f} words a minute, {band}.", "Slow down"))

    n_long = long_pauses(d, targets)
    if n_long:
        problems.append(Point(PAUSES, f"Shorten the long pauses: {plural(n_long, 'pause')} of "
                                      f"{targets.long_pause_s:g} s or more (longest {d.longest_pause_s:.1f} s).",
                              "Shorten the long pauses"))
    else:
        well.append("No long pauses.")

    if length.state == TOO_LONG:
        problems.append(Point(LENGTH, f"Tighten it: the answer ran {clock(d.duration_s)} against "
                                      f"{clock(suggested_s)} suggested.", "Tighten it"))
    elif length.state == ABOUT_RIGHT:
        well.append(f"Length about right: {clock(d.duration_s)} of {clock(suggested_s)} suggested.")

    return Coaching(tuple(well), problems[0] if problems else None, tuple(problems[1:]))


AREA_NAMES = {STRUCTURE: "covering every point of the structure", LENGTH: "the length of your answers",
              FILLERS: "cutting fillers", PACE: "your pace", PAUSES: "shortening long pauses"}


def session_advice(coachings: Sequence[Coaching]) -> str:
    """One line for a whole session: the area that most answers should fix next."""
    areas = Counter(c.fix_next.area for c in coachings if c.fix_next is not None)
    if not coachings:
        return ""
    if not areas:
        return "Every answer was on target. Try a harder set of questions next."
    area, n = areas.most_common(1)[0]
    return f"Practise {AREA_NAMES[area]} next: the thing to fix in {n} of {plural(len(coachings), 'answer')}."
