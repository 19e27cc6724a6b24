"""Sentence-level linguistic features that regular expressions alone express badly.

They are general signals of how people tell a story or describe a system, not phrases from any data set:
who acts (first person singular or plural), tense (past narrative versus "I would"), and quantities that
describe a change ("from 30 to 8 percent", "by half", "3x"). Rubric items refer to them by name in
question_bank/rubrics.yaml (`features:`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.scoring.sentences import plain

_FILLERS = re.compile(r"\b(um+|uh+|er+m?|hmm+|mm+|ah+|you know|i mean|sort of|kind of)\b[,.]?\s*", re.IGNORECASE)
_REPEAT = re.compile(r"\b(\w+)( \1\b)+", re.IGNORECASE)


def normalise(text: str) -> str:
    """Lowercase plain text without markup, filled pauses or stutters ("i i um rewrote" -> "i rewrote")."""
    t = plain(text).replace("’", "'").replace("‘", "'").lower()
    t = _FILLERS.sub("", t)
    return _REPEAT.sub(r"\1", t).strip()


# Common irregular past-tense verbs (a closed class of English; regular verbs end in -ed).
_IRREGULAR_PAST = frozenset([
    "ate", "beat", "became", "began", "bent", "bet", "bit", "bled", "blew", "bore", "bought", "broke",
    "brought", "built", "burnt", "came", "caught", "chose", "clung", "cost", "crept", "cut", "dealt", "did",
    "dove", "drank", "drew", "drove", "dug", "fed", "fell", "felt", "fled", "flew", "forbade", "forgave",
    "forgot", "fought", "found", "froze", "gave", "got", "grew", "ground", "heard", "held", "hid", "hit",
    "hung", "hurt", "kept", "knelt", "knew", "laid", "leapt", "learnt", "led", "left", "lent", "let", "lit",
    "lost", "made", "meant", "met", "mistook", "overcame", "oversaw", "paid", "put", "quit", "ran", "rang",
    "read", "rebuilt", "redid", "reran", "retook", "rewrote", "rode", "rose", "said", "sang", "sank", "sat",
    "saw", "sent", "set", "shook", "shot", "showed", "shut", "slept", "slid", "sold", "sought", "sped", "spent",
    "split", "spoke", "sprang", "spread", "spun", "stole", "stood", "strove", "struck", "stuck", "stung",
    "swam", "swept", "swung", "taught", "thought", "threw", "told", "took", "tore", "understood", "underwent",
    "undid", "upheld", "went", "withdrew", "woke", "won", "wore", "wound", "wrote",
])
# Past forms that describe a state of mind or a need rather than a step taken.
_NOT_ACTIONS = frozenset([
    "was", "were", "had", "did", "felt", "knew", "thought", "wanted", "needed", "liked", "loved", "hated",
    "believed", "hoped", "wished", "seemed", "noticed", "learned", "learnt", "realized", "realised",
    "understood", "remembered", "enjoyed", "preferred", "expected", "worried", "wondered", "guessed", "assumed",
    "supposed", "meant", "feared", "regretted", "appreciated", "agreed", "used", "got", "lost", "failed",
    "managed", "happened", "struggled", "missed", "joined", "interned", "spent", "worked", "lived", "studied",
])
_ADVERB = r"(?:(?:then|also|first|just|quickly|personally|immediately|eventually|finally|still|actually|" \
          r"basically|really|even|only|again|soon|later|next|\w+ly)\s+)"
_NOT_ED = frozenset([
    "need", "speed", "seed", "feed", "proceed", "succeed", "exceed", "indeed", "bed", "red", "shed", "bred",
])


def _past_verb(word: str) -> bool:
    return word in _IRREGULAR_PAST or (word.endswith("ed") and len(word) > 4 and word not in _NOT_ED)


def _past_action(subject: str) -> Callable[[str], bool]:
    pattern = re.compile(rf"\b{subject}(?:'ve| have)?\s+{_ADVERB}{{0,2}}([a-z]+)\b")

    def feature(norm: str) -> bool:
        for m in pattern.finditer(norm):
            verb = m.group(1)
            if _past_verb(verb) and verb not in _NOT_ACTIONS:
                return True
            if verb in ("got", "used") and not re.match(r"(got|used) to\b", norm[m.start(1):]):
                return True
        return False

    return feature


_NUMBER = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|" \
          r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a hundred|a thousand|a few|several)"
_UNIT = r"(?:%|percent\b|per\s?cent\b|percentage points?\b|points?\b|pp\b|x\b|times\b|fold\b|bps\b)"
_ABOUT = r"(?:about\s+|around\s+|almost\s+|nearly\s+|roughly\s+|over\s+|under\s+|just\s+|only\s+|like\s+)"
_QUANTITY = re.compile(rf"{_NUMBER}\s?{_UNIT}", re.IGNORECASE)
# A quantity that describes a change, not a bare figure ("gave it one hundred percent" is not a result).
_CHANGE_NUMBER = re.compile(
    rf"""(
        {_NUMBER}\s?{_UNIT}\s*(\w+\s+)?(faster|slower|more|less|fewer|higher|lower|better|cheaper|smaller|bigger|
            larger|increase|decrease|drop|reduction|improvement|gain|lift|uplift|growth|jump|fall|cut|saving|savings)
      | \bfrom\s+\$?{_NUMBER}\b.{{0,25}}?\bto\s+{_ABOUT}?\$?{_NUMBER}
      | \b(by|to)\s+{_ABOUT}?(half|a\s+third|a\s+quarter|{_NUMBER}\s?(%|percent))
      | \b(in\s+half|doubled|tripled|halved|quadrupled|\d+x)\b
      | \b(reduced|increased|improved|cut|saved|grew|dropped|fell|rose|lowered|raised|decreased|shrank|jumped|
            climbed|went\s+(up|down)|came\s+down)\b.{{0,40}}{_NUMBER}\s?{_UNIT}
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_HYPOTHETICAL = re.compile(r"\b(i|we|you)\s*('d|would|will|'ll|could|should|might|can|am going to|are going to)\b")
_SAME_AS_PRESENT = frozenset(["read", "set", "put", "cut", "let", "hit", "hurt", "quit", "split", "spread", "cost",
                              "bet", "shut"])
_NOT_VERB_ED = frozenset(["hundred", "naked", "wicked", "sacred", "kindred", "rugged", "ragged", "beloved"])
# An -ed word after these is an adjective ("I'm very motivated", "is detail-oriented"), not a past tense.
_ADJECTIVAL = re.compile(r"\b(am|is|are|'m|'re|be|being|been|very|so|really|quite|more|most|get|feel|extremely|"
                         r"highly|super|too|a|an|the)\s+[\w-]*$")


def _past_tense(norm: str) -> bool:
    for m in re.finditer(r"[a-z][a-z'-]*", norm):
        w = m.group()
        if w in ("was", "were", "had", "did") or (w in _IRREGULAR_PAST and w not in _SAME_AS_PRESENT):
            return True
        if w.endswith("ed") and _past_verb(w) and w not in _NOT_VERB_ED and not _ADJECTIVAL.search(norm[:m.start()]):
            return True
    return False

FEATURES: dict[str, Callable[[str], bool]] = {
    # "I rewrote the job", "so i pulled the logs", "I've decided to call him" (not "I was", "I needed").
    "i_past_action": _past_action("i"),
    # The same with "we": a team action, weaker evidence of what the speaker did.
    "we_past_action": _past_action("we"),
    # A quantity of change: "40% faster", "from 30 to 8", "by half", "3x", "cut costs by 20 percent".
    "change_number": lambda n: bool(_CHANGE_NUMBER.search(n)),
    # Any percentage or multiple: weak on its own.
    "quantity": lambda n: bool(_QUANTITY.search(n)),
    # "I would", "we'll": a plan rather than something that happened.
    "hypothetical": lambda n: bool(_HYPOTHETICAL.search(n)),
    "past_tense": _past_tense,
}


# "names_topic": the sentence names what the question asks about ("What is dropout?" -> "dropout").
# It depends on the question, so app/scoring/cues.py sets it; it is listed here so rubrics can use it.
TOPIC = "names_topic"
_QUESTION_WORDS = frozenset([
    "what", "whats", "is", "are", "was", "were", "a", "an", "the", "of", "in", "on", "for", "to", "and", "or",
    "how", "does", "do", "did", "why", "when", "which", "who", "explain", "describe", "define", "tell", "me",
    "about", "you", "your", "would", "could", "can", "should", "walk", "through", "between", "difference",
    "differences", "use", "used", "using", "work", "works", "mean", "means", "meant", "give", "example",
    "examples", "its", "it", "this", "that", "with", "vs", "versus", "trade", "off", "tradeoff",
])


def topic_words(question: str) -> set[str]:
    """The words naming the question's subject: "What is batch normalisation?" -> {"batch", "normalisation"}."""
    words = set(re.findall(r"[a-z0-9]+", normalise(question)))
    return {w for w in words if w not in _QUESTION_WORDS and len(w) > 1}


def features(norm: str) -> frozenset[str]:
    """The names of the features a normalised sentence shows."""
    return frozenset(name for name, f in FEATURES.items() if f(norm))
