"""The `viva` command. No arguments opens the desktop app; every subcommand is headless.

Exit codes: 0 ok; 1 other error; 2 usage; 3 model; 4 audio (incl. no speech); 5 question bank; 6 store;
7 audio device; 8 config; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__
from app.cli import answers, library
from app.errors import VivaError


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="viva", description="Viva: offline, voice-driven mock interviews "
                                 "for ML engineers. Run with no command to open the desktop app.",
                                 epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"viva {__version__}")
    ap.add_argument("--config", metavar="FILE", help="config file (default: the platform's config dir)")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    answers.add_commands(sub)
    library.add_commands(sub)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            from app.ui.app import run_app

            return run_app(args.config)
        if args.command in ("practice", "sessions", "show", "trends"):
            library.notify_interrupted(args)
        return int(args.func(args) or 0)
    except VivaError as e:
        print(f"viva: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("viva: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
