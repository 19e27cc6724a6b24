"""User configuration, read once at start-up and passed down (never read from deep inside the code)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from app.errors import ConfigError
from app.paths import models_dir

DEVICES = ("cpu", "cuda")


@dataclass(frozen=True)
class Targets:
    wpm_low: float = 130.0
    wpm_high: float = 160.0
    fillers_per_100_max: float = 3.0
    long_pause_s: float = 2.0


@dataclass(frozen=True)
class Config:
    whisper_model: str = "whisper-tiny.en"  # a manifest name, or a directory holding a CTranslate2 model
    device: str = "cpu"  # cpu | cuda
    compute_type: str = ""  # empty: int8 on cpu, float16 on cuda
    cpu_threads: int = 2
    llm_model: str = "smollm2-135m-instruct"  # a manifest name, or a path to any .gguf file
    n_gpu_layers: int = 0
    n_ctx: int = 2048
    llm_threads: int = 2
    tts_voice: str = ""
    tts_rate: int = 170
    input_device: str = ""
    output_device: str = ""
    targets: Targets = Targets()

    def resolve_whisper_dir(self) -> Path:
        p = Path(self.whisper_model).expanduser()
        return p if p.is_absolute() or p.exists() else models_dir() / self.whisper_model

    def resolve_llm_path(self) -> Path:
        p = Path(self.llm_model).expanduser()
        if p.suffix == ".gguf":
            return p
        from app.modelstore import load_manifest

        entry = load_manifest().get(self.llm_model)
        if entry is None:
            raise ConfigError(f"unknown LLM model {self.llm_model!r}: give a manifest name or a .gguf path")
        return entry.primary_path()

    @property
    def effective_compute_type(self) -> str:
        if self.compute_type:
            return self.compute_type
        return "float16" if self.device == "cuda" else "int8"


def _coerce(cls: type, data: dict[str, Any], where: str) -> dict[str, Any]:
    known = {f.name: f for f in fields(cls)}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown setting {key!r}")
        default = getattr(cls(), key)
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # 130 is fine where 130.0 is expected
        if type(value) is not type(default):
            raise ConfigError(f"{where}: {key} must be a {type(default).__name__}, got {value!r}")
        out[key] = value
    return out


def from_dict(data: dict[str, Any], where: str = "config") -> Config:
    data = dict(data)
    targets = data.pop("targets", {})
    if not isinstance(targets, dict):
        raise ConfigError(f"{where}: [targets] must be a table")
    cfg = Config(**_coerce(Config, data, where), targets=Targets(**_coerce(Targets, targets, where)))
    if cfg.device not in DEVICES:
        raise ConfigError(f"{where}: device must be one of {', '.join(DEVICES)}, got {cfg.device!r}")
    if cfg.n_gpu_layers < -1:
        raise ConfigError(f"{where}: n_gpu_layers must be -1 (all) or >= 0")
    return cfg


def load(path: Path) -> Config:
    """Read `path` (TOML); a missing file means defaults."""
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the config file ({e.strerror})") from None
    return from_dict(data, str(path))


def with_overrides(cfg: Config, **overrides: Any) -> Config:
    return replace(cfg, **{k: v for k, v in overrides.items() if v is not None})
