"""The JSON API through the test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conflictcoder.cli import app as cli_app
from conflictcoder.export import ACLED_COLUMNS
from tests.api.conftest import AUTH, SEED, assert_error
from tests.store.reports import DAWN, OTHER


def _events(client: TestClient, **params: object) -> list[dict]:  # type: ignore[type-arg]
    response = client.get("/events", params=params)
    assert response.status_code == 200, response.text
    return [e["event"] for e in response.json()["events"]]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # nothing is stored: one store is enough
def test_code_returns_what_the_cli_prints(client: TestClient, runner: CliRunner, tmp_path: Path) -> None:
    one = SEED[0]
    (tmp_path / "one.json").write_text(json.dumps(one), encoding="utf-8")
    (tmp_path / "two.jsonl").write_text("".join(json.dumps(a) + "\n" for a in SEED[1:]), encoding="utf-8")
    for body, path in ((one, "one.json"), (SEED[1:], "two.jsonl")):
        cli = runner.invoke(cli_app, ["code", str(tmp_path / path), "--format", "json"])
        assert cli.exit_code == 0, cli.output
        expected = json.loads(cli.stdout)
        # the only difference: the CLI names the file it read, a request body has none
        for item in expected if isinstance(expected, list) else [expected]:
            assert item["article"].pop("source_path").endswith(path)
            item["article"]["source_path"] = None
        response = client.post("/code", json=body)
        assert response.status_code == 200, response.text
        assert response.json() == expected
    assert _events(client) == []  # /code stores nothing


def test_code_defaults_fill_only_what_the_article_lacks(client: TestClient) -> None:
    body = {"text": OTHER, "outlet": "Own Outlet"}
    got = client.post("/code", json=body, params={"published": "2025-03-12", "outlet": "Default"}).json()
    assert got["article"]["published"] == "2025-03-12"
    assert got["article"]["outlet"] == "Own Outlet"
    assert got["events"] and got["events"][0]["event_date"] == "2025-03-11"


def test_store_articles_is_idempotent_and_merges(client: TestClient) -> None:
    first = client.post("/articles", json=SEED, headers=AUTH)
    assert first.status_code == 201, first.text
    stored = first.json()["articles"]
    assert [a["status"] for a in stored] == ["new", "new", "new"]
    dawn_events = [e["event"]["event_id"] for e in stored[0]["events"]]
    reuters_events = [e["event"]["event_id"] for e in stored[1]["events"]]
    assert dawn_events and set(dawn_events) & set(reuters_events)  # the ambush merged across outlets
    merged = next(e for e in stored[1]["events"] if e["event"]["event_id"] in dawn_events)
    assert set(merged["outlets"]) == {"Dawn", "Reuters"}
    again = client.post("/articles", json=SEED[0], headers=AUTH)
    assert again.status_code == 200
    assert again.json()["articles"][0]["status"] == "unchanged"
    assert [e["event"]["event_id"] for e in again.json()["articles"][0]["events"]] == dawn_events
    assert len(_events(client)) == 2


def test_filters(seeded: TestClient) -> None:
    everything = _events(seeded)
    assert len(everything) == 2
    battle = next(e for e in everything if e["event_type"] == "Battles")
    shooting = next(e for e in everything if e["event_type"] != "Battles")
    assert _events(seeded, event_type="battles") == [battle]
    assert _events(seeded, sub_event_type=shooting["sub_event_type"]) == [shooting]
    assert len(_events(seeded, country="PAK")) == 2
    assert _events(seeded, country="Nigeria") == []
    assert len(_events(seeded, admin1="balochistan")) == 2
    if battle["admin2"]:
        assert battle in _events(seeded, admin2=battle["admin2"])
    part = battle["actor1"][1:-1].upper()  # any part of the name, in any case
    assert battle in _events(seeded, actor=part)
    assert _events(seeded, claimant="Baloch Liberation Front") == [battle]
    assert _events(seeded, disputed=True) == [battle]  # ISPR's four against the BLF's nine
    assert _events(seeded, date_from="2025-03-12") == []
    assert len(_events(seeded, date_from="2025-03-11", date_to="2025-03-11")) == 2
    lon, lat = battle["longitude"], battle["latitude"]
    box = f"{lon - 0.5},{lat - 0.5},{lon + 0.5},{lat + 0.5}"
    assert battle in _events(seeded, bbox=box)
    assert _events(seeded, bbox="0,0,1,1") == []
    assert _events(seeded, actor="%") == []  # LIKE wildcards are literal


def test_cursor_walks_every_event_once_in_each_sort(seeded: TestClient) -> None:
    undated = {"text": OTHER.replace("Quetta", "Turbat")}  # no publication date: "Tuesday" stays unresolved
    assert seeded.post("/articles", json=undated, headers=AUTH).status_code == 201
    assert [e["event_date"] for e in _events(seeded, sort="date")][-1] is None  # NULLs last
    assert [e["event_date"] for e in _events(seeded, sort="-date")][-1] is None
    for sort in ("date", "-date", "fatalities", "-fatalities"):
        seen: list[str] = []
        cursor = None
        for _ in range(5):
            params = {"limit": 1, "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = seeded.get("/events", params=params).json()
            seen += [e["event"]["event_id"] for e in page["events"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(e["event_id"] for e in _events(seeded)), sort
    fat = [e["fatalities"]["best"] if e["fatalities"] else None for e in _events(seeded, sort="-fatalities")]
    numbers = [f for f in fat if f is not None]
    assert numbers == sorted(numbers, reverse=True)
    assert_error(seeded.get("/events", params={"cursor": "bm90LWEtY3Vyc29y"}), 400)
    first = seeded.get("/events", params={"limit": 1, "sort": "date"}).json()["next_cursor"]
    assert_error(seeded.get("/events", params={"cursor": first, "sort": "-date"}), 400)


def test_event_detail_has_claims_disputes_sources_evidence_history(seeded: TestClient) -> None:
    battle = _events(seeded, event_type="Battles")[0]
    detail = seeded.get(f"/events/{battle['event_id']}").json()
    event = detail["event"]
    assert {c["claimant"] for c in event["claims"]} >= {"Baloch Liberation Front"}
    assert event["disputes"] and event["disputes"][0]["figure"] == "killed"
    texts = {s["article_id"]: s["text"] for s in detail["sources"]}
    assert {s["outlet"] for s in detail["sources"]} == {"Dawn", "Reuters"}
    for claim in event["claims"]:
        ev = claim["evidence"]
        assert texts[ev["article_id"]][ev["start"] : ev["end"]] == ev["text"]
    for spans in event["evidence"].values():
        for ev in spans:
            assert texts[ev["article_id"]][ev["start"] : ev["end"]] == ev["text"]
    assert [h["action"] for h in detail["history"]] == ["create", "merge"]
    assert len(detail["reports"]) == 2
    assert_error(seeded.get("/events/does-not-exist"), 404)


def test_geojson_csv_and_stats(seeded: TestClient) -> None:
    geo = seeded.get("/events.geojson", params={"event_type": "Battles"})
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert len(features) == 1 and features[0]["geometry"]["type"] == "Point"
    assert features[0]["properties"]["event_type"] == "Battles"
    text = seeded.get("/events.csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == ACLED_COLUMNS and len(rows) == 2
    stats = seeded.get("/stats").json()
    assert stats["total"] == 2
    assert sum(d["count"] for d in stats["per_day"]) == 2
    assert {d["event_type"] for d in stats["per_day"]} == {e["event_type"] for e in _events(seeded)}
    assert stats["per_admin1"] == [{"country": "Pakistan", "admin1": "Balochistan", "count": 2}]
    assert seeded.get("/stats", params={"event_type": "Riots"}).json()["total"] == 0


def test_read_article_and_health(seeded: TestClient) -> None:
    stored = seeded.post("/articles", json=SEED[0], headers=AUTH).json()["articles"][0]
    article = seeded.get(f"/articles/{stored['article_id']}").json()
    assert article["text"] == DAWN and article["outlet"] == "Dawn"
    assert article["events"] == [e["event"]["event_id"] for e in stored["events"]]
    assert_error(seeded.get("/articles/0000"), 404)
    health = seeded.get("/health").json()
    assert health["status"] == "ok" and health["schema_revision"]


def test_bad_input_is_a_4xx_in_one_shape(client: TestClient) -> None:
    assert_error(client.get("/no/such/route"), 404)
    assert_error(client.put("/events"), 405)
    err = assert_error(client.get("/events", params={"limit": 0}), 422)
    assert err["details"][0]["location"] == "query.limit"
    assert_error(client.get("/events", params={"date_from": "yesterday"}), 422)
    assert_error(client.get("/events", params={"date_from": "2025-02-01", "date_to": "2025-01-01"}), 422)
    assert_error(client.get("/events", params={"bbox": "1,2,3"}), 422)
    assert_error(client.get("/events", params={"bbox": "0,95,1,96"}), 422)
    assert_error(client.get("/events", params={"sort": "name"}), 422)
    assert_error(client.post("/code", json={"title": "no text"}), 422)
    err = assert_error(client.post("/code", json=[{"text": "fine"}, {"text": "   "}]), 422)
    assert err["details"][0]["location"] == "body[1]"
    assert_error(client.post("/code", json=[]), 422)
    assert_error(client.post("/code", json={"text": "x", "published": "31/12/2024"}), 422)
    assert_error(
        client.post("/code", content=b"{not json", headers={"Content-Type": "application/json"}), 422
    )
    assert_error(client.post("/code", json=[{"text": "x"}] * 101), 422)
