"""Plain text: the whole input is the article text."""

from __future__ import annotations

from conflictcoder.ingest.common import BOM, ArticleDefaults, make_article
from conflictcoder.model import Article


def read_text(source: str, text: str, defaults: ArticleDefaults) -> Article:
    """Turn plain text (a .txt file or stdin) into an Article; raises IngestError for empty text."""
    return make_article(source, text.removeprefix(BOM), defaults)
