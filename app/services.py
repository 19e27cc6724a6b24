"""The composition root: builds the real components from the config, in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.bank import Bank, load_bank
from app.config import Config
from app.errors import ConfigError
from app.modelstore import load_manifest, require
from app.paths import data_dir, ensure_private_dir, question_bank_dir
from app.scoring.endpoint import EndpointJudge
from app.scoring.llm import TRUST_FILE, LlamaJudge
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


def user_trust_file(home: Path) -> Path:
    """The trust measured for the user's own models (`viva score --self-check --save-trust`)."""
    return home / TRUST_FILE


def make_judge(cfg: Config, home: Path, environ: Mapping[str, str] | None = None) -> LlamaJudge | EndpointJudge:
    """The configured judge: the model behind `judge_endpoint` when one is set (the only case in which Viva
    opens a connection), else the in-process GGUF model."""
    trust_file = user_trust_file(home)
    if cfg.judge_endpoint:
        key = ""
        if cfg.judge_endpoint_key_env:
            key = (os.environ if environ is None else environ).get(cfg.judge_endpoint_key_env, "")
            if not key:
                raise ConfigError(f"judge_endpoint_key_env names {cfg.judge_endpoint_key_env}, which is not set "
                                  "in the environment: export it with the server's API key, or clear the setting")
        return EndpointJudge(cfg.judge_endpoint, cfg.judge_endpoint_model, api_key=key,
                             timeout_s=cfg.judge_timeout_s, trust_file=trust_file)
    path, name = llm_path(cfg)
    gpu_layers = cfg.n_gpu_layers if cfg.device == "cuda" or cfg.n_gpu_layers else 0
    return LlamaJudge(path, cfg.n_ctx, gpu_layers, cfg.llm_threads, name=name, trust_file=trust_file)


@dataclass
class Services:
    config: Config
    home: Path
    _store: Store | None = field(default=None, init=False)
    _bank: Bank | None = field(default=None, init=False)
    _transcriber: WhisperTranscriber | None = field(default=None, init=False)
    _judge: LlamaJudge | EndpointJudge | None = field(default=None, init=False)
    _speaker: Pyttsx3Speaker | None = field(default=None, init=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(ensure_private_dir(self.home))
        return self._store

    def close(self) -> None:
        """Close what holds files open (the database connections); call it once nothing else runs."""
        if self._store is not None:
            self._store.close()
            self._store = None

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
    def judge(self) -> LlamaJudge | EndpointJudge:
        if self._judge is None:
            self._judge = make_judge(self.config, self.home)
        return self._judge

    @property
    def speaker(self) -> Pyttsx3Speaker:
        if self._speaker is None:
            self._speaker = Pyttsx3Speaker(self.config.tts_voice, self.config.tts_rate)
        return self._speaker


def build(config: Config, home: Path | None = None) -> Services:
    return Services(config, home or data_dir())
