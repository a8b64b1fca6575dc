"""Batch scaling: articles per second of the local batch's coding pool with 1 and with 2 worker
processes on the same input, in the same command, and each worker's peak resident memory (targets of
issue 13: 2 workers at least 1.8x one; at most 1.5 GB per worker).

The input is the whole news articles of ../shared/eval/articles-dev (all 120: speed needs no split),
repeated `--passes` times. Each pool is started and its workers have loaded the pipeline before the
clock starts (start-up is measured separately: `conflictcoder code` start-up is bench work of its own);
the timed part is `CodingPool.code_in_order` over chunks, as `conflictcoder batch` runs it: the parent
reads nothing (the articles are read beforehand) and collects the coded articles. The two pool sizes
take turns over `--rounds` rounds, since the machine's load changes from minute to minute; articles/s
is the total over the rounds. On a shared machine, wall-clock ratios depend on the other load, so the
CPU time per article (workers and parent, from getrusage) is printed too: if it is the same with 2
workers as with 1, the pool adds no work and scales with free cores. Peak RSS is each worker's
high-water mark (getrusage) at the end.

Usage: python bench/batch_scaling.py [--passes 2] [--rounds 2] [--chunk 16]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from conflictcoder.batch.pool import CodingPool
from conflictcoder.ingest import ArticleDefaults, read_inputs
from conflictcoder.model import Article
from conflictcoder.settings import get_settings

ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "articles-dev"


def timed_run(articles: list[Article], workers: int, chunk: int) -> tuple[float, float, dict[int, int]]:
    """Wall seconds and CPU seconds (workers and parent) to code `articles` with `workers` processes
    (after they are loaded), and each worker's peak RSS."""
    chunks = [(i, articles[i : i + chunk]) for i in range(0, len(articles), chunk)]
    with CodingPool[int](get_settings(), workers) as pool:
        before = pool.worker_stats()  # every worker loaded before the clock starts
        parent = time.process_time()
        started = time.perf_counter()
        done = sum(len(out) for _i, out in pool.code_in_order(chunks))
        seconds = time.perf_counter() - started
        parent = time.process_time() - parent
        after = pool.worker_stats()
    assert done == len(articles)
    cpu = parent + sum(after[pid][1] - before.get(pid, (0, 0.0))[1] for pid in after)
    return seconds, cpu, {pid: rss for pid, (rss, _cpu) in after.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=16)
    args = parser.parse_args()
    if not ARTICLES.is_dir():
        sys.exit(f"{ARTICLES} is not available (../shared is not beside this checkout)")
    base = [a for a in read_inputs([str(ARTICLES)], ArticleDefaults()) if isinstance(a, Article)]
    articles = base * args.passes
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} articles ({len(base)} x {args.passes}), {words / len(articles):.0f} words each")
    seconds = {1: 0.0, 2: 0.0}
    cpu = {1: 0.0, 2: 0.0}
    peak: dict[int, int] = {1: 0, 2: 0}
    for r in range(args.rounds):
        for workers in (1, 2) if r % 2 == 0 else (2, 1):
            s, c, memory = timed_run(articles, workers, args.chunk)
            seconds[workers] += s
            cpu[workers] += c
            peak[workers] = max(peak[workers], *memory.values())
            print(
                f"round {r + 1}, {workers} worker(s): {len(articles) / s:.1f} articles/s, "
                f"{1000 * c / len(articles):.0f} CPU ms/article; "
                f"peak RSS per worker {', '.join(f'{m / 2**20:.0f} MB' for m in memory.values())}",
                flush=True,
            )
    n = args.rounds * len(articles)
    rate = {w: n / seconds[w] for w in seconds}
    print(
        f"CPU ms/article (workers + parent): 1 worker {1000 * cpu[1] / n:.0f}, "
        f"2 workers {1000 * cpu[2] / n:.0f} (equal: 2 workers reach 2x one when two cores are free)"
    )
    print(
        f"1 worker: {rate[1]:.1f} articles/s; 2 workers: {rate[2]:.1f} articles/s; "
        f"ratio {rate[2] / rate[1]:.2f} (target >= 1.8); "
        f"peak RSS per worker {max(peak.values()) / 2**20:.0f} MB (target <= 1536 MB)"
    )


if __name__ == "__main__":
    main()
