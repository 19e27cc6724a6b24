"""What every command needs: the config, the services, and JSON/human output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app import config as config_mod
from app.paths import config_file
from app.services import Services, build


def services(args: argparse.Namespace) -> Services:
    path = Path(args.config) if getattr(args, "config", None) else config_file()
    return build(config_mod.load(path))


def emit(data: Any, as_json: bool, human: str) -> None:
    if as_json:
        json.dump(data, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print(human)


def progress_to_stderr(message: str) -> None:
    print(f"viva: {message}", file=sys.stderr)
