"""Recognising text in an answer that talks to the grader instead of the interviewer.

Such sentences are data, never instructions: they are dropped before any signal looks at the answer,
so an answer scores exactly as it would without them.
"""

from __future__ import annotations

import re

_WHO = r"(grader|graders|evaluator|scorer|judge|assistant|ai|a\.i\.|model|llm|language model|chatbot|gpt)"
# Who a line can open by addressing: not a bare "model", which opens ordinary notes ("- Model: XGBoost").
_ADDRESSEE = r"(grader|graders|evaluator|scorer|judge|assistant|ai|a\.i\.|llm|language model|chatbot|gpt)"
_ADDRESSED_TO_GRADER = re.compile(
    rf"""(
        # speaking to the grader: "Grader: ...", "Dear evaluator, ...", "Note to the AI: ..."
        ^\W*(dear\s+|hey\s+|attention\s+|to\s+the\s+)?(the\s+)?{_ADDRESSEE}\s*[:,]
      # a capitalised chat role or grader name with a colon anywhere: "... and so on. Assistant: ..."
      | (?-i:\b(System|SYSTEM|Assistant|ASSISTANT|Grader|GRADER|Evaluator|EVALUATOR)\s*:)
      | \b(note|message|instructions?|reminder)\s+(to|for)\s+(the\s+|any\s+)?{_WHO}\b
      # instructions about the grading itself
      | \b(ignore|disregard|forget|override|bypass)\b.{{0,40}}\b(rubrics?|instructions?|prompts?|criteria|grading|scoring|guidelines)\b
      | \bmark\b.{{0,30}}\b(items?|criteria|criterion|components?|everything|all\s+(of\s+)?(them|these|four|three)|each\s+one|this\s+answer|the\s+answer|my\s+answer)\b.{{0,20}}\b(present|complete|true|met|passed|yes|correct)\b
      | \b(score|grade|rate)\s+(this\s+answer|my\s+answer|me)\b
      | \bgive\s+(me|this\s+answer|my\s+answer|the\s+answer)\s+(a\s+|an\s+|full\s+|the\s+)?(perfect\s+|maximum\s+|top\s+)?(score|marks|grade|\d+)
      | \b(all|every|each)\s+(rubric\s+)?(items?|criteria|components?|parts?)\s+(are|is|as|should\s+be)\s+(present|complete|met)\b
      # chat-template role tags and fake structured verdicts
      | ^\W*(system|developer|assistant|user)\s*:
      | </?\s*\|?\s*(system|assistant|user|im_start|im_end|s|inst|start_of_turn|end_of_turn)\s*\|?\s*>
      | \[/?\s*(inst|system)\s*\]
      | \{{\s*["'][a-z_]+["']\s*:
      | ["'](present|score|verdict)["']\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)


# Naming the rubric's parts instead of telling the story ("Situation, task, action and result: all covered.")
# is talk about the grading too: three or more different item names in one sentence.
_ITEM_NAMES = re.compile(r"\b(situation|task|action|result|metrics?|baseline|skew|monitoring|definition|intuition|"
                         r"trade.?offs?|star (method|format|framework|structure))\b", re.IGNORECASE)


_NAMES_SPAN = 80  # characters within which the names must fall: a list of them, not a story using the words


def _names_rubric_items(sentence: str) -> int | None:
    hits = [(m.start(), m.group(1).lower().rstrip("s").replace("-", "").replace(" ", ""))
            for m in _ITEM_NAMES.finditer(sentence)]
    for k, (start, _) in enumerate(hits):
        if len({name for pos, name in hits[k:] if pos - start <= _NAMES_SPAN}) >= 3:
            return start
    return None


def grader_text_start(sentence: str) -> int | None:
    """Where text addressed to the grader starts in `sentence` (a character offset), or None."""
    m = _ADDRESSED_TO_GRADER.search(sentence)
    starts = [x for x in (m.start() if m else None, _names_rubric_items(sentence)) if x is not None]
    return min(starts) if starts else None


def addresses_grader(sentence: str) -> bool:
    return grader_text_start(sentence) is not None
