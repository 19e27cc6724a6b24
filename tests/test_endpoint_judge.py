"""The judge on an OpenAI-compatible server: llama.cpp's own server (llama_cpp.server) on loopback with the small
model, and a tiny stdlib HTTP server for the replies a real one should not send (garbage, errors, redirects,
silence). Plus the config keys that turn it on, and the user's own trust table."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from loopback_judge import LlamaServer, free_port

from app import config as config_mod
from app.config import Config
from app.errors import ConfigError, ModelError
from app.scoring.endpoint import EndpointJudge, sentence_number
from app.scoring.llm import LlamaJudge, measured_trust, prompt_version
from app.scoring.rubrics import default_rubrics
from app.scoring.selfcheck import RubricAgreement, SelfCheck, save_trust
from app.scoring.sentences import from_text
from app.services import build, make_judge

pytestmark = pytest.mark.models

STAR = ("Last year our checkout started failing at peak hours. My job was to find out why. "
        "We looked at the logs together and I rewrote the retry logic. Failed checkouts dropped by 80 percent.")


def one_line(e: pytest.ExceptionInfo[Exception], exit_code: int) -> str:
    msg = str(e.value)
    assert "\n" not in msg and msg.strip() == msg and getattr(e.value, "exit_code", None) == exit_code, msg
    return msg


# -- the real server -----------------------------------------------------------------------------------------

def test_choose_asks_the_server_once_per_item_and_returns_sentence_numbers(llama_server: LlamaServer) -> None:
    judge = EndpointJudge(llama_server.url, api_key=llama_server.api_key)  # no model named: the one it serves
    sentences = from_text(STAR)
    before = llama_server.chat_requests()
    chosen = judge.choose(default_rubrics()["star"], "Tell me about an outage.", sentences)
    assert set(chosen) == {"situation", "task", "action", "result"}
    assert all(isinstance(v, int) and 0 <= v <= len(sentences) for v in chosen.values())
    assert judge.calls == 4 and llama_server.chat_requests() - before == 4
    assert judge.name == f"{llama_server.model}@{llama_server.host}" and judge.model == llama_server.model


def test_paraphrase_is_one_question_or_none(llama_server: LlamaServer) -> None:
    judge = EndpointJudge(llama_server.url, llama_server.model, api_key=llama_server.api_key)
    item = default_rubrics()["design"].items[0]
    text = judge.paraphrase("Design a feed ranker.", item, item.follow_up)
    assert judge.calls == 1
    assert text is None or (text.endswith("?") and text.count("?") == 1 and "\n" not in text)


def test_wrong_key_unknown_model_and_missing_key_variable(llama_server: LlamaServer) -> None:
    with pytest.raises(ModelError) as e:
        EndpointJudge(llama_server.url, api_key="not-the-key").load()
    assert "HTTP 401" in one_line(e, 3) and "judge_endpoint_key_env" in str(e.value)
    with pytest.raises(ModelError) as e:
        EndpointJudge(llama_server.url, "no-such-model", api_key=llama_server.api_key).load()
    assert "no-such-model" in one_line(e, 3) and llama_server.model in str(e.value)

    cfg = Config(judge_endpoint=llama_server.url, judge_endpoint_key_env="VIVA_TEST_JUDGE_KEY")
    with pytest.raises(ConfigError) as ce:
        make_judge(cfg, Path("unused"), environ={})
    assert "VIVA_TEST_JUDGE_KEY" in one_line(ce, 8)
    judge = make_judge(cfg, Path("/home/x"), environ={"VIVA_TEST_JUDGE_KEY": llama_server.api_key})
    assert isinstance(judge, EndpointJudge)
    judge.load()  # the key from the environment variable is the one the server wants
    assert judge.trust_file == Path("/home/x/judge_trust.yaml")


def test_closed_port_is_one_model_error() -> None:
    judge = EndpointJudge(f"http://127.0.0.1:{free_port()}/v1", "m")
    with pytest.raises(ModelError) as e:
        judge.load()
    assert "cannot reach" in one_line(e, 3) and "connection refused" in str(e.value)


# -- a server that misbehaves ------------------------------------------------------------------------------

Reply = tuple[int, bytes, dict[str, str]]


@dataclass
class FakeServer:
    """Loopback HTTP: `routes` maps "METHOD /path" to a function of the request body giving (status, body,
    headers); every request is recorded."""

    routes: dict[str, Callable[[bytes], Reply]]
    seen: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""


def models_reply(*names: str) -> Callable[[bytes], Reply]:
    return lambda _: (200, json.dumps({"object": "list", "data": [{"id": n} for n in names]}).encode(), {})


def chat_reply(content: object) -> Callable[[bytes], Reply]:
    return lambda _: (200, json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode(),
                      {})


@pytest.fixture
def fake() -> Iterator[Callable[[dict[str, Callable[[bytes], Reply]]], FakeServer]]:
    servers: list[tuple[http.server.ThreadingHTTPServer, FakeServer]] = []

    def start(routes: dict[str, Callable[[bytes], Reply]]) -> FakeServer:
        state = FakeServer(routes)

        class Handler(http.server.BaseHTTPRequestHandler):
            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path.split("?")[0]
                state.seen.append((self.command, path, dict(self.headers), body))
                route = state.routes.get(f"{self.command} {path}")
                status, data, headers = route(body) if route else (404, b'{"error": "not found"}', {})
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        servers.append((httpd, state))
        return state

    yield start
    for httpd, state in servers:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()


def test_reply_that_is_not_json_or_not_openai_is_a_model_error(fake: Any) -> None:
    s = fake({"GET /v1/models": lambda _: (200, b"<html>router login</html>", {})})
    with pytest.raises(ModelError) as e:
        EndpointJudge(s.url, "m").load()
    assert "not JSON" in one_line(e, 3)
    s = fake({"GET /v1/models": lambda _: (200, b'{"models": []}', {})})
    with pytest.raises(ModelError) as e:
        EndpointJudge(s.url, "m").load()
    assert "OpenAI-compatible" in one_line(e, 3)
    s = fake({"GET /v1/models": models_reply("m"), "POST /v1/chat/completions": lambda _: (200, b'{"id": 1}', {})})
    with pytest.raises(ModelError) as e:
        EndpointJudge(s.url, "m").choose(default_rubrics()["star"], "q", from_text(STAR))
    assert "choices" in one_line(e, 3)


def test_http_error_is_a_model_error(fake: Any) -> None:
    s = fake({"GET /v1/models": models_reply("m"),
              "POST /v1/chat/completions": lambda _: (500, b'{"error": "CUDA out of memory"}', {})})
    with pytest.raises(ModelError) as e:
        EndpointJudge(s.url, "m").choose(default_rubrics()["star"], "q", from_text(STAR))
    assert "HTTP 500" in one_line(e, 3)


@pytest.mark.parametrize("content, expected", [
    ("2", 2), ("Sentence 3.", 3), ("[1] shows it", 1), ("0", 0), ("None of them.", 0), (None, 0),
    ("7", 0), ("-1", 0), ("", 0)])
def test_reply_without_a_valid_sentence_number_is_no_opinion(fake: Any, content: object, expected: int) -> None:
    s = fake({"GET /v1/models": models_reply("big-model:latest"), "POST /v1/chat/completions": chat_reply(content)})
    judge = EndpointJudge(s.url, "big-model", api_key="k3y", timeout_s=5)
    sentences = from_text(STAR)
    assert judge.choose(default_rubrics()["star"], "q", sentences) == dict.fromkeys(
        ("situation", "task", "action", "result"), expected)
    posts = [(h, json.loads(b)) for m, _, h, b in s.seen if m == "POST"]
    assert len(posts) == 4
    headers, body = posts[0]
    assert headers["Authorization"] == "Bearer k3y"
    assert body["model"] == "big-model" and body["temperature"] == 0 and body["max_tokens"] == 8
    assert body["messages"][-1]["content"].count("[4]") == 1  # the numbered sentences of the answer


def test_no_reply_in_time_is_a_model_error(fake: Any) -> None:
    holder: list[FakeServer] = []

    def stall(_: bytes) -> Reply:
        holder[0].release.wait(30)  # released when the test ends
        return 200, b"{}", {}

    s = fake({"GET /v1/models": models_reply("m"), "POST /v1/chat/completions": stall})
    holder.append(s)
    with pytest.raises(ModelError) as e:
        EndpointJudge(s.url, "m", timeout_s=0.3).choose(default_rubrics()["star"], "q", from_text(STAR))
    assert "judge_timeout_s" in one_line(e, 3)


def test_talks_only_to_the_named_host(fake: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the environment, no redirects followed: the answer goes to the named host or nowhere."""
    elsewhere = fake({"GET /v1/models": models_reply("m")})
    monkeypatch.setenv("http_proxy", elsewhere.url.removesuffix("/v1"))
    monkeypatch.setenv("HTTP_PROXY", elsewhere.url.removesuffix("/v1"))
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    named = fake({"GET /v1/models": lambda _: (302, b"", {"Location": elsewhere.url + "/models"})})
    with pytest.raises(ModelError) as e:
        EndpointJudge(named.url, "m").load()
    assert "HTTP 302" in one_line(e, 3)
    assert len(named.seen) == 1 and elsewhere.seen == []


