"""llama.cpp's OpenAI-compatible server (llama-cpp-python's `llama_cpp.server` module) on loopback with the small
model: the "judge endpoint on the user's own host" the tests talk to."""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

MODEL_NAME = "smollm2-135m-instruct"


@dataclass(frozen=True)
class LlamaServer:
    url: str  # base URL, ending in /v1
    model: str  # the model's name on the server
    api_key: str
    log: Path

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://").removesuffix("/v1")

    @property
    def judge_name(self) -> str:
        return f"{self.model}@{self.host}"

    def chat_requests(self) -> int:
        """How many chat completions the server has answered so far (its access log)."""
        return self.log.read_text(encoding="utf-8", errors="replace").count('"POST /v1/chat/completions HTTP')


def free_port() -> int:
    """A loopback port nothing listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_llama(log: Path, timeout_s: float = 60.0) -> Iterator[LlamaServer]:
    """Start the server, wait until it lists its model, stop it at the end."""
    from app.modelstore import load_manifest, require

    model = require(load_manifest()[MODEL_NAME])
    port, key = free_port(), secrets.token_hex(8)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_NAME,
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2", "--api_key", key],
            stdout=out, stderr=subprocess.STDOUT)
    server = LlamaServer(f"http://127.0.0.1:{port}/v1", MODEL_NAME, key, log)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                req = urllib.request.Request(f"{server.url}/models", headers={"Authorization": f"Bearer {key}"})
                with opener.open(req, timeout=2) as reply:
                    assert MODEL_NAME in [m["id"] for m in json.load(reply)["data"]]
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"llama_cpp.server did not answer within {timeout_s:g} s: {log.read_text()[-2000:]}")
                time.sleep(0.2)  # a child process starting to listen: there is nothing else to wait on
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
