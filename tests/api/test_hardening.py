"""Hard to break: tokens, body limits, injection strings in every filter, CORS, headers, a real uvicorn
server on loopback, and property-based requests built from the OpenAPI schema (no 5xx, one error shape)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import quote

import httpx
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictcoder.api import ApiSettings
from tests.api.conftest import AUTH, SEED, TOKEN, assert_error
from tests.api.live import live_server

INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    "1) UNION SELECT pk, event_id FROM events --",
    "%' OR 1=1 --",
    "\\'; SELECT pg_sleep(5); --",
    "Balochistan' --",
    "\x00",
]
FILTERS = [
    "country",
    "admin1",
    "admin2",
    "event_type",
    "sub_event_type",
    "actor",
    "claimant",
    "cursor",
    "bbox",
    "date_from",
    "date_to",
    "sort",
    "disputed",
    "limit",
]


def test_writes_need_the_token(make_client: Callable[..., TestClient]) -> None:
    open_server = make_client(ApiSettings())  # no token configured: writes refused for everyone
    err = assert_error(open_server.post("/articles", json=SEED[0]), 403)
    assert err["code"] == "writes_disabled"
    assert_error(open_server.post("/articles", json=SEED[0], headers=AUTH), 403)
    client = make_client(ApiSettings(api_token=TOKEN))
    missing = client.post("/articles", json=SEED[0])
    assert_error(missing, 401)
    assert missing.headers["www-authenticate"] == "Bearer"
    assert_error(client.post("/articles", json=SEED[0], headers={"Authorization": "Bearer wrong"}), 401)
    assert_error(client.post("/articles", json=SEED[0], headers={"Authorization": f"Basic {TOKEN}"}), 401)
    assert_error(client.post("/articles", json=SEED[0], headers={"Authorization": f"Bearer {TOKEN}x"}), 401)
    assert client.get("/events").json()["events"] == []  # nothing was written
    assert client.post("/articles", json=SEED[0], headers=AUTH).status_code == 201
    assert open_server.post("/code", json=SEED[0]).status_code == 200  # coding stores nothing: open


def test_oversized_bodies_are_refused_before_reading(make_client: Callable[..., TestClient]) -> None:
    client = make_client(ApiSettings(api_token=TOKEN, api_max_body_bytes=1000))
    big = {"text": "x " * 1000}
    err = assert_error(client.post("/code", json=big), 413)
    assert err["code"] == "body_too_large"
    assert_error(client.post("/articles", json=big, headers=AUTH), 413)

    received: list[int] = []

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit applies while reading
        yield b'{"text": "'
        for _ in range(100):
            received.append(1)
            yield b"y" * 100
        yield b'"}'

    assert_error(client.post("/code", content=chunks(), headers={"Content-Type": "application/json"}), 413)
    assert client.post("/code", json={"text": SEED[2]["text"]}).status_code == 200  # small ones pass


def test_injection_strings_in_every_filter(seeded: TestClient) -> None:
    before = seeded.get("/stats").json()["total"]
    for name in FILTERS:
        for value in INJECTIONS:
            for path in ("/events", "/events.geojson", "/events.csv", "/stats"):
                response = seeded.get(path, params={name: value})
                assert response.status_code < 500, (path, name, value, response.text)
                if response.status_code >= 400:
                    assert_error(response, response.status_code)
                elif path == "/events" and name not in ("disputed", "sort", "limit"):
                    assert response.json()["events"] == [], (name, value)  # matched as a plain value
    for value in INJECTIONS:
        assert_error(seeded.get(f"/events/{quote(value, safe='')}"), 404)
        assert_error(seeded.get(f"/articles/{quote(value, safe='')}"), 404)
        stored = seeded.post(
            "/articles", json={"text": value, "title": value}, params={"outlet": value}, headers=AUTH
        )
        if "\x00" in value:
            assert_error(stored, 422)  # PostgreSQL text cannot hold NUL: refused for every store alike
        else:
            assert stored.status_code == 201 and stored.json()["articles"][0]["events"] == []
    assert seeded.get("/stats").json()["total"] == before  # nothing dropped or changed


def test_cors_is_off_unless_configured(make_client: Callable[..., TestClient]) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    client = make_client()
    assert "access-control-allow-origin" not in client.get("/events", headers=origin).headers
    preflight = client.options("/articles", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code >= 400
    allowed = make_client(ApiSettings(api_cors_origins="https://elsewhere.example"))
    got = allowed.get("/events", headers=origin).headers
    assert got["access-control-allow-origin"] == "https://elsewhere.example"
    other = allowed.get("/events", headers={"Origin": "https://evil.example"}).headers
    assert "access-control-allow-origin" not in other


def test_security_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").json()["paths"]["/events"]


def test_real_uvicorn_on_loopback(make_session, coder) -> None:  # type: ignore[no-untyped-def]
    from conflictcoder.api import create_app

    app = create_app(make_session, ApiSettings(api_token=TOKEN), coder=coder)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        assert http.get("/health").json()["status"] == "ok"
        stored = http.post("/articles", json=SEED, headers=AUTH)
        assert stored.status_code == 201
        assert len(http.get("/events").json()["events"]) == 2
        assert_error(http.post("/articles", json=SEED, headers={"Authorization": "Bearer no"}), 401)
        assert_error(
            http.post("/code", content=b"x" * 3_000_000, headers={"Content-Type": "application/json"}), 413
        )
        assert http.get("/").status_code == 200


# --- property-based: requests built from the OpenAPI schema ------------------------------------------

_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from([*INJECTIONS, "Battles", "PAK", "2025-03-11", "-date", "true", "0,0,1,1", "-1", "1e309"]),
)


def _value(schema: dict) -> st.SearchStrategy:  # type: ignore[type-arg]
    options = schema.get("anyOf", [schema])
    kinds = {o.get("type") for o in options}
    strategies: list[st.SearchStrategy] = [_text]  # type: ignore[type-arg]
    if "integer" in kinds:
        strategies.append(st.integers(-10, 1000).map(str))
    if "boolean" in kinds:
        strategies.append(st.sampled_from(["true", "false", "1", "yes", "maybe"]))
    for o in options:
        if "enum" in o:
            strategies.append(st.sampled_from(o["enum"]))
        if o.get("format") == "date":
            strategies.append(st.dates().map(str))
    return st.one_of(strategies)


def _get_requests(client: TestClient) -> st.SearchStrategy:  # type: ignore[type-arg]
    spec = client.get("/openapi.json").json()
    operations = []
    for path, ops in spec["paths"].items():
        if "get" not in ops:
            continue
        params = [p for p in ops["get"].get("parameters", []) if p["in"] in ("query", "path")]
        operations.append((path, params))

    @st.composite
    def build(draw):  # type: ignore[no-untyped-def]
        path, params = draw(st.sampled_from(operations))
        query = {}
        for p in params:
            value = draw(_value(p.get("schema", {})))
            if p["in"] == "path":
                path = path.replace("{" + p["name"] + "}", quote(value, safe="") or "x")
            elif draw(st.booleans()):
                query[p["name"]] = value
        return path, query

    return build()


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["text", "id", "title", "url", "outlet", "published", "other"]), inner, max_size=4
        )
    ),
    max_leaves=8,
)


def test_schema_driven_requests_never_5xx(seeded: TestClient) -> None:
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_get_requests(seeded))
    def reads(request: tuple[str, dict[str, str]]) -> None:
        path, query = request
        response = seeded.get(path, params=query)
        assert response.status_code < 500, (path, query, response.text)
        if response.status_code >= 400:
            assert_error(response, response.status_code)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_json, st.sampled_from(["/code", "/articles"]))
    def writes(body: object, path: str) -> None:
        response = seeded.post(path, json=body, headers=AUTH)
        assert response.status_code < 500, (path, body, response.text)
        if response.status_code >= 400:
            assert_error(response, response.status_code)

    reads()
    writes()
