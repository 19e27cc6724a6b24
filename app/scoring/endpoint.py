"""The judge on an OpenAI-compatible chat server the user names: llama.cpp's server, Ollama, vLLM on their
own GPU box. Off by default; nothing is sent anywhere unless `judge_endpoint` is configured.

Same prompts, same checks and same trust rules as the in-process LlamaJudge (app.scoring.llm): one call per
rubric item with temperature 0 and explicit `max_tokens`; the reply's first integer is the sentence number,
and anything else (no number, a number that is not a sentence) is no opinion. Such servers cannot all be
held to a grammar, so the range check is what keeps the model to the answerer's own sentences.

Only the standard library speaks HTTP here, straight to the host named: no proxy from the environment and
no redirects are followed, so answers go to that host or nowhere. A server that cannot be reached, answers
with an HTTP error or with something that is not an OpenAI-compatible reply is a ModelError, one line.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.config import check_endpoint_url
from app.errors import ModelError
from app.scoring.llm import FOLLOW_UP_TOKENS, MeasuredTrust, follow_up_messages, one_question, render
from app.scoring.rubrics import Rubric, RubricItem
from app.scoring.sentences import Sentence

MAX_REPLY_BYTES = 1 << 20
CHOICE_TOKENS = 8  # room for "Sentence 3" without a grammar
_FIRST_INT = re.compile(r"-?\d+")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> None:
        raise urllib.error.HTTPError(req.full_url, code, f"redirect to {newurl} not followed", headers, fp)


def sentence_number(reply: str | None, n: int) -> int:
    """The first integer in a model's reply if it names one of `n` sentences (or 0 for none); else 0."""
    found = _FIRST_INT.search(reply or "")
    k = int(found.group()) if found else 0
    return k if 0 <= k <= n else 0


class EndpointJudge(MeasuredTrust):
    """A Judge (see app.scoring.llm) whose model runs behind `base_url` (…/v1). Its name is
    "<model>@<host:port>", which is also what its measured trust is recorded under."""

    remote = True  # answers leave the process: a failure mid-interview falls back to cues (app.practice)

    def __init__(self, base_url: str, model: str = "", *, api_key: str = "", timeout_s: float = 60.0,
                 trust: Mapping[str, float] | None = None, trust_file: Path | None = None,
                 max_tokens: int = CHOICE_TOKENS) -> None:
        self.base_url = check_endpoint_url(base_url)
        self.host = urlsplit(self.base_url).netloc
        self.model = model
        self.timeout_s = timeout_s
        self.max_tokens = max_tokens
        self.trust_file = trust_file
        self._api_key = api_key
        self._trust = dict(trust) if trust is not None else None
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())  # no proxies
        self._loaded = False
        self.name = f"{model}@{self.host}"
        self.load_s = 0.0
        self.calls = 0

    def load(self) -> None:
        """Check that the server answers and serves the model (the first one it lists when none is named)."""
        if self._loaded:
            return
        t0 = time.perf_counter()
        reply = self._request("GET", "/models")
        try:
            served = [str(m["id"]) for m in reply["data"]]
        except (KeyError, TypeError) as e:
            raise ModelError(f"the judge endpoint {self.base_url} sent a model list without {e}; is it an "
                             "OpenAI-compatible server (the URL usually ends in /v1)?") from None
        if not served:
            raise ModelError(f"the judge endpoint {self.base_url} serves no model; load one there first")
        if not self.model:
            self.model = served[0]
        elif self.model not in served and f"{self.model}:latest" not in served:  # Ollama's default tag
            raise ModelError(f"the judge endpoint {self.base_url} does not serve model {self.model!r} (it serves "
                             f"{', '.join(served[:5])}); set judge_endpoint_model (or --model) to one of them")
        self.name = f"{self.model}@{self.host}"
        self.load_s = time.perf_counter() - t0
        self._loaded = True

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        where = f"the judge endpoint {self.base_url}"
        req = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with self._opener.open(req, timeout=self.timeout_s) as resp:
                raw = resp.read(MAX_REPLY_BYTES + 1)
        except urllib.error.HTTPError as e:
            fix = ("check judge_endpoint_key_env and the key in that variable" if e.code in (401, 403) else
                   "check judge_endpoint (it usually ends in /v1)" if e.code in (404, 405) else
                   "see the server's log")
            raise ModelError(f"{where} answered {method} {path} with HTTP {e.code} {e.reason}; {fix}") from None
        except urllib.error.URLError as e:
            raise ModelError(f"cannot reach {where} ({_reason(e.reason)}); start the server there or fix "
                             "judge_endpoint in the config") from None
        except TimeoutError:
            raise ModelError(f"{where} sent no reply within {self.timeout_s:g} s; check the server, or raise "
                             "judge_timeout_s") from None
        except (OSError, http.client.HTTPException) as e:
            raise ModelError(f"{where} broke off the reply ({_reason(e)}); check the server and its log") from None
        if len(raw) > MAX_REPLY_BYTES:
            raise ModelError(f"{where} sent more than {MAX_REPLY_BYTES // 1024} KB for {path}; is it an "
                             "OpenAI-compatible server?")
        try:
            return json.loads(raw)
        except ValueError:
            raise ModelError(f"{where} sent a reply to {method} {path} that is not JSON; is it an "
                             "OpenAI-compatible server (the URL usually ends in /v1)?") from None

    def _complete(self, messages: list[dict[str, str]], max_tokens: int) -> str | None:
        reply = self._request("POST", "/chat/completions", {
            "model": self.model, "messages": messages, "temperature": 0.0, "max_tokens": max_tokens,
            "stream": False})
        self.calls += 1
        try:
            content = reply["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise ModelError(f"the judge endpoint {self.base_url} sent a chat reply without "
                             "choices[0].message.content; is it an OpenAI-compatible server?") from None
        return content if isinstance(content, str) else None

    def choose(self, rubric: Rubric, question: str, sentences: Sequence[Sentence]) -> dict[str, int]:
        out = {it.id: 0 for it in rubric.items}
        if not sentences:
            return out
        with self._lock:
            self.load()
            for it in rubric.items:
                text = self._complete(render(rubric, it, question, sentences), self.max_tokens)
                out[it.id] = sentence_number(text, len(sentences))
        return out

    def paraphrase(self, question: str, item: RubricItem, template: str) -> str | None:
        """The template follow-up reworded to fit the question, or None when the reply is not one question."""
        with self._lock:
            self.load()
            return one_question(self._complete(follow_up_messages(question, item, template), FOLLOW_UP_TOKENS))


def _reason(e: object) -> str:
    """A short reason for a network failure: "connection refused", "timed out", ..."""
    if isinstance(e, TimeoutError):
        return "timed out"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror.lower()
    return str(e) or type(e).__name__
