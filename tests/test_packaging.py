"""Packaging files: the desktop entry, AppStream metadata and icon agree with each other and with the app,
the build scripts are sound, PyInstaller stays a build tool, and a frozen build bundles its models and the
package data where the app looks for them.
(The build itself and its smoke test run in CI: packaging/build.sh, packaging/smoke.sh.)"""

from __future__ import annotations

import configparser
import importlib.util
import json
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import numpy as np
import pytest
from matplotlib.image import imread

from app import __version__, paths

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "packaging"


def desktop_entry() -> dict[str, str]:
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    cp.read(PKG / "viva.desktop", encoding="utf-8")
    return dict(cp["Desktop Entry"])


def metainfo() -> ET.Element:
    return ET.parse(PKG / "io.github.viva.metainfo.xml").getroot()


def make_icon() -> ModuleType:
    spec = importlib.util.spec_from_file_location("viva_make_icon", PKG / "make_icon.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_desktop_entry() -> None:
    e = desktop_entry()
    assert e["Type"] == "Application" and e["Name"] == "Viva" and e["Exec"] == "viva"
    assert e["Icon"] == "viva" and e["Terminal"] == "false"
    assert e["Categories"].endswith(";") and "Education" in e["Categories"].split(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_validates() -> None:
    r = subprocess.run(["desktop-file-validate", str(PKG / "viva.desktop")], capture_output=True, text=True)
    assert r.returncode == 0 and "error" not in r.stdout.lower(), r.stdout


def test_appstream_metadata_matches_the_app() -> None:
    root = metainfo()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.github.viva"
    assert root.findtext("name") == desktop_entry()["Name"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert root.findtext("project_license") == project["license"]
    assert root.findtext("metadata_license") == "CC0-1.0"
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert (PKG / (launchable.text or "")).is_file()
    assert root.findtext("icon") == desktop_entry()["Icon"]
    assert root.findtext("provides/binary") == desktop_entry()["Exec"]
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == __version__  # the newest release is this version
    assert root.find("content_rating") is not None and len(root.findtext("summary") or "") < 80


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_appstream_metadata_validates() -> None:
    r = subprocess.run(["appstreamcli", "validate", "--no-net", str(PKG / "io.github.viva.metainfo.xml")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_icon_png_and_svg_are_drawn_from_the_same_shapes() -> None:
    png = (PKG / "icons" / "viva.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (256, 256)
    svg = ET.parse(PKG / "icons" / "viva.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 256 256"
    icon = make_icon()
    assert (PKG / "icons" / "viva.svg").read_text(encoding="utf-8") == icon.svg()  # committed = generated
    committed = imread(PKG / "icons" / "viva.png")
    fresh = np.asarray(icon.png(), dtype=np.float32) / 255.0
    assert committed.shape == fresh.shape == (256, 256, 4)
    assert float(np.abs(committed - fresh).mean()) < 0.01
    assert committed[128, 128, 3] == 1.0 and committed[0, 0, 3] == 0.0  # opaque inside, clear corners


def test_pyinstaller_is_a_build_tool_not_a_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"]).lower()
    assert "pyinstaller" not in runtime and "matplotlib" in runtime
    assert any(d.lower().startswith("pyinstaller") for d in project["optional-dependencies"]["packaging"])


def test_scripts_are_executable_and_parse() -> None:
    for script in (PKG / "build.sh", PKG / "smoke.sh", ROOT / ".ci" / "run"):
        assert script.stat().st_mode & 0o111, f"{script} is not executable"
        r = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # The package is built and smoke-tested only after the test suite passed.
    assert ci.index("scripts/test.sh") < ci.index("packaging/build.sh") < ci.index("packaging/smoke.sh")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "package:\n\tpackaging/build.sh" in makefile and "smoke:\n\tpackaging/smoke.sh" in makefile


def run_spec() -> dict[str, Any]:
    """Execute packaging/viva.spec with PyInstaller's build classes stubbed out; returns what it passed them."""
    seen: dict[str, Any] = {}

    def build_step(name: str) -> Callable[..., SimpleNamespace]:
        def step(*args: Any, **kwargs: Any) -> SimpleNamespace:
            seen[name] = kwargs
            return SimpleNamespace(pure=[], scripts=[], binaries=kwargs.get("binaries", []),
                                   datas=kwargs.get("datas", []))
        return step

    hooks = ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package: [(f"<{package} data>", package)]  # type: ignore[attr-defined]
    hooks.collect_dynamic_libs = lambda package: [(f"<{package} libs>", package)]  # type: ignore[attr-defined]
    hooks.collect_all = lambda package: ([(f"<{package} data>", package)], [], [package])  # type: ignore[attr-defined]
    namespace: dict[str, Any] = {"SPECPATH": str(PKG), "__file__": str(PKG / "viva.spec")}
    namespace.update({name: build_step(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")})
    stubs = {"PyInstaller": ModuleType("PyInstaller"), "PyInstaller.utils": ModuleType("PyInstaller.utils"),
             "PyInstaller.utils.hooks": hooks}
    saved = {name: sys.modules.get(name) for name in stubs}
    sys.modules.update(stubs)
    try:
        exec(compile((PKG / "viva.spec").read_text(encoding="utf-8"), "viva.spec", "exec"), namespace)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return seen


def test_spec_bundles_the_default_models_and_resources() -> None:
    """The spec bundles every default model of the manifest, and every package-data file (the question bank,
    the prompts) at its place inside the package, where importlib.resources looks for it in a frozen build."""
    manifest = json.loads((ROOT / "models" / "manifest.json").read_text(encoding="utf-8"))
    default = [ROOT / "models" / m["name"] / f["path"] for m in manifest["models"] if m["set"] == "default"
               for f in m["files"]]
    if not all(p.is_file() for p in default):
        pytest.skip("the default models are not fetched (scripts/setup.sh)")
    analysis = run_spec()["Analysis"]
    datas = {(Path(src), dest) for src, dest in analysis["datas"] if not src.startswith("<")}
    for model in default:
        assert (model, f"models/{model.parent.name}") in datas
    assert (ROOT / "models" / "manifest.json", "models") in datas
    resources = ROOT / "app" / "resources"
    shipped = {p for folder in (resources, ROOT / "app" / "scoring" / "data") for p in folder.rglob("*")
               if p.is_file() and p.suffix not in (".py", ".pyc")}
    assert {resources / "question_bank" / "rubrics.yaml", resources / "question_bank" / "calibration.yaml",
            resources / "prompts" / "judge.txt"} <= shipped
    for src in shipped:
        assert (src, src.parent.relative_to(ROOT).as_posix()) in datas, src
    assert not any(dest.split("/")[0] in ("question_bank", "prompts") for _, dest in datas)  # the old places
    assert ("<faster_whisper data>", "faster_whisper") in analysis["datas"]
    assert ("<llama_cpp libs>", "llama_cpp") in analysis["binaries"]
    assert analysis["pathex"] == [str(ROOT)]
    entry = (PKG / "viva_main.py").read_text(encoding="utf-8")
    assert "from app.cli import main" in entry


def test_models_are_read_from_the_bundle_when_frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert paths._resource_root() == ROOT  # a checkout: the repository
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths._resource_root() == tmp_path  # PyInstaller: the bundle's _internal folder
    monkeypatch.delattr(sys, "_MEIPASS")
    assert paths._resource_root() == ROOT


def test_package_data_is_found_through_importlib_resources() -> None:
    """In a checkout the bundled data is the package's own folder, reached the way a wheel or a bundle
    reaches it (importlib.resources), not by a path relative to the repository."""
    assert paths.resources_dir() == ROOT / "app" / "resources"
    assert (paths.question_bank_dir() / "rubrics.yaml").is_file()
    assert (paths.prompts_dir() / "judge.txt").is_file()
    assert not (ROOT / "question_bank").exists() and not (ROOT / "prompts").exists()


def test_the_frozen_build_ships_the_source_of_every_module_the_structure_stamp_hashes() -> None:
    import re

    from app.scoring.model import STAMPED_MODULES

    spec = (Path(__file__).resolve().parents[1] / "packaging" / "viva.spec").read_text(encoding="utf-8")
    shipped = re.search(r'for name in \(([^)]*)\):\s*#[^\n]*\n\s*datas\.append\(\(str\(ROOT / "app" / "scoring"', spec)
    assert shipped is not None
    names = set(re.findall(r'"(\w+)"', shipped.group(1)))
    assert {m.__name__.rsplit(".", 1)[-1] for m in STAMPED_MODULES} <= names
