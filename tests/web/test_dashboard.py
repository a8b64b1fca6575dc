"""The dashboard in a real browser (Debian's chromium via Playwright), as a person would use it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import SHARED
from tests.store.reports import OTHER
from tests.web.conftest import RETELLING, XSS_TITLE, ZEHRI_PUBLISHED, screenshot, serve_store

pytestmark = pytest.mark.browser


def _loaded(page: Any) -> None:
    page.wait_for_selector("body[data-loaded=true]", timeout=30_000)


def _count(base: str, **params: str) -> int:
    return httpx.get(f"{base}/stats", params=params).json()["total"]


def test_map_markers_and_filter_by_type(dashboard: str, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(dashboard + "/")
    _loaded(page)
    total = _count(dashboard)
    assert page.locator("#summary").inner_text().startswith(f"{total} events")
    assert page.locator(".leaflet-overlay-pane path").count() > 100  # the offline basemap's outlines
    assert page.locator(".ev-marker, .marker-cluster").count() > 0
    assert page.locator("#timeline rect").count() > 0
    screenshot(page, "dashboard-map")

    wanted = "Violence against civilians"
    page.select_option("select[name=event_type]", wanted)
    page.click("button[type=submit]")
    expected = _count(dashboard, event_type=wanted)
    assert 0 < expected < total
    page.locator("#summary", has_text=f"{expected} events (").wait_for()
    assert "event_type=Violence+against+civilians" in page.url
    assert page.locator("#events tbody tr").count() == expected
    assert page.locator("#events tbody .t2").count() == expected  # every row of the chosen type
    assert page.locator(".ev-marker:not(.t2)").count() == 0
    screenshot(page, "dashboard-filtered")

    shared = open_page(page.url)  # the filtered view, shared by its URL
    _loaded(shared)
    assert shared.locator("select[name=event_type]").input_value() == wanted
    assert shared.locator("#events tbody tr").count() == expected


def _zehri_takeover(base: str) -> dict[str, Any]:
    events = httpx.get(f"{base}/events", params={"disputed": "true"}).json()["events"]
    found = [e for e in events if e["event"]["location"] == "Zehri"]
    assert len(found) == 1, [e["event"]["location"] for e in events]
    return found[0]["event"]


def _check_zehri_page(base: str, open_page, name: str) -> Any:  # type: ignore[no-untyped-def]
    event = _zehri_takeover(base)
    page = open_page(f"{base}/event/{event['event_id']}")
    _loaded(page)
    assert "Zehri" in page.locator("h2").first.inner_text()
    marks = page.locator(".article-text mark")
    assert marks.count() >= 5
    # each field with evidence links to a highlighted span that exists
    for link in page.locator("a.evlink").all():
        target = link.get_attribute("href")
        assert page.locator(f"[id='{target[1:]}']").count() == 1, target
    rifles = page.locator("tr.disputed", has_text="weapons seized")
    values = {r.locator("td.num").inner_text() for r in rifles.all()}
    assert {"23", "20"} <= values, values
    assert rifles.first.locator(".badge.disputed").count() == 1
    disputes = page.locator("ul.disputes").inner_text()
    assert "23" in disputes and "20" in disputes
    # the claim's evidence link lands on the highlighted sentence
    link = rifles.filter(has_text="23").first.locator("a")
    target = link.get_attribute("href")[1:]
    link.click()
    highlighted = page.locator(f"[id='{target}']")
    assert "23" in (highlighted.text_content() or "") or "23" in highlighted.locator("xpath=..").inner_text()
    assert page.locator("#history tbody tr").count() >= 1
    screenshot(page, name)
    return page


def test_zehri_retelling_evidence_and_rifles_dispute(dashboard: str, open_page) -> None:  # type: ignore[no-untyped-def]
    _check_zehri_page(dashboard, open_page, "event-zehri-retelling")


def test_founding_article_evidence_and_rifles_dispute(  # type: ignore[no-untyped-def]
    tmp_path, coder, open_page
) -> None:
    sample = SHARED / "samples" / "zehri-takeover.txt"
    if not sample.is_file():
        pytest.skip(f"{sample} is not available (../shared is not beside this checkout)")
    article = {
        "text": sample.read_text(encoding="utf-8"),
        "title": "Zehri takeover",
        "outlet": "sample",
        "published": ZEHRI_PUBLISHED,
    }
    base, stop = serve_store(tmp_path, coder, [article])
    try:
        _check_zehri_page(base, open_page, "event-zehri-founding")
    finally:
        stop()


def test_paste_an_article_and_see_its_events(dashboard: str, open_page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(dashboard + "/paste")
    upload = tmp_path / "report.txt"
    upload.write_text(OTHER, encoding="utf-8")
    page.set_input_files("input[name=file]", str(upload))  # an uploaded file fills the text box
    for _ in range(50):  # the file is read asynchronously
        if page.input_value("textarea[name=text]"):
            break
        page.wait_for_timeout(100)
    assert page.input_value("textarea[name=text]") == OTHER
    page.fill("input[name=published]", "2025-03-12")
    page.click("button[type=submit]")
    page.wait_for_selector(".event-card")
    card = page.locator(".event-card").first
    assert "Attack" in card.locator("h3").inner_text() and "Quetta" in card.locator("h3").inner_text()
    assert "2025-03-11" in card.locator("table.fields").inner_text()
    assert card.locator("mark").count() > 0
    screenshot(page, "paste-other")

    page.fill("textarea[name=text]", RETELLING.read_text(encoding="utf-8"))
    page.fill("input[name=published]", ZEHRI_PUBLISHED)
    page.click("button[type=submit]")
    page.locator(".event-card").nth(1).wait_for()
    assert page.locator(".event-card h3", has_text="Zehri").count() >= 1
    assert page.locator("tr.disputed").count() > 0
    screenshot(page, "paste-retelling")


def _no_script_ran(page: Any) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img").count() == 0
    assert page.locator("main script, main b, main i").count() == 0


def test_script_in_text_title_outlet_and_url_is_shown_not_run(dashboard: str, open_page) -> None:  # type: ignore[no-untyped-def]
    found = httpx.get(f"{dashboard}/events", params={"claimant": "police"}).json()["events"]
    xss = [e for e in found if any("<i>" in o for o in e["outlets"])]
    assert xss, "the article with script payloads was stored and coded"
    page = open_page(f"{dashboard}/event/{xss[0]['event']['event_id']}")
    _loaded(page)
    _no_script_ran(page)
    sources = page.locator("#sources").inner_text()
    assert XSS_TITLE in sources  # shown as text
    assert "<script>window.__xss=3</script>" in sources and "<b onmouseover=window.__xss=5>" in sources
    assert "javascript:window.__xss=6" in sources
    assert page.locator("#sources a[href^='javascript']").count() == 0
    screenshot(page, "event-xss")

    index = open_page(dashboard + "/")
    _loaded(index)
    _no_script_ran(index)
    assert "<i>Outlet</i>" in index.locator("#events").inner_text()

    paste = open_page(dashboard + "/paste")
    paste.fill("textarea[name=text]", XSS_TITLE + " " + OTHER)
    paste.fill("input[name=title]", XSS_TITLE)
    paste.click("button[type=submit]")
    paste.wait_for_selector(".event-card")
    _no_script_ran(paste)
    assert XSS_TITLE in paste.locator("#result h2").inner_text()
