"""Which questions an interview asks: a preset's, or a short drill from one category."""

from __future__ import annotations

import random

from app.bank import Bank
from app.domain import Question
from app.errors import BankError

DRILL_QUESTIONS = 3


def preset_questions(bank: Bank, preset_id: str, rng: random.Random) -> tuple[list[Question], str]:
    """The preset's questions (raises BankError for an unknown preset) and the session's title."""
    questions = bank.pick(preset_id, rng)
    return questions, bank.presets[preset_id].name


def drill_questions(bank: Bank, category: str, rng: random.Random,
                    count: int = DRILL_QUESTIONS) -> tuple[list[Question], str]:
    pool = bank.filter(category)
    if not pool:
        raise BankError(f"there are no questions in the category {category!r}")
    return rng.sample(pool, min(count, len(pool))), f"{bank.categories.get(category, category)} drill"
