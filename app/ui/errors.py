"""Turning exceptions into one line for the window: VivaErrors already say what to do; anything else is a bug."""

from __future__ import annotations

from app.errors import VivaError


def describe(error: BaseException) -> str:
    """One line for the user. VivaErrors already say what to do; anything else is a bug, logged in full."""
    if isinstance(error, VivaError):
        return str(error)
    return f"Unexpected error ({type(error).__name__}: {error}). Please report it; details are in the log."
