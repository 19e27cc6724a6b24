"""Where Viva keeps things: the user's data directory and the project's bundled resources."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "viva"


def _resource_root() -> Path:
    """Resources shipped with the project: the repo root in a checkout, the bundle in a PyInstaller build."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


PROJECT_ROOT = _resource_root()


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user's data directory: `VIVA_HOME` when set, else the platform's user data dir."""
    env = os.environ if environ is None else environ
    override = env.get("VIVA_HOME")
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME))


def config_file(environ: Mapping[str, str] | None = None) -> Path:
    """The config file: inside `VIVA_HOME` when set, else the platform's user config dir."""
    env = os.environ if environ is None else environ
    if env.get("VIVA_HOME"):
        return data_dir(env) / "config.toml"
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user only. Also tightens a directory that something
    else created first with the default mode (mkdir's `mode` applies only to a directory it creates)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def models_dir() -> Path:
    return PROJECT_ROOT / "models"


def question_bank_dir() -> Path:
    return PROJECT_ROOT / "question_bank"


def prompts_dir() -> Path:
    return PROJECT_ROOT / "prompts"
