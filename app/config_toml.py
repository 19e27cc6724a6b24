"""Writing the user's config file. `tomllib` only reads, and the config is flat (plus [targets]), so the few
value types are written here; only settings that differ from the defaults are written, so later default
changes still reach the user."""

from __future__ import annotations

import json
import math
import os
from dataclasses import fields
from pathlib import Path

from app import config as config_mod
from app.config import Config, Targets
from app.errors import ConfigError


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ConfigError(f"{v} is not a number a config file can hold")
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")  # JSON escapes are TOML escapes
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def to_toml(cfg: Config) -> str:
    default = Config()
    lines = ["# Viva settings, written by the app (Settings). Only values that differ from the defaults."]
    for f in fields(Config):
        if f.name != "targets" and getattr(cfg, f.name) != getattr(default, f.name):
            lines.append(f"{f.name} = {_value(getattr(cfg, f.name))}")
    targets = [f"{f.name} = {_value(getattr(cfg.targets, f.name))}" for f in fields(Targets)
               if getattr(cfg.targets, f.name) != getattr(default.targets, f.name)]
    if targets:
        lines += ["", "[targets]", *targets]
    return "\n".join(lines) + "\n"


def save_config(cfg: Config, path: Path) -> None:
    """Write `cfg` to `path` atomically and check it reads back the same."""
    text = to_toml(cfg)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        raise ConfigError(f"cannot save settings to {path} ({e.strerror or e})") from None
    if config_mod.load(path) != cfg:
        raise ConfigError(f"{path}: the saved settings did not read back the same; please report this")
