"""The LLM signal: a local GGUF model (llama.cpp) that points at the sentence showing a rubric item.

One call per rubric item. The prompt (prompts/judge.txt) puts the rubric instructions and the numbered answer
first and the item last, so consecutive calls for one answer share a long prefix that llama.cpp's prefix
cache does not evaluate again. The reply is grammar-constrained to a sentence number that exists (0: none),
with explicit `max_tokens`, so the model can only cite the answerer's own words.

How far the model's choice may move a verdict is its *trust*: measured per rubric item on the built-in
calibration set (`viva score --self-check`) as max(0, 2 * balanced accuracy - 1), and recorded per model in
prompts/judge_trust.yaml (the models Viva ships) or in the user's own judge_trust.yaml in the data directory
(`viva score --self-check --save-trust`, for models the user brings). A model that has not been measured has
trust 0: its answers are not used. One Llama is not thread-safe: calls are serialised.

The prompt rendering, the reply checks and the trust tables here are shared with app.scoring.endpoint (the
same judge on an OpenAI-compatible server the user names).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from app.errors import ConfigError, ModelError
from app.modelstore import fix_hint
from app.paths import prompts_dir
from app.scoring.rubrics import Rubric, RubricItem
from app.scoring.sentences import Sentence
from app.yamlsource import YamlSyntaxError, load_yaml

PROMPT_FILE = "judge.txt"
FOLLOW_UP_FILE = "follow_up.txt"
TRUST_FILE = "judge_trust.yaml"
MAX_SENTENCE_CHARS = 300  # one very long "sentence" must not crowd the context out
FOLLOW_UP_TOKENS = 48


class Judge(Protocol):
    """What the scorer needs from a model. A judge may also carry `trust` (a mapping "rubric.item" -> 0..1,
    or "rubric" / "*" -> 0..1; see trust_for): without it, its choices change no verdict."""

    name: str

    def choose(self, rubric: Rubric, question: str, sentences: Sequence[Sentence]) -> dict[str, int]:
        """For each rubric item, the 1-based number of the sentence that shows it, or 0."""
        ...


def _prompt_text(name: str) -> tuple[str, str]:
    """(version, template) of a prompt file whose first line is `# <version>`."""
    first, rest = (prompts_dir() / name).read_text(encoding="utf-8").split("\n", 1)
    return first.removeprefix("#").strip(), rest


def prompt_version() -> str:
    return _prompt_text(PROMPT_FILE)[0]


@lru_cache(maxsize=8)
def _trust_table(path: str, mtime_ns: int, size: int, prompt: str) -> dict[str, dict[str, float]]:
    """model -> per-item trust from one trust file, if it was measured with `prompt` (else {}). Cached per
    file version, so a table saved by a self-check is seen at once."""
    try:
        data = load_yaml(Path(path))
        if not isinstance(data, Mapping) or data.get("prompt") != prompt:
            return {}  # measured with another prompt: not valid any more
        return {str(name): {str(k): float(v) for k, v in (items or {}).items()}
                for name, items in (data.get("models") or {}).items()}
    except (YamlSyntaxError, OSError, AttributeError, TypeError, ValueError) as e:
        problem = str(e) if isinstance(e, YamlSyntaxError) else f"{path}: {e}"
        raise ConfigError(f"{problem}: not a judge trust table; delete it and run "
                          "`viva score --self-check --save-trust` to measure again") from None


def trust_table(path: Path) -> dict[str, dict[str, float]]:
    """Every model's trust recorded in `path` for the current prompt; {} when the file does not exist."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    table = _trust_table(str(path), st.st_mtime_ns, st.st_size, prompt_version())
    return {name: dict(items) for name, items in table.items()}  # the cached table stays as read


def measured_trust(model_name: str, user_file: Path | None = None) -> dict[str, float]:
    """Per-item trust ("star.result": 0.0..1.0) measured for `model_name` with the current prompt; {} if none.
    The shipped table (prompts/judge_trust.yaml) first, then the user's own table `user_file`."""
    for path in (prompts_dir() / TRUST_FILE, user_file):
        if path is not None and model_name in (table := trust_table(path)):
            return dict(table[model_name])
    return {}


def trust_for(judge: object, rubric_id: str, item_id: str) -> float:
    """How far `judge`'s choice may move a verdict for this item (0: not at all, 1: fully)."""
    trust = getattr(judge, "trust", None)
    if not isinstance(trust, Mapping):
        return 0.0
    value = trust.get(f"{rubric_id}.{item_id}", trust.get(rubric_id, trust.get("*", 0.0)))
    return min(1.0, max(0.0, float(value)))


def has_say(judge: object) -> bool:
    """Whether `judge` may move any verdict at all (some measured trust above 0). A judge without a say is never
    loaded: the bundled SmolLM2 measured trust 0 on every item, so by default no LLM is loaded."""
    trust = getattr(judge, "trust", None)
    return isinstance(trust, Mapping) and any(float(v) > 0 for v in trust.values())


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SENTENCE_CHARS else text[:MAX_SENTENCE_CHARS] + "..."


def render(rubric: Rubric, item: RubricItem, question: str, sentences: Sequence[Sentence]) -> list[dict[str, str]]:
    """The chat messages for one item. Everything but the last line is the same for every item of an answer
    (and the system message for every answer), so llama.cpp's prefix cache evaluates it once."""
    system, user = (part.strip() for part in _prompt_text(PROMPT_FILE)[1].split("\n---\n"))
    items = "\n".join(f'- {it.name}: {it.definition} Shows it: "{it.positive[0]}" Does not: "{it.negative[0]}"'
                      for it in rubric.items)
    numbered = "\n".join(f"[{k}] {_quote(s.text)}" for k, s in enumerate(sentences, 1))
    return [{"role": "system", "content": system.format(rubric=rubric.name, items=items)},
            {"role": "user", "content": user.format(question=_quote(question), sentences=numbered, name=item.name)}]


