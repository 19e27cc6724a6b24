"""User configuration, read once at start-up and passed down (never read from deep inside the code)."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    # A bigger judge on a host the user names (an OpenAI-compatible server); empty: never contacted.
    judge_endpoint: str = ""  # base URL, e.g. http://127.0.0.1:8080/v1
    judge_endpoint_model: str = ""  # the server's model name; empty: the first model it serves
    judge_endpoint_key_env: str = ""  # NAME of an environment variable holding the API key (never the key)
    judge_timeout_s: float = 60.0
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


ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_endpoint_url(url: str, what: str = "judge_endpoint") -> str:
    """`url` without a trailing slash when it is an http(s) base URL with a host and nothing else in it;
    ConfigError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{what} must be an http:// or https:// URL with a host, like "
                          f"http://127.0.0.1:8080/v1, got {url!r}")
    if parts.username or parts.password:
        raise ConfigError(f"{what} must not hold credentials; name an environment variable holding the API key "
                          "with judge_endpoint_key_env instead")
    if parts.query or parts.fragment:
        raise ConfigError(f"{what} must be a base URL without ?query or #fragment, got {url!r}")
    try:
        _ = parts.port  # raises on a port that is not a number in 0..65535
    except ValueError:
        raise ConfigError(f"{what} has a bad port: {url!r}") from None
    return url.strip().rstrip("/")


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
    if cfg.judge_endpoint:
        try:
            check_endpoint_url(cfg.judge_endpoint)
        except ConfigError as e:
            raise ConfigError(f"{where}: {e}") from None
    if cfg.judge_endpoint_key_env and not ENV_NAME.fullmatch(cfg.judge_endpoint_key_env):
        raise ConfigError(f"{where}: judge_endpoint_key_env is the NAME of an environment variable that holds the "
                          "API key (like VIVA_JUDGE_KEY), never the key itself")
    if not (math.isfinite(cfg.judge_timeout_s) and cfg.judge_timeout_s > 0):
        raise ConfigError(f"{where}: judge_timeout_s must be a number of seconds above 0")
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
