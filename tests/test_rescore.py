"""`viva rescore`: a stored spoken answer re-scored through llama.cpp's server on loopback keeps both results, each
with its model and prompt version, and a model's choices move verdicts only as far as its measured trust."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from loopback_judge import LlamaServer, free_port

from app.cli import main
from app.domain import Transcript
from app.scoring.cues import sentence_scores
from app.scoring.guard import grader_text_span
from app.scoring.llm import prompt_version
from app.scoring.rubrics import default_rubrics
from app.scoring.scorer import HIGH, LOW, score_answer
from app.scoring.sentences import split_words
from app.store import Store
from app.tts import Pyttsx3Speaker

pytestmark = pytest.mark.models

KEY_ENV = "VIVA_TEST_JUDGE_KEY"
QUESTION = "cs-spam-classifier"  # a design question
# Spoken by Viva's own TTS (espeak-ng): strong evidence for two items, borderline for the others, so a trusted
# model is asked about some items and cannot touch the rest.
ANSWER = ("I'd measure success with the click-through rate. We'd start with something simple. "
          "Features would live in a feature store. Later we'd add monitoring.")


def viva(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data directory holding one session: the spoken answer analysed and saved by `viva analyze --save` (with
    the default in-process model), and a config naming the environment variable with the server's API key."""
    home = tmp_path_factory.mktemp("stored") / "home"
    wav = Pyttsx3Speaker().render(ANSWER, home.parent / "answer.wav")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIVA_HOME", str(home))
        assert main(["analyze", str(wav), "--question", QUESTION, "--save", "--json"]) == 0
    (home / "config.toml").write_text(f'judge_endpoint_key_env = "{KEY_ENV}"\n', encoding="utf-8")
    yield home


