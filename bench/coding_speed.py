"""Coding speed against the bare spaCy pass (issue 13, point 3), all measured in one process.

Sets:
- conflict: the development articles with a codable incident (../shared/eval/articles-dev, read at run
  time) and the founding sample (../shared/samples);
- mixed: a stream with one conflict article in five: each conflict article followed by four non-conflict
  articles as long as it, of general news: paragraphs of bench/texts/general_news.jsonl (written for this
  bench: economy, sport, weather, health, culture, technology, transport) and, half of the time, two sentences
  of the project's tests/texts/no_incident.jsonl (written to hold trigger words in other senses).

Measured, each the fastest of --rounds runs:
- spaCy: `nlp.pipe` over the texts (the pipeline alone);
- coding: `Coder.code_many` over the articles (language check, pre-filter, parse, coding);
- end-to-end (mixed): reading each text into an Article (language detection) and coding it.
Reported: time ratios to spaCy (targets: coding ≤ 1.15× spaCy on conflict articles; mixed stream end-to-end
throughput ≥ 3× spaCy's) and the process's peak RSS. `--profile FILE` writes a pyinstrument HTML profile of
coding the conflict set (pyinstrument must be installed).

Usage: python bench/coding_speed.py [--rounds 3] [--out FILE.json] [--profile FILE.html]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.model import Article
from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE_PUBLISHED = date(2025, 1, 9)
NON_CONFLICT_PER_CONFLICT = 4


def _published(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def conflict_texts() -> list[tuple[str, date | None]]:
    """Development articles with gold events, and the founding sample."""
    out = []
    for path in sorted((SHARED / "eval" / "articles-dev").glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        if row["gold"]["events"]:
            out.append((row["text"], _published(row.get("published"))))
    for path in sorted((SHARED / "samples").glob("*.txt")):
        out.append((path.read_text(encoding="utf-8"), SAMPLE_PUBLISHED))
    return out


def non_conflict_texts(lengths: list[int], seed: int = 13) -> list[str]:
    """One general-news article per length, about as long: paragraphs of one topic from the bench's own
    texts, then (a round-up of briefs, when the topic runs out) of others; half of them also carry two of
    the project's quiet sentences (tests/texts/no_incident.jsonl): trigger words in other senses."""
    rng = random.Random(seed)
    paragraphs: dict[str, list[str]] = {}
    for line in (REPO / "bench" / "texts" / "general_news.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        paragraphs.setdefault(row["topic"], []).append(row["text"])
    quiet = [
        json.loads(line)["text"]
        for line in (REPO / "tests" / "texts" / "no_incident.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    topics = sorted(paragraphs)
    out = []
    for length in lengths:
        first = rng.choice(topics)
        order = [first, *rng.sample([t for t in topics if t != first], len(topics) - 1)]
        pool = [p for t in order for p in rng.sample(paragraphs[t], len(paragraphs[t]))]
        chosen: list[str] = []
        while pool and sum(len(p) + 2 for p in chosen) < length:
            chosen.append(pool.pop(0))
        if rng.random() < 0.5:
            chosen.insert(rng.randint(1, len(chosen)), " ".join(rng.sample(quiet, 2)))
        out.append("\n\n".join(chosen))
    return out


def _drain(items: Iterable[object]) -> None:
    """Consume results without keeping them (holding every Doc would measure the bench, not the coder)."""
    for _ in items:
        pass


def _best(rounds: int, run: Callable[[], Any]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def _articles(texts: list[tuple[str, date | None]]) -> list[Article]:
    return [read_text(f"text-{n}", t, ArticleDefaults(published=p)) for n, (t, p) in enumerate(texts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args()
    if not (SHARED / "eval" / "articles-dev").is_dir():
        sys.exit(
            f"{SHARED / 'eval' / 'articles-dev'} is not available (../shared is not beside this checkout)"
        )
    coder = Coder.load(get_settings())
    conflict = conflict_texts()
    quiet = non_conflict_texts([len(t) for t, _ in conflict for _ in range(NON_CONFLICT_PER_CONFLICT)])
    mixed: list[tuple[str, date | None]] = []
    for n, item in enumerate(conflict):
        mixed.append(item)
        mixed += [
            (t, item[1]) for t in quiet[n * NON_CONFLICT_PER_CONFLICT : (n + 1) * NON_CONFLICT_PER_CONFLICT]
        ]
    conflict_articles = _articles(conflict)
    coder_no_filter = Coder(**{**coder.__dict__, "prefilter": None})
    list(coder.code_many(conflict_articles[:3]))  # warm-up: lazy loads (language model, date parser)

    def spacy_pass(texts: list[tuple[str, date | None]]) -> Callable[[], Any]:
        return lambda: _drain(coder.nlp.pipe(t for t, _ in texts))

    report: dict[str, Any] = {
        "conflict_articles": len(conflict),
        "conflict_chars": sum(len(t) for t, _ in conflict),
        "mixed_articles": len(mixed),
        "mixed_chars": sum(len(t) for t, _ in mixed),
    }
    spacy_conflict = _best(args.rounds, spacy_pass(conflict))
    coding_conflict = _best(args.rounds, lambda: _drain(coder.code_many(conflict_articles)))
    spacy_mixed = _best(args.rounds, spacy_pass(mixed))
    e2e_mixed = _best(args.rounds, lambda: _drain(coder.code_many(_articles(mixed))))
    e2e_mixed_no_filter = _best(1, lambda: _drain(coder_no_filter.code_many(_articles(mixed))))
    coded = list(coder.code_many(_articles(mixed)))
    report |= {
        "spacy_conflict_s": round(spacy_conflict, 2),
        "coding_conflict_s": round(coding_conflict, 2),
        "conflict_coding_over_spacy": round(coding_conflict / spacy_conflict, 3),
        "spacy_mixed_s": round(spacy_mixed, 2),
        "end_to_end_mixed_s": round(e2e_mixed, 2),
        "mixed_throughput_over_spacy": round(spacy_mixed / e2e_mixed, 2),
        "end_to_end_mixed_without_prefilter_s": round(e2e_mixed_no_filter, 2),
        "mixed_skipped_unparsed": sum(1 for c in coded if c.reason and "pre-filter" in c.reason),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(report, indent=2))
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if args.profile is not None:
        from pyinstrument import Profiler

        with Profiler() as profiler:
            list(coder.code_many(conflict_articles))
        args.profile.write_text(profiler.output_html(), encoding="utf-8")
        print(profiler.output_text(show_all=False, color=False)[:6000])


if __name__ == "__main__":
    main()
