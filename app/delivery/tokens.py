"""Word normalisation shared by the delivery metrics and the scorer."""

from __future__ import annotations

import re

_STRIP = re.compile(r"^[^\w']+|[^\w']+$")


def norm(word: str) -> str:
    """Lower-case, without surrounding punctuation: ' Um,' -> 'um'."""
    return _STRIP.sub("", word.lower())


def ends_clause(word: str) -> bool:
    return word.rstrip().endswith((",", ".", "?", "!", ";", ":"))