@pytest.fixture
def data(stored: Path, home: Path, llama_server: LlamaServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the stored data directory as VIVA_HOME, with the server's key in the environment."""
    shutil.copytree(stored, home)
    monkeypatch.setenv(KEY_ENV, llama_server.api_key)
    return home


def attempt(home: Path) -> dict[str, Any]:
    """The stored answer as the JSON export and `viva show --json` give it (the form the CLI output is compared
    with)."""
    with Store(home) as store:
        (a,) = store.attempts(1)
    return a.to_dict()


def write_trust(home: Path, name: str, value: float) -> None:
    items = {f"{r.id}.{it.id}": value for r in default_rubrics().values() for it in r.items}
    (home / "judge_trust.yaml").write_text(yaml.safe_dump({"prompt": prompt_version(), "models": {name: items}}))


def verdicts(result: dict[str, Any]) -> list[tuple[str, bool, list[str]]]:
    return [(i["id"], i["present"], [e["text"] for e in i["evidence"]]) for i in result["items"]]


def test_rescore_through_the_loopback_server_keeps_both_results(data: Path, llama_server: LlamaServer,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = attempt(data)["results"]
    assert [r["model"]["name"] for r in before] == ["smollm2-135m-instruct"]

    # No trust recorded for this model on this server: it is measured first (the whole calibration set, the one
    # full self-check over HTTP in the suite), and the figures are saved in the data directory.
    code, out, err = viva(capsys, "rescore", "--session", "1", "--endpoint", llama_server.url,
                          "--model", llama_server.model)
    assert code == 0, err
    assert "measuring it on the calibration set" in err and "Saved the measured trust" in err
    saved = yaml.safe_load((data / "judge_trust.yaml").read_text())
    assert saved["prompt"] == prompt_version()
    assert set(saved["models"]) == {llama_server.judge_name}
    assert len(saved["models"][llama_server.judge_name]) == sum(len(r.items) for r in default_rubrics().values())
    assert f"-> {attempt(data)['results'][-1]['score']} ({llama_server.judge_name}, rubrics-v" in out

    results = attempt(data)["results"]
    assert [r["model"]["name"] for r in results] == ["smollm2-135m-instruct", llama_server.judge_name]
    assert results[0] == before[0]  # the old result is kept as it was
    assert results[1]["prompt_version"].endswith("/" + prompt_version())
    assert results[1]["rubric"] == results[0]["rubric"] == "design"

    # `viva show` lists both, latest first, with model, prompt version, score and time.
    code, out, _ = viva(capsys, "show", "1")
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    at = lines.index("structure results, latest first:")
    for line, r in zip(lines[at + 1:at + 3], reversed(results), strict=True):
        assert line.split() == [f"{r['score']}/100", r["model"]["name"], r["prompt_version"], r["created_at"]]
    code, out, _ = viva(capsys, "show", "1", "--json")
    shown = json.loads(out)["attempts"][0]["results"]
    assert [(r["model"]["name"], r["created_at"]) for r in shown] == \
        [(r["model"]["name"], r["created_at"]) for r in results]
    code, out, _ = viva(capsys, "export", "1", "--format", "md")
    assert "Earlier results for this answer" in out and "smollm2\\-135m\\-instruct" in out
    with Store(data) as store:
        assert store.trend()[0].score == results[-1]["score"]  # trends use the latest

    # Measured now: a second re-score does not measure again, and adds a third result.
    code, out, err = viva(capsys, "rescore", "--session", "1", "--endpoint", llama_server.url, "--json")
    assert code == 0 and "measuring" not in err
    report = json.loads(out)
    assert report["model"] == llama_server.judge_name and report["calibrated"] is False
    assert len(attempt(data)["results"]) == 3


def test_trusted_endpoint_model_is_consulted_and_cites_only_the_answer(
        data: Path, llama_server: LlamaServer, capsys: pytest.CaptureFixture[str]) -> None:
    write_trust(data, llama_server.judge_name, 1.0)
    a = attempt(data)
    words = Transcript.from_dict(a["transcript"]).words
    sentences, _ = split_words(words, grader_text_span)
    hits = sentence_scores(default_rubrics()["design"], sentences, a["question_text"])
    best = {item: max((h.score for h in found), default=0.0) for item, found in hits.items()}
    borderline = [i for i, found in hits.items() if any(LOW <= h.score < HIGH for h in found)]
    assert borderline, f"the spoken answer has no borderline sentence to ask about: {best}"

    before = llama_server.chat_requests()
    code, out, err = viva(capsys, "rescore", "--session", "1", "--endpoint", llama_server.url, "--json")
    assert code == 0, err
    assert "measuring" not in err  # trust is recorded (by hand here)
    new = attempt(data)["results"][-1]
    assert new["model"]["name"] == llama_server.judge_name and new["model"]["trust"] == 1.0
    assert new["model"]["llm_calls"] == len(borderline) > 0
    assert llama_server.chat_requests() - before == len(borderline)  # one call per item asked, to the server
    assert json.loads(out)["rescored"][0]["new"]["llm_calls"] == len(borderline)

    spoken = " ".join(w.text for w in words)
    starts = {w.start for w in words}
    for item in new["items"]:
        assert item["present"] == bool(item["evidence"])
        for e in item["evidence"]:
            assert " ".join(e["text"].split()) in spoken and e["start"] in starts  # the answerer's own words
        if best[item["id"]] >= HIGH:
            assert item["present"]  # strong evidence: out of the model's reach
        if best[item["id"]] < LOW:
            assert not item["present"]  # no cue evidence: the model cannot add it


def test_untrusted_endpoint_model_changes_nothing_and_is_not_asked(
        data: Path, llama_server: LlamaServer, capsys: pytest.CaptureFixture[str]) -> None:
    write_trust(data, llama_server.judge_name, 0.0)
    before = llama_server.chat_requests()
    code, _, err = viva(capsys, "rescore", "--all", "--endpoint", llama_server.url)
    assert code == 0, err
    assert "change no verdict" in err
    a = attempt(data)
    new = a["results"][-1]
    cues = score_answer("design", a["question_text"], words=Transcript.from_dict(a["transcript"]).words)
    assert verdicts(new) == verdicts(cues.to_dict()) == verdicts(a["results"][0])
    assert new["model"]["llm_calls"] == 0 and llama_server.chat_requests() == before


def test_in_process_model_by_path(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.modelstore import load_manifest, require

    gguf = require(load_manifest()["smollm2-135m-instruct"])
    code, out, err = viva(capsys, "rescore", "--session", "1", "--model", str(gguf), "--no-calibrate", "--json")
    assert code == 0, err
    assert "measuring" not in err and "change no verdict" in err  # unmeasured, not measured: no say
    assert json.loads(out)["model"] == gguf.stem
    assert [r["model"]["name"] for r in attempt(data)["results"]] == ["smollm2-135m-instruct", gguf.stem]
    assert not (data / "judge_trust.yaml").exists()


@pytest.mark.parametrize("argv, code, fragment", [
    (["rescore"], 2, "one of the arguments --session --all is required"),
    (["rescore", "--session", "1", "--all"], 2, "not allowed with"),
    (["rescore", "--all", "--endpoint", "ftp://gpu.lan/v1"], 2, "http:// or https://"),
    (["rescore", "--all", "--model", "no-such-model"], 2, "neither a model in models/manifest.json"),
])
def test_usage_errors(home: Path, argv: list[str], code: int, fragment: str,
                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == code and fragment in capsys.readouterr().err


def test_errors_are_one_line_with_their_exit_code(data: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1"
    for argv, expected, fragment in (
            (["rescore", "--session", "99"], 6, "no session 99"),
            (["rescore", "--session", "1", "--endpoint", closed, "--model", "m"], 3, "cannot reach"),
            (["score", "--kind", "design", "--question-text", "q", "--answer-text", "a", "--save-trust"], 1,
             "--save-trust goes with --self-check")):
        code, _, err = viva(capsys, *argv)
        assert code == expected and err.count("\n") == 1 and fragment in err, err
    monkeypatch.delenv(KEY_ENV)
    code, _, err = viva(capsys, "rescore", "--all", "--endpoint", closed)
    assert code == 8 and err.count("\n") == 1 and KEY_ENV in err, err
    assert len(attempt(data)["results"]) == 1  # nothing was added by any of these
