"""Chart series from `Store.trend()` points: one value per analysed answer, oldest first (no Qt)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from app.errors import BankError
from app.store.repo import TrendPoint


def point_label(created_at: str) -> str:
    try:
        return datetime.fromisoformat(created_at).astimezone().strftime("%d %b")
    except ValueError:
        return created_at[:10]


def values(points: Sequence[TrendPoint], field: str) -> list[float | None]:
    out: list[float | None] = []
    for p in points:
        v = getattr(p, field)
        out.append(None if v is None else float(v))
    return out


def rubric_items(points: Sequence[TrendPoint]) -> list[str]:
    """The item ids scored in `points`, in the rubrics' own order (the store keeps no order)."""
    order = {item_id: k for k, item_id in enumerate(_names())}
    found = {i for p in points for i in p.items}
    return sorted(found, key=lambda i: (order.get(i, len(order)), i))


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Item id -> display name, in rubric and item order."""
    from app.scoring.rubrics import default_rubrics

    try:
        rubrics = default_rubrics()
    except BankError:
        return {}
    return {it.id: it.name for r in rubrics.values() for it in r.items}


def item_label(item_id: str) -> str:
    return _names().get(item_id, item_id.replace("_", " ").capitalize())
