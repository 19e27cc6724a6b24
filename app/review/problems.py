"""Why a recording could not be reviewed, in plain words for the window (the CLI keeps its technical lines).
Decided by the error's type, never by parsing its text."""

from __future__ import annotations

from app.errors import AudioError, NoSpeechError, VivaError, describe

UNREADABLE = ("This file could not be read as audio. Choose a recording in a common format (wav, mp3, m4a, flac, "
              "ogg or webm).")
NO_SPEECH = ("No speech was found in this recording. Check that it is the right file and that the answer can be "
             "heard in it.")


def analysis_problem(error: BaseException) -> str:
    """What to tell the user when analysing a recording failed."""
    if isinstance(error, NoSpeechError):
        return NO_SPEECH
    if isinstance(error, AudioError):
        return UNREADABLE
    if isinstance(error, VivaError):
        text = describe(error)
        return text[:1].upper() + text[1:]
    return describe(error)
