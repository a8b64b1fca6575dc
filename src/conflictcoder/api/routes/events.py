"""GET /events (a filtered page), /events.geojson, /events.csv and /events/{event_id}."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from conflictcoder.api.deps import SessionDep
from conflictcoder.api.errors import ERROR_RESPONSES, ApiError
from conflictcoder.api.schemas import EventDetail, EventPageOut, RevisionOut, SourceOut
from conflictcoder.export import geojson, write_acled_csv
from conflictcoder.store import StoredEvent, event_history, event_reports, get_event
from conflictcoder.store.queries import EventQuery, SortKey, articles_by_id, page_events

router = APIRouter(tags=["events"], responses=ERROR_RESPONSES)

Text = Annotated[str | None, Query(max_length=256)]
#: Most events one GeoJSON or CSV response holds (the map's whole view); pages of /events hold 500.
MAX_EXPORT = 20_000


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    try:
        nums = tuple(float(p) for p in parts)
    except ValueError:
        nums = ()
    if len(nums) != 4 or any(n != n or abs(n) == float("inf") for n in nums):
        raise ApiError(422, "invalid_request", "bbox: expected four numbers min_lon,min_lat,max_lon,max_lat")
    min_lon, min_lat, max_lon, max_lat = nums
    if not (-90 <= min_lat <= max_lat <= 90 and -180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise ApiError(
            422, "invalid_request", "bbox: latitudes in -90..90 (min ≤ max), longitudes in -180..180"
        )
    return min_lon, min_lat, max_lon, max_lat


def event_filters(
    date_from: Annotated[date | None, Query(description="First event date.")] = None,
    date_to: Annotated[date | None, Query(description="Last event date.")] = None,
    country: Annotated[str | None, Query(max_length=256, description="Country name or ISO3 code.")] = None,
    admin1: Text = None,
    admin2: Text = None,
    event_type: Annotated[str | None, Query(max_length=64, description="ACLED event type.")] = None,
    sub_event_type: Annotated[str | None, Query(max_length=64, description="ACLED sub-event type.")] = None,
    actor: Annotated[str | None, Query(max_length=256, description="Part of actor1 or actor2.")] = None,
    claimant: Annotated[str | None, Query(max_length=256, description="Part of a claimant's name.")] = None,
    disputed: Annotated[bool, Query(description="Only events where sources disagree on a figure.")] = False,
    bbox: Annotated[
        str | None, Query(max_length=128, description="min_lon,min_lat,max_lon,max_lat (WGS84).")
    ] = None,
    sort: Annotated[SortKey, Query(description="Order; '-' for descending. NULLs come last.")] = "-date",
) -> EventQuery:
    texts = {
        "country": country,
        "admin1": admin1,
        "admin2": admin2,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor": actor,
        "claimant": claimant,
        "bbox": bbox,
    }
    for name, value in texts.items():
        if value is not None and "\x00" in value:
            raise ApiError(422, "invalid_request", f"query.{name}: contains a NUL character")
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, "invalid_request", "date_from is after date_to")
    return EventQuery(
        date_from=date_from,
        date_to=date_to,
        country=country,
        admin1=admin1,
        admin2=admin2,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor=actor,
        claimant=claimant,
        disputed=disputed,
        bbox=_bbox(bbox),
        sort=sort,
    )


Filters = Annotated[EventQuery, Depends(event_filters)]


@router.get("/events", response_model=EventPageOut, summary="A page of events matching the filters")
def list_events(
    session: SessionDep,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next_cursor` of the last page.")
    ] = None,
) -> EventPageOut:
    page = page_events(session, replace(filters, limit=limit, cursor=cursor))
    return EventPageOut(events=page.events, next_cursor=page.next_cursor)


def _all(session: Session, filters: EventQuery, limit: int) -> list[StoredEvent]:
    return page_events(session, replace(filters, limit=limit)).events


@router.get(
    "/events.geojson",
    summary="Events matching the filters as a GeoJSON FeatureCollection",
    response_class=JSONResponse,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def events_geojson(
    session: SessionDep, filters: Filters, limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = MAX_EXPORT
) -> JSONResponse:
    return JSONResponse(geojson(_all(session, filters, limit)), media_type="application/geo+json")


@router.get(
    "/events.csv",
    summary="Events matching the filters in ACLED's CSV columns",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def events_csv(
    session: SessionDep, filters: Filters, limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = MAX_EXPORT
) -> Response:
    out = io.StringIO()
    write_acled_csv(_all(session, filters, limit), out)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="events.csv"'},
    )


@router.get(
    "/events/{event_id}",
    response_model=EventDetail,
    summary="One event with its claims, disputes, evidence, sources and revision history",
)
def read_event(event_id: str, session: SessionDep) -> EventDetail:
    stored = get_event(session, event_id) if len(event_id) <= 64 and "\x00" not in event_id else None
    if stored is None:
        raise ApiError(404, "not_found", f"no event with id {event_id[:64]!r}")
    reports = event_reports(session, event_id)
    history = event_history(session, event_id)
    article_ids = list(dict.fromkeys([*stored.articles, *(r.article_id for r in reports)]))
    sources = [SourceOut(**a.__dict__) for a in articles_by_id(session, article_ids)]
    return EventDetail(
        **stored.model_dump(),
        reports=reports,
        sources=sources,
        history=[RevisionOut(**h.model_dump(exclude={"event"})) for h in history],
    )
