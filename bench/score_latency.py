"""Latency of scoring a 300-word answer once the model is loaded (median of several runs).

    .venv/bin/python bench/score_latency.py [--model PATH] [--threads 2] [--runs 7] [--json]

Measures: cue-only; combined with the model's measured trust (the default: SmolLM2 has trust 0, so no model
call is made); and combined with the model forced to full trust, the worst case, where every borderline
sentence is put to the model (one prefix-cached call per item that has borderline evidence), the model's
cache emptied before each run as for a new answer. For a
like-for-like figure on 2 CPU cores, pin the process: `taskset -c 0,1 .venv/bin/python bench/score_latency.py`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain import Word  # noqa: E402
from app.scoring.llm import LlamaJudge  # noqa: E402
from app.scoring.scorer import score_answer  # noqa: E402

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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    p.add_argument("--name", default="smollm2-135m-instruct")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    words = words_of(ANSWER)
    judge = LlamaJudge(args.model, n_threads=args.threads, name=args.name)
    judge.load()
    forced = LlamaJudge(args.model, n_threads=args.threads, name=args.name, trust={"*": 1.0})
    forced.load()
    worst = score_answer("star", QUESTION, words=words, judge=forced)
    report = {
        "words": len(words),
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
    print(f"{report['words']}-word answer, {args.name} on {args.threads} thread(s), model load "
          f"{report['load_s']:.2f} s; median of {args.runs} runs:")
    print(f"  cue-only                      {report['cue_only_s'] * 1000:8.1f} ms")
    print(f"  combined (measured trust)     {report['combined_s'] * 1000:8.1f} ms")
    print(f"  combined (full trust, worst)  {report['combined_full_trust_s'] * 1000:8.1f} ms "
          f"({report['full_trust_llm_calls']} model calls)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
