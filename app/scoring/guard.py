"""Recognising text in an answer that talks to the grader instead of the interviewer.

Such sentences are data, never instructions: they are dropped before any signal looks at the answer,
so an answer scores exactly as it would without them.
"""

from __future__ import annotations

import re

_ADDRESSED_TO_GRADER = re.compile(
    r"""(
        \b(ignore|disregard|forget|override)\b.{0,40}\b(rubric|instructions?|prompt|above|previous|prior|rules?|criteria)\b
      | \b(grader|graders|evaluator|scorer|scoring (model|system)|judge|assistant|language model|llm|ai model)\b
      | \bmark\b.{0,30}\b(present|complete|true|yes|pass(ed)?|full marks)\b
      | \b(score|grade|rate)\s+(this|me|the answer|my answer)\b
      | \b(all|every|each)\s+(items?|criteria|components?|parts?)\s+(are|is|as)\s+(present|complete|met)\b
      | \b(system|developer)\s*(prompt|message|:)
      | </?\s*\|?\s*(system|assistant|user|im_start|im_end|s|inst)\s*\|?\s*>
      | \[/?\s*(inst|system)\s*\]
      | \{\s*["'][a-z_]+["']\s*:
      | ["'](present|score|verdict)["']\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def addresses_grader(sentence: str) -> bool:
    return bool(_ADDRESSED_TO_GRADER.search(sentence))
