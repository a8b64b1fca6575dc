"""RSS and Atom feeds: the items a feed lists, and each item's page read as an article.

Feeds are parsed with feedparser; pages are fetched over HTTP(S) and read with the project's HTML reader
(`ingest.html`, trafilatura), with the item's link as the article's url, the feed's title as outlet
and the item's date as the publication date when the page states none.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date

from conflictcoder.errors import IngestError
from conflictcoder.ingest.common import ArticleDefaults
from conflictcoder.ingest.html import read_html
from conflictcoder.model import Article

log = logging.getLogger(__name__)

TIMEOUT = 30.0
MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "conflictcoder (+https://pypi.org/project/conflictcoder/)"


class FetchError(IngestError):
    """A feed or page could not be fetched (down, refused, an HTTP error): worth trying again later."""


@dataclass(frozen=True)
class FeedItem:
    key: str  # the item's id, else its link: what marks it as seen
    link: str
    title: str | None
    published: date | None
    outlet: str | None


def fetch(url: str, timeout: float = TIMEOUT) -> str:
    """The body of `url` as text (decoded by its charset, else UTF-8); raises FetchError."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as err:
        raise FetchError(url, f"HTTP {err.code} {err.reason}") from err
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise FetchError(url, f"cannot fetch ({reason})") from err
    if len(body) > MAX_BYTES:
        raise IngestError(url, f"larger than {MAX_BYTES:,} bytes")
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def feed_items(url: str, content: str) -> list[FeedItem]:
    """The items of an RSS or Atom document, in feed order; raises IngestError when it is neither."""
    import feedparser

    parsed = feedparser.parse(content)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        problem = parsed.get("bozo_exception") or "no RSS or Atom items"
        raise IngestError(url, f"not a readable RSS or Atom feed ({problem})")
    outlet = (parsed.feed.get("title") or "").strip() or None
    items = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            log.warning("%s: an item without a link is skipped (%s)", url, entry.get("title", "untitled"))
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            FeedItem(
                key=(entry.get("id") or link).strip(),
                link=link,
                title=(entry.get("title") or "").strip() or None,
                published=date(*stamp[:3]) if stamp else None,
                outlet=outlet,
            )
        )
    return items


def read_item(item: FeedItem, defaults: ArticleDefaults) -> Article:
    """Fetch an item's page and read it as an article; raises FetchError or IngestError."""
    html = fetch(item.link)
    page_defaults = ArticleDefaults(
        published=item.published or defaults.published, url=item.link, outlet=item.outlet or defaults.outlet
    )
    article = read_html(item.link, html, page_defaults)
    if article.title is None and item.title:
        article = article.model_copy(update={"title": item.title})
    return article
