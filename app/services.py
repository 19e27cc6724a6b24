"""The composition root: builds the real components from the config, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.bank import Bank, load_bank
from app.config import Config
from app.modelstore import load_manifest, require
from app.paths import data_dir, ensure_private_dir, question_bank_dir
from app.scoring.llm import LlamaJudge
from app.speech.transcribe import WhisperTranscriber
from app.store import Store
from app.tts import Pyttsx3Speaker


def whisper_dir(cfg: Config) -> Path:
    entry = load_manifest().get(cfg.whisper_model)
    return require(entry) if entry else cfg.resolve_whisper_dir()


def llm_path(cfg: Config) -> tuple[Path, str]:
    entry = load_manifest().get(cfg.llm_model)
    if entry:
        return require(entry), entry.name
    path = cfg.resolve_llm_path()
    return path, path.stem


@dataclass
class Services:
    config: Config
    home: Path
    _store: Store | None = field(default=None, init=False)
    _bank: Bank | None = field(default=None, init=False)
    _transcriber: WhisperTranscriber | None = field(default=None, init=False)
    _judge: LlamaJudge | None = field(default=None, init=False)
    _speaker: Pyttsx3Speaker | None = field(default=None, init=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(ensure_private_dir(self.home))
        return self._store

    @property
    def bank(self) -> Bank:
        if self._bank is None:
            self._bank = load_bank(question_bank_dir())
        return self._bank

    @property
    def transcriber(self) -> WhisperTranscriber:
        if self._transcriber is None:
            c = self.config
            self._transcriber = WhisperTranscriber(whisper_dir(c), c.device, c.effective_compute_type,
                                                   c.cpu_threads)
        return self._transcriber

    @property
    def judge(self) -> LlamaJudge:
        if self._judge is None:
            c = self.config
            path, name = llm_path(c)
            gpu_layers = c.n_gpu_layers if c.device == "cuda" or c.n_gpu_layers else 0
            self._judge = LlamaJudge(path, c.n_ctx, gpu_layers, c.llm_threads, name=name)
        return self._judge

    @property
    def speaker(self) -> Pyttsx3Speaker:
        if self._speaker is None:
            self._speaker = Pyttsx3Speaker(self.config.tts_voice, self.config.tts_rate)
        return self._speaker


def build(config: Config, home: Path | None = None) -> Services:
    return Services(config, home or data_dir())
