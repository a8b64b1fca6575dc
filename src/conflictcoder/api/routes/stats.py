"""GET /stats (counts for the timeline and the admin1 table) and GET /health."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from conflictcoder.api.deps import SessionDep
from conflictcoder.api.errors import ERROR_RESPONSES
from conflictcoder.api.routes.events import Filters
from conflictcoder.api.schemas import Admin1Count, DayCount, Health, StatsOut
from conflictcoder.store.db import current_revision
from conflictcoder.store.queries import event_stats

router = APIRouter(tags=["stats"], responses=ERROR_RESPONSES)


@router.get("/stats", response_model=StatsOut, summary="Event counts per day × event type, and per admin1")
def stats(session: SessionDep, filters: Filters) -> StatsOut:
    found = event_stats(session, filters)
    return StatsOut(
        total=found.total,
        per_day=[DayCount(date=d, event_type=t, count=n) for d, t, n in found.per_day],
        per_admin1=[Admin1Count(country=c, admin1=a, count=n) for c, a, n in found.per_admin1],
    )


@router.get("/health", response_model=Health, summary="The server is up and its store answers")
def health(session: SessionDep) -> Health:
    session.execute(text("SELECT 1"))
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    return Health(status="ok", database=bind.dialect.name, schema_revision=current_revision(engine))
