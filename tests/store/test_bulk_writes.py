"""The store's fast write path on SQLite and PostgreSQL: rows written together at the end of a save
(pipelined on PostgreSQL), the per-run event memo, reserved keys, and the connection an ingest run holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from conflictcoder.model import Event
from conflictcoder.pipeline import Coder
from conflictcoder.store import (
    RunState,
    SaveResult,
    counts,
    event_history,
    ingest_articles,
    list_events,
    make_engine,
    open_store,
    save_one,
    split_event,
    upgrade,
)
from conflictcoder.store import ingest as ingest_module
from conflictcoder.store import repo as repo_module
from conflictcoder.store import writer as writer_module
from conflictcoder.store.db import current_revision, head_revision
from conflictcoder.store.memo import EventMemo, Known
from tests.store.reports import DAWN, DAY, OTHER, REUTERS

AP = (
    "QUETTA, Pakistan (AP) - Militants ambushed a Frontier Corps convoy near Hoshab in Kech district on "
    "Tuesday, killing six soldiers, officials said."
)


def test_an_interruption_while_writing_leaves_nothing_and_a_rerun_completes(  # type: ignore[no-untyped-def]
    store, coder: Coder, code_report, monkeypatch
) -> None:
    dawn, dawn_coded = code_report(DAWN, DAY, "Dawn")
    reuters, _ = code_report(REUTERS, DAY, "Reuters")
    real = writer_module._resolved
    calls = {"revisions": 0}

    def dying(values, *keys):  # type: ignore[no-untyped-def]
        if "action" in values:  # a revision row, the last of a save: its article, event, mention are sent
            calls["revisions"] += 1
            if calls["revisions"] == 2:
                raise KeyboardInterrupt
        return real(values, *keys)

    monkeypatch.setattr(writer_module, "_resolved", dying)
    with pytest.raises(KeyboardInterrupt):
        ingest_articles(store, coder, [dawn, reuters])
    with store() as s:
        claims = len(dawn_coded.events[0].claims)
        assert counts(s) == {"articles": 1, "mentions": 1, "claims": claims, "events": 1, "revisions": 1}
    monkeypatch.setattr(writer_module, "_resolved", real)
    summary = ingest_articles(store, coder, [dawn, reuters])
    assert (summary.new, summary.unchanged) == (1, 1)
    with store() as s:
        [event] = list_events(s)
        assert len(event.articles) == 2 and event.revision == 2


def test_a_split_during_a_run_is_not_undone_by_the_runs_memo(store, coder: Coder, code_report) -> None:  # type: ignore[no-untyped-def]
    dawn, _ = code_report(DAWN, DAY, "Dawn")
    reuters, _ = code_report(REUTERS, DAY, "Reuters")
    ap, _ = code_report(AP, DAY, "AP")

    def split_after_reuters(result) -> None:  # type: ignore[no-untyped-def]
        if getattr(result, "article_id", None) == reuters.article_id:
            with store.begin() as s:
                [event] = list_events(s)
                split_event(s, event.event.event_id, [dawn.article_id])

    # the run's memo knows the event as [dawn, reuters]; after the split it is [reuters]
    ingest_articles(store, coder, [dawn, reuters, ap], split_after_reuters)
    with store() as s:
        events = list_events(s)
    assert sorted(len(e.articles) for e in events) == [1, 2]
    assert not any({dawn.article_id, reuters.article_id} <= set(e.articles) for e in events)
    for e in events:  # each event is made of its own reports only
        assert {c.evidence.article_id for c in e.event.claims} <= set(e.articles)
    assert ap.article_id in next(e for e in events if reuters.article_id in e.articles).articles


def test_a_copy_stored_meanwhile_by_another_writer_counts_as_unchanged(  # type: ignore[no-untyped-def]
    store, code_report, monkeypatch
) -> None:
    article, coded = code_report(DAWN, DAY, "Dawn")
    assert save_one(store, article, coded).status == "new"
    with store() as s:
        before = counts(s)
    real = repo_module._prefetch

    def blind(conn, article, reports):  # type: ignore[no-untyped-def]
        _known, previous, candidates = real(conn, article, reports)
        return False, previous, candidates  # as if the other writer committed after our read

    monkeypatch.setattr(repo_module, "_prefetch", blind)
    assert save_one(store, article, coded).status == "unchanged"  # the unique article id caught it
    with store() as s:
        assert counts(s) == before


def test_a_write_error_the_commit_reports_is_rolled_back(store, code_report, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    article, coded = code_report(DAWN, DAY, "Dawn")
    save_one(store, article, coded)

    def duplicate(session, article, coded, run):  # type: ignore[no-untyped-def]
        row = {"pk": 10**6, "article_id": article.article_id, "language": "en", "text": "x", "version": 1}
        session.connection().execute(writer_module.INSERT_ARTICLE, {**row, "ingested_at": datetime.now(UTC)})
        return SaveResult(article.article_id, "new")  # on PostgreSQL the violation comes with the COMMIT

    monkeypatch.setattr(ingest_module, "save_coded_article", duplicate)
    assert save_one(store, article, coded).status == "unchanged"
    with store() as s:
        assert counts(s)["articles"] == 1


def test_a_store_made_at_revision_0001_upgrades_and_keeps_its_events(store_url: str, code_report) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(store_url)
    upgrade(engine, "0001")
    engine.dispose()
    engine, make_session = open_store(store_url)  # migrates to the newest revision
    save_one(make_session, *code_report(DAWN, DAY, "Dawn"))
    upgrade(engine, "0001")  # and back: the old index again
    upgrade(engine, "head")
    with make_session() as s:
        assert counts(s)["events"] == 1
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_run_in_several_calls_stores_what_one_call_does(store, coder: Coder, code_report) -> None:  # type: ignore[no-untyped-def]
    pairs = [code_report(t, DAY, o) for t, o in ((DAWN, "Dawn"), (OTHER, "Dawn"), (REUTERS, "Reuters"))]
    articles = [a for a, _ in pairs]
    claims = sum(len(e.claims) for _, c in pairs for e in c.events)
    with store() as s:
        run = RunState.for_bind(s.get_bind())
    for article in articles:
        ingest_articles(store, coder, [article], run=run)
    with store() as s:
        events = list_events(s)
        assert counts(s) == {"articles": 3, "mentions": 3, "claims": claims, "events": 2, "revisions": 3}
    merged = next(e for e in events if len(e.articles) == 2)
    with store() as s:
        assert [h.action for h in event_history(s, merged.event.event_id)] == ["create", "merge"]


def test_the_runs_connection_goes_back_to_the_pool_as_it_came(store, coder: Coder, code_report) -> None:  # type: ignore[no-untyped-def]
    article, _ = code_report(DAWN, DAY, "Dawn")
    ingest_articles(store, coder, [article])
    with store() as s:
        conn = s.connection()
        if conn.dialect.name != "postgresql":
            return
        driver = conn.connection.driver_connection
        assert driver is not None
        assert not driver.autocommit and driver.pgconn.pipeline_status == 0
        assert conn.execute(text("SHOW synchronous_commit")).scalar() == "off"
        assert conn.execute(text("SHOW transaction_isolation")).scalar() == "read committed"


def test_postgresql_keys_are_reserved_ahead_and_used_in_order(store, coder: Coder, code_report) -> None:  # type: ignore[no-untyped-def]
    with store() as s:
        if s.get_bind().dialect.name != "postgresql":
            pytest.skip("keys are reserved on PostgreSQL only")
        run = RunState.for_bind(s.get_bind())
    assert run.keys is not None
    for text_, outlet in ((DAWN, "Dawn"), (OTHER, "Dawn")):
        ingest_articles(store, coder, [code_report(text_, DAY, outlet)[0]], run=run)
    with store() as s:
        assert sorted(e.number for e in list_events(s)) == [1, 2]


def _event(event_id: str) -> Event:
    return Event(
        event_id=event_id,
        event_date=date(2025, 3, 12),
        disorder_type="Political violence",
        event_type="Battles",
        sub_event_type="Armed clash",
    )


def test_the_memo_keeps_only_committed_revisions_and_the_most_recent_events() -> None:
    memo = EventMemo(size=2)
    a, b, c = (Known(_event(x), {"event_id": x}) for x in "abc")
    memo.stage(1, 1, a)
    assert memo.get(1, 1) is a  # the saving transaction sees what it staged
    memo.discard()
    assert memo.get(1, 1) is None  # rolled back: forgotten
    memo.stage(1, 1, a)
    memo.commit()
    assert memo.get(1, 1) is a and memo.get(1, 2) is None  # another revision is another state
    memo.stage(1, 2, b)
    memo.commit()
    assert memo.get(1, 1) is None and memo.get(1, 2) is b  # the newer revision replaced the older
    memo.stage(2, 1, a)
    memo.commit()
    memo.get(1, 2)  # event 1 used most recently
    memo.stage(3, 1, c)
    memo.commit()
    assert len(memo) == 2 and memo.get(2, 1) is None and memo.get(1, 2) is b and memo.get(3, 1) is c
