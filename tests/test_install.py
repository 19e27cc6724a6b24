"""A real install: the wheel built from the repository carries the question bank, rubrics, calibration set and
prompts, and, installed alone outside the checkout, `viva bank list` works from it.

The wheel is built from a copy of the sources (so the build leaves no build/ or egg-info in the checkout) with
pip and the project's own setuptools (no build isolation, no index: nothing is downloaded). It is installed with
--no-deps into a bare target folder; its dependencies come from the environment running the tests, but the
repository is not on the path, so every file the app reads must come from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app import __version__
from app.bank import load_bank
from app.paths import materialise, question_bank_dir

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("app/resources/question_bank/rubrics.yaml", "app/resources/question_bank/calibration.yaml",
            "app/resources/question_bank/categories.yaml", "app/resources/question_bank/presets.yaml",
            "app/resources/prompts/judge.txt", "app/resources/prompts/follow_up.txt",
            "app/resources/prompts/judge_trust.yaml")


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"{cmd} exited {r.returncode}:\n{r.stdout}\n{r.stderr}"
    return r.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the working tree's sources."""
    pytest.importorskip("setuptools")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT / "app", src / "app", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(tmp / "dist"), str(src)], cwd=tmp)
    (built,) = (tmp / "dist").glob("viva-*.whl")
    return built


def test_the_wheel_carries_the_bank_and_prompts(wheel: Path) -> None:
    assert wheel.name.startswith(f"viva-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in REQUIRED:
        assert required in names, required
    data = [ROOT / "app" / "resources", ROOT / "app" / "scoring" / "data"]  # the scorer's learned weights too
    on_disk = {p.relative_to(ROOT).as_posix() for folder in data for p in folder.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert on_disk - names == set()  # every question file, not only the few named above
    assert {n for n in on_disk if n.startswith("app/resources/question_bank/questions/")}
    assert not any(n.startswith(("question_bank/", "prompts/")) for n in names)  # nothing at top level


def test_the_installed_wheel_lists_the_bank_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site),
         str(wheel)], cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIVA_"))}
    env.update(PYTHONPATH=str(site), VIVA_HOME=str(tmp_path / "home"), PYTHONNOUSERSITE="1")
    probe = "\n".join([
        "import sys",
        "from pathlib import Path",
        "import app, app.paths",
        "print(app.__file__, app.paths.question_bank_dir(), app.paths.prompts_dir(), sep='\\n')",
        "print(any(Path(x or '.').resolve() == Path(sys.argv[1]) for x in sys.path))",
    ])
    app_file, bank_dir, prompts, repo_on_path = run(
        [sys.executable, "-c", probe, str(ROOT)], cwd=elsewhere, env=env).splitlines()
    assert Path(app_file).is_relative_to(site) and Path(bank_dir) == site / "app" / "resources" / "question_bank"
    assert Path(prompts) == site / "app" / "resources" / "prompts" and repo_on_path == "False"

    script = site / "bin" / "viva"  # the console script the wheel declares
    assert script.is_file()
    listing = run([sys.executable, str(script), "bank", "list"], cwd=elsewhere, env=env).splitlines()
    bundled = load_bank(question_bank_dir())
    assert len(listing) == len(bundled.questions) > 0
    assert {line.split()[0] for line in listing} == set(bundled.questions)
    categories = run([sys.executable, str(script), "bank", "list", "--category", "nlp"], cwd=elsewhere, env=env)
    assert categories.strip() and all(line.split()[1] == "nlp" for line in categories.splitlines())
    run([sys.executable, str(script), "bank", "validate"], cwd=elsewhere, env=env)


def test_resources_inside_a_zip_are_copied_to_a_folder(tmp_path: Path) -> None:
    """A zip import gives importlib.resources no file-system path; the loaders still get one."""
    archive = tmp_path / "bank.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in question_bank_dir().rglob("*.yaml"):
            z.write(p, "question_bank/" + p.relative_to(question_bank_dir()).as_posix())
    resource = zipfile.Path(archive, "question_bank/")
    path = materialise(resource)
    assert isinstance(path, Path) and path.is_dir() and path.name == "question_bank"
    assert not path.is_relative_to(question_bank_dir())
    copied = load_bank(path)
    assert copied.questions.keys() == load_bank(question_bank_dir()).questions.keys()
    assert (path / "rubrics.yaml").read_bytes() == (question_bank_dir() / "rubrics.yaml").read_bytes()