# -- configuration ---------------------------------------------------------------------------------------------

def test_endpoint_is_off_by_default_and_the_default_judge_is_in_process(tmp_path: Path) -> None:
    cfg = Config()
    assert cfg.judge_endpoint == "" and cfg.judge_endpoint_key_env == ""
    assert isinstance(build(cfg, tmp_path).judge, LlamaJudge)


@pytest.mark.parametrize("text, fragment", [
    ('judge_endpoint = "ftp://gpu.lan/v1"', "http:// or https://"),
    ('judge_endpoint = "gpu.lan:8080"', "http:// or https://"),
    ('judge_endpoint = "http://me:hunter2@gpu.lan/v1"', "must not hold credentials"),
    ('judge_endpoint = "http://gpu.lan:99999/v1"', "bad port"),
    ('judge_endpoint_key_env = "sk-abc123-not-a-name"', "NAME of an environment variable"),
    ("judge_timeout_s = 0", "above 0"),
    ('judge_timeout_s = "60"', "must be a float"),
])
def test_bad_endpoint_settings_are_config_errors(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        config_mod.load(path)
    msg = one_line(e, 8)
    assert fragment in msg and str(path) in msg and "hunter2" not in msg


def test_endpoint_settings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('judge_endpoint = "https://gpu.lan:8443/v1/"\njudge_endpoint_model = "qwen2.5:14b"\n'
                    'judge_endpoint_key_env = "VIVA_JUDGE_KEY"\njudge_timeout_s = 120\n', encoding="utf-8")
    cfg = config_mod.load(path)
    judge = make_judge(cfg, tmp_path, environ={"VIVA_JUDGE_KEY": "s3cret"})
    assert isinstance(judge, EndpointJudge)
    assert judge.base_url == "https://gpu.lan:8443/v1" and judge.name == "qwen2.5:14b@gpu.lan:8443"
    assert judge.timeout_s == 120.0


# -- the user's own trust table ------------------------------------------------------------------------------

def report(model: str, trust: dict[str, dict[str, float]], prompt: str | None = None) -> SelfCheck:
    rubrics = tuple(RubricAgreement(rid, 3, 1.0, 0.5, 1.0, dict.fromkeys(items, 0.5), items)
                    for rid, items in trust.items())
    return SelfCheck(model, prompt or prompt_version(), rubrics, 1.0)


def test_user_trust_table_is_consulted_after_the_shipped_one(tmp_path: Path) -> None:
    path = tmp_path / "judge_trust.yaml"
    assert measured_trust("big@gpu:1", path) == {}
    save_trust(path, report("big@gpu:1", {"design": {"metric": 0.8, "skew": 0.4}}))
    save_trust(path, report("big@gpu:1", {"star": {"task": 0.6}}))  # a later check of another rubric adds to it
    save_trust(path, report("other@gpu:1", {"star": {"task": 0.2}}))
    assert measured_trust("big@gpu:1", path) == {"design.metric": 0.8, "design.skew": 0.4, "star.task": 0.6}
    assert measured_trust("other@gpu:1", path) == {"star.task": 0.2}
    judge = EndpointJudge("http://gpu:1/v1", "big", trust_file=path)
    assert judge.trust["design.metric"] == 0.8  # no request needed to know it
    # A shipped model keeps the shipped figures even if the user's table lists it too.
    save_trust(path, report("smollm2-135m-instruct", {"star": {"task": 0.9}}))
    assert measured_trust("smollm2-135m-instruct", path)["star.task"] == 0.0
    # Figures measured with another prompt are not valid any more: a new save starts the table afresh.
    data = yaml.safe_load(path.read_text())
    data["prompt"] = "judge-v0"
    path.write_text(yaml.safe_dump(data))
    assert measured_trust("big@gpu:1", path) == {}
    save_trust(path, report("other@gpu:1", {"star": {"task": 0.3}}))
    assert measured_trust("big@gpu:1", path) == {} and measured_trust("other@gpu:1", path) == {"star.task": 0.3}


def test_broken_user_trust_table_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "judge_trust.yaml"
    path.write_text(f"prompt: {prompt_version()}\nmodels:\n  big@gpu:1:\n    star.task: lots\n")
    with pytest.raises(ConfigError) as e:
        measured_trust("big@gpu:1", path)
    assert "--save-trust" in one_line(e, 8)


def test_sentence_number() -> None:
    assert [sentence_number(t, 3) for t in ("3", " 2\n", "Sentence 1 and 2", "4", "no", None, "10")] == \
        [3, 2, 1, 0, 0, 0, 0]


def test_a_judge_endpoint_that_fails_mid_interview_costs_no_feedback(tmp_path: Path) -> None:
    """The server on the user's GPU box goes away: the answer is still scored (from the cues), and says so."""
    from app.domain import Transcript, Word
    from app.practice import analyze_transcript

    text = ("At my last job our churn model was stale. I was asked to rebuild it. I wrote a new feature pipeline "
            "and retrained the model every week. Churn dropped by twelve percent.")
    words = tuple(Word(t, 0.4 * i, 0.4 * i + 0.3, 0.9) for i, t in enumerate(text.split()))
    transcript = Transcript(words=words, duration_s=0.4 * len(words) + 1)
    judge = EndpointJudge(f"http://127.0.0.1:{free_port()}/v1", "m", trust={"*": 1.0})
    got = analyze_transcript(transcript, kind="behavioral", question_text="Tell me about a project.", judge=judge)
    assert got.rubric is not None and got.rubric.model["name"] == "none"
    cues = analyze_transcript(transcript, kind="behavioral", question_text="Tell me about a project.", judge=None)
    assert cues.rubric is not None
    assert [v.present for v in got.rubric.items] == [v.present for v in cues.rubric.items]
    assert got.rubric.feedback[-1].startswith("Scored from the transcript cues alone")
    assert "connection refused" in got.rubric.feedback[-1]
    # A local model that is missing is the user's set-up to fix, not something to paper over.
    with pytest.raises(ModelError, match="LLM model file not found"):
        analyze_transcript(transcript, kind="behavioral", question_text="Tell me about a project.",
                           judge=LlamaJudge(tmp_path / "missing.gguf"))
