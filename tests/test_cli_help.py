"""CLI conventions: every command and option is documented, --version, and the exit codes are written down
(in `viva --help` and the README) and match the errors that produce them."""

from __future__ import annotations

import argparse
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import __version__, errors
from app.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
EXIT_CODES = {0: "ok", 1: "other", 2: "usage", 3: "model", 4: "audio", 5: "bank", 6: "store", 7: "device",
              8: "config", 130: "interrupted"}


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser, str | None]]:
    """Every (sub)command below `parser`: (its words, its parser, the help line its parent lists)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*path, name), sub, helps.get(name)
                yield from commands(sub, (*path, name))


def undocumented(parser: argparse.ArgumentParser) -> list[str]:
    """What is missing: a command without a help line or description, an option without help."""
    missing = []
    for words, sub, help_line in commands(parser):
        name = " ".join(words)
        if not (help_line or "").strip():
            missing.append(f"{name}: no help line")
        if not (sub.description or "").strip():
            missing.append(f"{name}: no description")
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                continue
            if action.help is None or action.help == argparse.SUPPRESS or not action.help.strip():
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}: no help")
    return missing


def test_every_command_and_option_is_documented() -> None:
    parser = build_parser()
    found = [" ".join(w) for w, _, _ in commands(parser)]
    assert {"analyze", "import", "trends", "export", "bank validate", "models"} <= set(found)
    assert len(found) >= 13
    assert undocumented(parser) == []
    for action in parser._actions:  # the top level's own options too
        if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            assert action.help, action.option_strings


def test_the_walker_finds_what_is_missing() -> None:
    """The check above can fail: a command without a description and an option without help are caught."""
    ap = argparse.ArgumentParser(prog="x")
    sub = ap.add_subparsers()
    p = sub.add_parser("bare", help="has a help line")
    p.add_argument("--quiet", action="store_true")
    nested = sub.add_parser("group", help="g", description="d").add_subparsers()
    nested.add_parser("leaf", description="no help line")
    assert undocumented(ap) == ["bare: no description", "bare --quiet: no help", "group leaf: no help line"]


def test_every_command_help_renders(capsys: pytest.CaptureFixture[str]) -> None:
    for words, sub, _ in commands(build_parser()):
        with pytest.raises(SystemExit) as exit_info:
            main([*words, "--help"])
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith(f"usage: viva {' '.join(words)}"), out[:80]
        assert " ".join((sub.description or "").split()[:4]) in " ".join(out.split())


def test_top_level_help_lists_commands_exit_codes_and_files(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for words, _, _ in commands(build_parser()):
        if len(words) == 1:
            assert re.search(rf"^\s+{words[0]}\s", out, re.M), words
    for code, word in EXIT_CODES.items():
        assert re.search(rf"^\s+{code}\s+.*{word}", out, re.M | re.I), (code, word)
    assert "viva.log" in out and "config" in out


def test_version_matches_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert capsys.readouterr().out.strip() == f"viva {__version__}" == f"viva {project['version']}"


def test_exit_codes_match_the_errors_and_the_readme() -> None:
    codes = {cls.exit_code for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.VivaError)}
    assert codes == {1, 3, 4, 5, 6, 7, 8}
    assert codes <= set(EXIT_CODES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Exit codes"):][:1500]
    for code, word in EXIT_CODES.items():
        assert re.search(rf"\b{code}\b[^\n]*{word}", section, re.I), (code, word)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_readme_documents_every_config_key_with_its_default() -> None:
    from dataclasses import fields

    from app.config import Config, Targets, from_dict

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", readme, re.S)
    assert block, "README has no ```toml config block"
    documented = tomllib.loads(block.group(1))
    keys = {f.name for f in fields(Config)} - {"targets"}
    assert set(documented) - {"targets"} == keys
    assert set(documented["targets"]) == {f.name for f in fields(Targets)}
    assert from_dict(documented) == Config()  # the README shows the real defaults
