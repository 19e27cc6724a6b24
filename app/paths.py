"""Where Viva keeps things: the user's data directory and the project's bundled resources.

The question bank, rubrics, calibration set and prompts are package data of `app.resources`, found through
`importlib.resources`, so a checkout, an installed wheel and a PyInstaller bundle all read them the same way.
The models are not package data (hundreds of MB, fetched by scripts/setup.sh): they stay beside the project.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

import app.resources

APP_NAME = "viva"


def _resource_root() -> Path:
    """Where the models sit: the repo root in a checkout, the bundle in a PyInstaller build."""
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
    """The fetched models: models/ beside the project in a checkout, inside the bundle in a frozen build."""
    return PROJECT_ROOT / "models"


def _copy_tree(source: Traversable, target: Path) -> None:
    """Copy a resource tree that is not on the file system (e.g. inside a zip) into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir():
            _copy_tree(entry, target / entry.name)
        elif entry.is_file():
            (target / entry.name).write_bytes(entry.read_bytes())


def materialise(resource: Traversable) -> Path:
    """A file-system path for a resource directory. The loaders need real paths: they glob directories and
    report problems as FILE:LINE. A wheel install, a checkout and PyInstaller's reader all give a `Path`
    already; a zip import does not, and its tree is copied once into a temporary folder removed at exit."""
    if isinstance(resource, Path):
        return resource
    tmp = Path(tempfile.mkdtemp(prefix="viva-resources-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    _copy_tree(resource, tmp / resource.name)
    return tmp / resource.name


@cache
def resources_dir() -> Path:
    """The bundled resources (package `app.resources`) as a directory on disk."""
    return materialise(files(app.resources))


def question_bank_dir() -> Path:
    """The bundled question bank: questions, categories, presets, rubrics.yaml and calibration.yaml."""
    return resources_dir() / "question_bank"


def prompts_dir() -> Path:
    """The bundled LLM prompt templates and the judge trust table."""
    return resources_dir() / "prompts"
