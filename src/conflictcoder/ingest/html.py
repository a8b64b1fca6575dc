"""HTML pages: main text, title and date via trafilatura."""

from __future__ import annotations

import logging
from datetime import date

import trafilatura

from conflictcoder.errors import IngestError
from conflictcoder.ingest.common import ArticleDefaults, make_article
from conflictcoder.model import Article

log = logging.getLogger(__name__)


def _page_date(value: str | None) -> date | None:
    """The page's date as a `date`, or None when absent or not YYYY-MM-DD."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        log.debug("ignoring unparseable page date %r", value)
        return None


def read_html(source: str, html: str, defaults: ArticleDefaults) -> Article:
    """Extract the main text of an HTML page into an Article.

    The page's own title and date win over `defaults`. Raises IngestError when the page is empty or
    trafilatura finds no main text.
    """
    if not html.strip():
        raise IngestError(source, "empty file")
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise IngestError(source, "no main text found in the HTML")
    title = (doc.title or "").strip() or None
    return make_article(source, text, defaults, title=title, published=_page_date(doc.date))
