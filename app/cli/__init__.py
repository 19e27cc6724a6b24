"""The `viva` command. No arguments opens the desktop app; every subcommand is headless.

exit codes:
  0    ok
  1    other error
  2    usage (bad arguments)
  3    model missing or corrupt, or the judge endpoint not answering
  4    audio: unreadable file, or no speech in it
  5    question bank
  6    store (the SQLite database)
  7    audio device (microphone, speaker)
  8    config file
  130  interrupted (Ctrl+C)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from app import __version__
from app.cli import answers, importing, library, rescore
from app.errors import VivaError
from app.logs import BACKUPS, LOG_NAME, MAX_BYTES, log_dir, setup_logging
from app.paths import config_file, data_dir

log = logging.getLogger(__name__)


def _epilog() -> str:
    codes = (__doc__ or "").split("\n\n", 1)[1].rstrip()
    return (f"{codes}\n\nfiles ($VIVA_HOME moves them all):\n"
            f"  config  {config_file()} (or --config FILE)\n"
            f"  data    {data_dir()}\n"
            f"  log     {log_dir() / LOG_NAME} (rotated at {MAX_BYTES // 1_000_000} MB, {BACKUPS} kept)\n\n"
            "Run `viva COMMAND --help` for each command's options.")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="viva", description="Viva: offline, voice-driven mock interviews "
                                 "for ML engineers. Run with no command to open the desktop app.",
                                 epilog=_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"viva {__version__}")
    ap.add_argument("--config", metavar="FILE", help="config file (default: the platform's config dir)")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    answers.add_commands(sub)
    importing.add_commands(sub)
    library.add_commands(sub)
    rescore.add_commands(sub)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    # CTranslate2's OpenMP threads otherwise keep spinning after an answer's transcription worker thread
    # ends, and the next answer (a new thread, a new OpenMP team) transcribes 5-10x slower on 2 cores.
    # libgomp reads this once, when ctranslate2 is first imported (lazily, after this line).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    args = build_parser().parse_args(argv)
    log_file = setup_logging()
    log.info("viva %s: %s", __version__, args.command or "desktop app")
    try:
        if args.command is None:
            from app.ui.app import run_app

            return run_app(args.config)
        if args.command in ("practice", "sessions", "show", "trends"):
            library.notify_interrupted(args)
        code = int(args.func(args) or 0)
        log.info("viva %s: exit %d", args.command, code)
        return code
    except VivaError as e:
        log.error("viva %s: %s (exit %d)", args.command, e, e.exit_code)
        print(f"viva: error: {e}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:  # `viva bank list | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
        return 0
    except KeyboardInterrupt:
        log.warning("viva %s: interrupted", args.command)
        print("viva: interrupted", file=sys.stderr)
        return 130
    except Exception as e:
        log.exception("viva %s: unexpected error", args.command)
        where = f"; details in {log_file}" if log_file else ""
        print(f"viva: error: unexpected {type(e).__name__}: {e}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
