"""The store on SQLite and PostgreSQL: migrations, idempotent ingest, versions, revisions, split."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from conflictcoder.errors import IngestError
from conflictcoder.pipeline import Coder
from conflictcoder.store import (
    StoreError,
    counts,
    event_history,
    event_reports,
    get_event,
    ingest_articles,
    list_events,
    make_engine,
    open_store,
    save_one,
    split_event,
)
from conflictcoder.store import repo as repo_module
from conflictcoder.store.db import MIGRATIONS_DIR, current_revision, head_revision
from conflictcoder.store.tables import Base
from tests.store.reports import DAWN, DAY, OTHER, REUTERS

REUTERS_UPDATED = REUTERS.replace("killing five soldiers", "killing seven soldiers")


def test_migrations_build_exactly_the_models(store_url: str) -> None:
    engine, _ = open_store(store_url)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    open_store(store_url)  # upgrading an up-to-date store is a no-op
    engine.dispose()


def test_migrations_ship_inside_the_package() -> None:
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert list((MIGRATIONS_DIR / "versions").glob("0001_*.py"))


def test_a_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        make_engine("not a url")


def test_the_same_article_twice_changes_nothing(store, code_report) -> None:  # type: ignore[no-untyped-def]
    article, coded = code_report(DAWN, DAY, "Dawn")
    first = save_one(store, article, coded)
    assert first.status == "new" and len(first.created) == 1
    with store() as s:
        before = counts(s)
        rev = list_events(s)[0].revision
    again = save_one(store, article, coded)
    assert again.status == "unchanged" and not again.created and not again.updated
    with store() as s:
        assert counts(s) == before
        assert list_events(s)[0].revision == rev
    assert before["claims"] == len(coded.events[0].claims) and before["mentions"] == 1


def test_ingest_codes_stores_and_skips_what_it_has(store, coder: Coder, code_report) -> None:  # type: ignore[no-untyped-def]
    dawn, _ = code_report(DAWN, DAY, "Dawn")
    other, _ = code_report(OTHER, DAY, "Dawn")
    broken = IngestError("feeds/bad.jsonl", "malformed JSON", line=3)
    seen = []
    summary = ingest_articles(store, coder, [dawn, broken, other, dawn], seen.append)
    assert (summary.new, summary.unchanged, len(summary.errors)) == (2, 1, 1)
    assert summary.events_created == 2
    assert broken in seen
    again = ingest_articles(store, coder, [dawn, other])
    assert (again.new, again.unchanged, again.events_created) == (0, 2, 0)


def test_an_interrupted_article_leaves_nothing_and_a_rerun_completes(  # type: ignore[no-untyped-def]
    store, coder: Coder, code_report, monkeypatch
) -> None:
    dawn, _ = code_report(DAWN, DAY, "Dawn")
    reuters, _ = code_report(REUTERS, DAY, "Reuters")
    real = repo_module._claim_rows
    calls = {"n": 0}

    def dying(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the user pressed Ctrl-C half-way through the second article
        return real(*args, **kwargs)

    monkeypatch.setattr(repo_module, "_claim_rows", dying)
    with pytest.raises(KeyboardInterrupt):
        ingest_articles(store, coder, [dawn, reuters])
    with store() as s:
        assert counts(s)["articles"] == 1 and counts(s)["mentions"] == 1
    monkeypatch.setattr(repo_module, "_claim_rows", real)
    summary = ingest_articles(store, coder, [dawn, reuters])
    assert (summary.new, summary.unchanged) == (1, 1)
    with store() as s:
        [event] = list_events(s)
        assert len(event.articles) == 2


def _merged(store, code_report):  # type: ignore[no-untyped-def]
    for text, outlet in ((DAWN, "Dawn"), (REUTERS, "Reuters")):
        save_one(store, *code_report(text, DAY, outlet, f"https://news.example/{outlet.lower()}/hoshab"))
    with store() as s:
        [event] = list_events(s)
    return event


def test_reports_merge_with_every_source_and_claim_reconciled(store, code_report) -> None:  # type: ignore[no-untyped-def]
    event = _merged(store, code_report)
    e = event.event
    assert event.outlets == ["Dawn", "Reuters"] and event.revision == 2
    claimants = {c.claimant for c in e.claims if c.figure == "killed"}
    assert len(claimants) >= 3  # the military, the BLF and the security official
    assert e.fatalities is not None
    assert (e.fatalities.low, e.fatalities.high) == (4, 9)
    killed = next(d for d in e.disputes if d.figure == "killed")
    assert {v.value.low for v in killed.values} >= {4, 5, 9}
    assert "Baloch Liberation Front claimed 9" in e.notes


def test_history_keeps_every_revision_and_the_values_not_chosen(store, code_report) -> None:  # type: ignore[no-untyped-def]
    event = _merged(store, code_report)
    with store() as s:
        history = event_history(s, event.event.event_id)
    assert [h.action for h in history] == ["create", "merge"]
    assert history[0].event.fatalities is not None and history[0].event.fatalities.high == 9
    assert history[1].changes["fields"]["sources"]["new"] == [
        "Dawn",
        "https://news.example/dawn/hoshab",
        "Reuters",
        "https://news.example/reuters/hoshab",
    ]


def test_a_new_version_of_an_article_updates_its_event(store, code_report) -> None:  # type: ignore[no-untyped-def]
    event = _merged(store, code_report)
    url = "https://news.example/reuters/hoshab"
    result = save_one(store, *code_report(REUTERS_UPDATED, DAY, "Reuters", url))
    assert result.status == "new version"
    with store() as s:
        [now] = list_events(s)
        history = event_history(s, now.event.event_id)
        reports = event_reports(s, now.event.event_id)
    assert now.event.event_id == event.event.event_id  # the id is stable
    assert [h.action for h in history] == ["create", "merge", "supersede", "merge"]
    assert now.revision == 4
    assert [r.status for r in reports] == ["active", "superseded", "active"]
    values = {c.value.low for c in now.event.claims if c.figure == "killed"}
    assert 7 in values and 5 not in values
    assert any(c.value.low == 5 for c in history[1].event.claims)  # the old figure stays in the history


def test_a_wrong_merge_can_be_split(store, code_report) -> None:  # type: ignore[no-untyped-def]
    event = _merged(store, code_report)
    eid = event.event.event_id
    reuters_article = event.articles[1]
    with store.begin() as s:
        new = split_event(s, eid, [reuters_article])
    with store() as s:
        events = {x.event.event_id: x for x in list_events(s)}
        old_history = event_history(s, eid)
        new_history = event_history(s, new.event.event_id)
    assert set(events) == {eid, new.event.event_id}
    assert events[eid].outlets == ["Dawn"] and events[new.event.event_id].outlets == ["Reuters"]
    assert old_history[-1].action == "split" and new_history[0].action == "split"
    assert all(c.evidence.article_id == reuters_article for c in new.event.claims)
    with store.begin() as s, pytest.raises(StoreError, match="at least one report"):
        split_event(s, eid, [event.articles[0]])
    with store.begin() as s, pytest.raises(StoreError, match="no such event"):
        split_event(s, "nope", ["x"])
    with store.begin() as s, pytest.raises(StoreError, match="no active report"):
        split_event(s, eid, ["0000"])


def test_an_event_left_without_reports_is_withdrawn_not_deleted(store, code_report) -> None:  # type: ignore[no-untyped-def]
    url = "https://news.example/dawn/quetta"
    save_one(store, *code_report(OTHER, DAY, "Dawn", url))
    with store() as s:
        [first] = list_events(s)
    quiet = "QUETTA: The provincial assembly met on Tuesday to discuss the budget."
    assert save_one(store, *code_report(quiet, DAY, "Dawn", url)).status == "new version"
    with store() as s:
        assert list_events(s) == []
        gone = get_event(s, first.event.event_id)
        assert gone is not None and gone.status == "withdrawn"
        assert event_history(s, first.event.event_id)[-1].action == "withdraw"
