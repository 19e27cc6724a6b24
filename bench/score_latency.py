"""Latency of scoring a 300-word answer once the models are loaded (median of several runs), and the memory the
structure scorer adds.

    .venv/bin/python bench/score_latency.py [--model PATH] [--threads 2] [--runs 7] [--json]

Measures: the default `score_answer` per rubric (STAR: the trained model, spaCy parse included; design and
concept: the cue scorer behind the relevance gate, concept's with the sentence encoder), the cue scorer alone,
the trained model on every rubric; the resident memory added by loading spaCy, the structure model and the
sentence encoder and scoring once (RSS before and after, MB; spaCy's share apart, since the delivery analysis
loads it too); then, with the LLM judge:
combined with the model's measured trust (SmolLM2 has trust 0, so no model call is made) and with the model
forced to full trust, the worst case, where every borderline sentence is put to the model (one prefix-cached
call per item that has borderline evidence), the model's cache emptied before each run as for a new answer.
For a
like-for-like figure on 2 CPU cores, pin the process: `taskset -c 0,1 .venv/bin/python bench/score_latency.py`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain import Word  # noqa: E402
from app.scoring import nlp  # noqa: E402
from app.scoring.encoder import default_encoder  # noqa: E402
from app.scoring.llm import LlamaJudge  # noqa: E402
from app.scoring.scorer import score_answer, score_cues  # noqa: E402
from app.scoring.trained import score_trained  # noqa: E402

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf"
QUESTION = "Tell me about a time you had to rescue a project that was running late."
# About 300 words of a spoken answer, with borderline evidence ("we" actions, a feature store, a deadline)
# so that the worst case really asks the model.
ANSWER = (
    "So about two years ago I was working at a mid-sized logistics company on the team that owned the "
    "delivery time estimates, and um the estimates had gotten noticeably worse after we expanded into three "
    "new cities. Customers were complaining and the support queue had doubled in a month. The deadline was "
    "the start of the holiday season, which gave us about six weeks. My manager asked me to lead the fix, "
    "and I had to keep the existing service running while we worked on it. The first thing I did was pull "
    "two months of predictions and actual delivery times and split the errors by city and by hour. It was "
    "pretty clear that the new cities had almost no history, so the model was basically guessing there. We "
    "talked about building a whole new model, but I pushed for something simpler first. I wrote a fallback "
    "that used the average delivery time for similar neighbourhoods in older cities until a new city had "
    "enough data of its own. We also moved the feature code into a shared package so that the training job "
    "and the online service computed the distance and traffic features the same way, because I had found a "
    "small mismatch there too. Then I set up a weekly report on the error per city and an alert if any city "
    "drifted more than ten percent from its usual error. We shipped the fallback in three weeks. In the end "
    "the average error in the new cities dropped from nineteen minutes to about seven, complaints went back "
    "to their old level, and the holiday season went through without any incident. I learned that a plain "
    "baseline that you understand beats a clever model that you cannot explain, especially under a deadline, "
    "and that checking the errors by segment should be the first step, not the last one."
)


def words_of(text: str) -> list[Word]:
    return [Word(w, round(k * 0.35, 2), round(k * 0.35 + 0.3, 2)) for k, w in enumerate(text.split())]


def timed(call: Callable[[], object], runs: int, before: Callable[[], None] = lambda: None) -> float:
    call()  # warm-up
    times = []
    for _ in range(runs):
        before()
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def rss_mb() -> float:
    """This process's resident memory (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    p.add_argument("--name", default="smollm2-135m-instruct")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    words = words_of(ANSWER)
    before = rss_mb()
    t0 = time.perf_counter()
    nlp.parse(["I rewrote the feature pipeline."])  # spaCy alone first: the delivery analysis loads it too
    spacy_mb = round(rss_mb() - before, 1)
    score_answer("star", QUESTION, words=words)  # loads spaCy and the structure model
    first_s = time.perf_counter() - t0
    for rid in ("design", "concept"):
        score_trained(rid, QUESTION, words=words)
    extra_mb = round(rss_mb() - before, 1)
    rubrics = ("star", "design", "concept")
    # spaCy parses and sentence encodings are cached by text (training sees one sentence in many variants):
    # emptied before each run, as for a new answer
    def fresh() -> None:
        nlp._cache.clear()
        default_encoder().clear_cache()

    default_s = {rid: timed(partial(score_answer, rid, QUESTION, words=words), args.runs, fresh) for rid in rubrics}
    trained_s = {rid: timed(partial(score_trained, rid, QUESTION, words=words), args.runs, fresh) for rid in rubrics}
    cues_s = timed(partial(score_cues, "star", QUESTION, words=words), args.runs)
    structure = {"first_call_s": round(first_s, 3), "extra_mb": extra_mb, "spacy_mb": spacy_mb, "default_s": default_s,
                 "cues_s": cues_s, "trained_s": trained_s}
    judge = LlamaJudge(args.model, n_threads=args.threads, name=args.name)
    judge.load()
    forced = LlamaJudge(args.model, n_threads=args.threads, name=args.name, trust={"*": 1.0})
    forced.load()
    worst = score_answer("star", QUESTION, words=words, judge=forced)
    report = {
        "words": len(words),
        "structure": structure,
        "model": args.name,
        "threads": args.threads,
        "load_s": round(judge.load_s, 3),
        "cue_only_s": timed(lambda: score_answer("star", QUESTION, words=words), args.runs),
        "combined_s": timed(lambda: score_answer("star", QUESTION, words=words, judge=judge), args.runs),
        # The model's cache is emptied before each run: a new answer is evaluated from scratch (conservative,
        # since in use the system part of the prompt stays cached from one answer to the next).
        "combined_full_trust_s": timed(lambda: score_answer("star", QUESTION, words=words, judge=forced), args.runs,
                                       before=lambda: forced._llm.reset()),
        "full_trust_llm_calls": worst.model["llm_calls"],
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['words']}-word answer; median of {args.runs} runs after loading:")
    print(f"  structure scorer: first call {first_s:.2f} s (loads spaCy and the model), "
          f"{extra_mb:.0f} MB more resident memory, {spacy_mb:.0f} MB of it spaCy's (which the delivery analysis "
          f"also loads for any answer holding a possible discourse filler: app/delivery/discourse.py), "
          f"{extra_mb - spacy_mb:.0f} MB the rest")
    for rid, sec in default_s.items():
        print(f"  score_answer {rid:8s}         {sec * 1000:8.1f} ms (default scorer)")
    print(f"  cue scorer alone (star)       {cues_s * 1000:8.1f} ms")
    for rid, sec in trained_s.items():
        print(f"  trained model {rid:8s}        {sec * 1000:8.1f} ms")
    print(f"with {args.name} on {args.threads} thread(s), model load {report['load_s']:.2f} s:")
    print(f"  cue-only                      {report['cue_only_s'] * 1000:8.1f} ms")
    print(f"  combined (measured trust)     {report['combined_s'] * 1000:8.1f} ms")
    print(f"  combined (full trust, worst)  {report['combined_full_trust_s'] * 1000:8.1f} ms "
          f"({report['full_trust_llm_calls']} model calls)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
