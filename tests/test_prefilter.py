"""The pre-filter (issue 13, point 2): it finds every trigger the coder could, whatever the inflection, and
skipping with it never changes what is coded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.pipeline import Coder
from conflictcoder.prefilter import REJECTED_REASON, SKIP_REASON

TEXTS = Path(__file__).resolve().parent / "texts"


@pytest.fixture(scope="module")
def plain(coder: Coder) -> Coder:
    return Coder(**{**coder.__dict__, "prefilter": None})


@pytest.mark.parametrize(
    "text",
    [
        "Troops shelled the village.",
        "A man was stabbed.",
        "Two men were shot dead.",
        "Rebels fought government forces.",
        "The group took over the town.",
        "Students staged a sit-in.",
        "Militants overran the post.",
        "Protesters were tear-gassed.",
    ],
)
def test_inflected_and_irregular_forms_are_found(coder: Coder, text: str) -> None:
    assert coder.prefilter is not None and coder.prefilter.trigger_offsets(text)


def test_text_without_trigger_words_is_skipped_unparsed(coder: Coder) -> None:
    article = read_text(
        "x.txt", "The central bank held interest rates steady on Thursday.", ArticleDefaults()
    )
    assert coder.skip_reason(article) == SKIP_REASON
    assert coder.code(article).reason == SKIP_REASON


def test_sparse_triggers_rejected_by_the_rules_skip_the_article(coder: Coder) -> None:
    filler = "The orchestra opened its season with a new programme of music by local composers. " * 12
    text = filler + "The film was shot in the hills above the city last summer. " + filler
    article = read_text("review.txt", text, ArticleDefaults())
    assert coder.skip_reason(article) == REJECTED_REASON


def test_sparse_real_incident_is_not_skipped(coder: Coder) -> None:
    filler = "The orchestra opened its season with a new programme of music by local composers. " * 12
    text = filler + "Gunmen shot dead two policemen at a checkpoint in Quetta on Monday. " + filler
    article = read_text("mixed.txt", text, ArticleDefaults())
    assert coder.skip_reason(article) is None and coder.code(article).events


@pytest.mark.parametrize("name", ["events.jsonl", "claims.jsonl", "no_incident.jsonl"])
def test_filter_changes_no_coding_of_the_project_texts(coder: Coder, plain: Coder, name: str) -> None:
    for line in (TEXTS / name).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        article = read_text(row["id"], row["text"], ArticleDefaults())
        with_filter, without = coder.code(article), plain.code(article)
        assert [e.event_id for e in with_filter.events] == [e.event_id for e in without.events], row["id"]
