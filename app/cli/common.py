"""What every command needs: the config, the services, and JSON/human output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app import config as config_mod
from app.paths import config_file
from app.scoring.llm import measured_trust
from app.scoring.selfcheck import SelfCheck, save_trust
from app.services import Services, build, user_trust_file


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


def record_trust(svc: Services, report: SelfCheck) -> str:
    """Save `report`'s measured trust in the user's own table; a line saying what was recorded and where."""
    path = user_trust_file(svc.home)
    save_trust(path, report)
    mean = sum(report.trust.values()) / len(report.trust) if report.trust else 0.0
    line = (f"Saved the measured trust of {report.model} for {report.prompt_version} to {path} "
            f"(mean {mean:.2f} over {len(report.trust)} items).")
    if measured_trust(report.model):  # the shipped table (prompts/judge_trust.yaml) comes first
        line += " Viva's own table also lists this model, and its figures are the ones used."
    return line
