"""Thread-safe access to the models for background tasks, and warming them up after launch.

`Services` builds its models lazily through unlocked properties; several worker lanes may ask at once (the
warm-up on the models lane, a recording on its own lane), so the first construction happens under a lock
here. A scoring model that cannot load is not fatal: answers are then scored from transcript cues alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.errors import ConfigError, ModelError
from app.scoring.llm import Judge, has_say
from app.services import Services
from app.speech.transcribe import Transcriber


class ModelAccess:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._lock = threading.Lock()
        self.judge_problem: str | None = None  # why answers are scored without the LLM, once known

    def transcriber(self) -> Transcriber:
        """The Whisper transcriber (not loaded yet); raises ModelError when its files are missing."""
        with self._lock:
            return self.services.transcriber

    def judge(self) -> Judge | None:
        """The loaded LLM judge, or None (with `judge_problem` set) when it cannot be loaded."""
        with self._lock:
            if self.judge_problem is not None:
                return None
            try:
                judge = self.services.judge
                if has_say(judge):  # a judge with measured trust 0 (the bundled one) is never loaded
                    judge.load()
            except (ModelError, ConfigError) as e:
                self.judge_problem = str(e)
                return None
            return judge

    def warm(self, report: Callable[[str], None]) -> str | None:
        """Load both models; returns a note about the scoring model when it is unavailable.
        A speech model that cannot load raises ModelError (interviews need it)."""
        report("speech model")
        transcriber = self.transcriber()
        load = getattr(transcriber, "load", None)
        if callable(load):
            load()
        report("scoring model")
        if self.judge() is None:
            return (f"The scoring model is unavailable ({self.judge_problem}). Answers are scored from "
                    "transcript cues only.")
        return None
