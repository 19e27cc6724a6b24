"""Errors a user can act on. Each carries a one-line message that says what went wrong and how to fix it."""


class VivaError(Exception):
    """Base class: str(err) is a single line fit for stderr or a message box."""

    exit_code = 1

    def __str__(self) -> str:
        return " ".join(super().__str__().split())


class ModelError(VivaError):
    exit_code = 3


class AudioError(VivaError):
    exit_code = 4


class NoSpeechError(AudioError):
    pass


class BankError(VivaError):
    exit_code = 5


class StoreError(VivaError):
    exit_code = 6


class DeviceError(VivaError):
    exit_code = 7


class ConfigError(VivaError):
    exit_code = 8


def describe(error: BaseException) -> str:
    """One line for the user. VivaErrors already say what to do; anything else is a bug, logged in full."""
    if isinstance(error, VivaError):
        return str(error)
    return f"Unexpected error ({type(error).__name__}: {error}). Please report it; details are in the log."