def follow_up_messages(question: str, item: RubricItem, template: str) -> list[dict[str, str]]:
    """The chat messages asking a model to reword the follow-up `template` for `question`."""
    _, prompt = _prompt_text(FOLLOW_UP_FILE)
    content = prompt.format(question=_quote(question), name=item.name, definition=item.definition,
                            template=template)
    return [{"role": "user", "content": content.strip()}]


def one_question(reply: str | None) -> str | None:
    """A model's reworded follow-up if it is one question and nothing else (no preamble, no quotes), else None."""
    text = " ".join((reply or "").split()).strip('"')
    one = re.fullmatch(r"[A-Z][^?\n:\"“”]{10,200}\?", text) is not None
    return text if one and 4 <= len(text.split()) <= 30 else None


def _number_grammar(n: int) -> str:
    return "root ::= " + " | ".join(f'"{k}"' for k in range(n + 1))


class MeasuredTrust:
    """A judge's `trust`: what was measured for its name (shipped table, then the user's `trust_file`), unless
    an explicit table was given."""

    name: str
    trust_file: Path | None
    _trust: dict[str, float] | None

    @property
    def trust(self) -> dict[str, float]:
        return self._trust if self._trust is not None else measured_trust(self.name, self.trust_file)


GGUF_VERSIONS = (1, 2, 3)  # the format versions llama.cpp reads


class LlamaJudge(MeasuredTrust):
    def __init__(self, model_path: Path, n_ctx: int = 2048, n_gpu_layers: int = 0, n_threads: int = 2,
                 name: str = "", trust: Mapping[str, float] | None = None, max_tokens: int = 4,
                 trust_file: Path | None = None) -> None:
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.n_gpu_layers = n_gpu_layers
        self.n_threads = n_threads
        self.name = name or model_path.stem
        self.max_tokens = max_tokens
        self._trust = dict(trust) if trust is not None else None
        self.trust_file = trust_file  # the user's own trust table (see measured_trust)
        self._llm: Any = None
        self._grammars: dict[int, Any] = {}
        self._lock = threading.Lock()
        self.load_s = 0.0
        self.calls = 0
        self.require_file()

    def require_file(self) -> None:
        """A missing or plainly broken model file is the user's set-up to fix, and said at once, even while the
        model has no say and is never loaded: the file exists and starts with a GGUF header (magic and a known
        version). What only loading finds (a truncated file) is said when it is loaded."""
        if not self.model_path.is_file():
            raise ModelError(f"LLM model file not found: {self.model_path}; {fix_hint()} (llm_model may also "
                             "name any .gguf file)")
        try:
            with self.model_path.open("rb") as f:
                head = f.read(8)
        except OSError as e:
            raise ModelError(f"cannot read LLM {self.model_path} ({e.strerror}): {fix_hint()}") from None
        if len(head) < 8 or head[:4] != b"GGUF" or int.from_bytes(head[4:8], "little") not in GGUF_VERSIONS:
            raise ModelError(f"LLM {self.model_path} is not a GGUF model (no valid GGUF header); the file may be "
                             f"truncated or of another format: {fix_hint()}")

    def load(self) -> None:
        if self._llm is not None:
            return
        self.require_file()
        from llama_cpp import Llama

        t0 = time.perf_counter()
        try:
            self._llm = Llama(model_path=str(self.model_path), n_ctx=self.n_ctx, n_gpu_layers=self.n_gpu_layers,
                              n_threads=self.n_threads, n_threads_batch=self.n_threads, seed=0, verbose=False)
        except Exception as e:
            raise ModelError(f"cannot load LLM {self.model_path} ({e}); the file may be truncated or not "
                             f"a GGUF model: {fix_hint()}") from None
        self.load_s = time.perf_counter() - t0

    def _grammar(self, n: int) -> Any:
        if n not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[n] = LlamaGrammar.from_string(_number_grammar(n), verbose=False)
        return self._grammars[n]

    def _fits(self, messages: list[dict[str, str]]) -> bool:
        text = "\n".join(m["content"] for m in messages)
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False)) + 64 + self.max_tokens < self.n_ctx

    def choose(self, rubric: Rubric, question: str, sentences: Sequence[Sentence]) -> dict[str, int]:
        out = {it.id: 0 for it in rubric.items}
        if not sentences:
            return out
        with self._lock:
            self.load()
            for it in rubric.items:
                messages = render(rubric, it, question, sentences)
                if not self._fits(messages):
                    continue  # an answer too long for the context gets no LLM opinion, never a truncated one
                reply = self._llm.create_chat_completion(
                    messages=messages, grammar=self._grammar(len(sentences)), temperature=0.0,
                    max_tokens=self.max_tokens)
                self.calls += 1
                text = (reply["choices"][0]["message"]["content"] or "").strip()
                out[it.id] = int(text) if text.isdigit() and int(text) <= len(sentences) else 0
        return out

    def paraphrase(self, question: str, item: RubricItem, template: str) -> str | None:
        """The template follow-up reworded to fit the question, or None when the reply is not one question."""
        with self._lock:
            self.load()
            reply = self._llm.create_chat_completion(messages=follow_up_messages(question, item, template),
                                                     temperature=0.0, max_tokens=FOLLOW_UP_TOKENS)
        return one_question(reply["choices"][0]["message"]["content"])
