"""The window's audio side effects, passed in by constructor: where answers are recorded from, how the
question's voice is played, and what plays answers back. The defaults use the configured devices; tests and
the bench pass file-backed recorders and silent players through the same interfaces."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import tts
from app.config import Config
from app.domain import Question
from app.player import Player, SoundDevicePlayer
from app.recorder import MicRecorder, Recorder
from app.tts import Speaker

RecorderFactory = Callable[[Question, int, int], Recorder]  # (question, position, attempt number)
VoicePlayer = Callable[[Path, threading.Event], None]  # play a rendered WAV until done or the event is set
PlayerFactory = Callable[[], Player]


@dataclass(frozen=True)
class AudioIO:
    recorder_for: RecorderFactory
    play_voice: VoicePlayer
    new_player: PlayerFactory
    speaker: Speaker | None = None  # renders questions to speech; None: the configured one (services.speaker)


def default_audio_io(config: Config) -> AudioIO:
    """The microphone and the output device named in `config` (empty: the system defaults)."""

    def recorder(_q: Question, _position: int, _attempt: int) -> Recorder:
        return MicRecorder(config.input_device)

    def play_voice(path: Path, stop: threading.Event) -> None:
        tts.play(path, config.output_device, stop)

    return AudioIO(recorder, play_voice, lambda: SoundDevicePlayer(config.output_device))
