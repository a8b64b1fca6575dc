"""What every reader shares: command-line defaults, decoding, and building the Article."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from conflictcoder.errors import IngestError
from conflictcoder.language import detect_language
from conflictcoder.model import Article, article_id_for, normalize_text

BOM = "\ufeff"


class ArticleDefaults(BaseModel, frozen=True):
    """Metadata given on the command line; it fills only what an input does not state itself."""

    published: date | None = None
    url: str | None = None
    outlet: str | None = None


def decode_utf8(source: str, data: bytes) -> str:
    """Decode a file's bytes as UTF-8 (a leading BOM is dropped), or raise IngestError.

    An empty file, a file with NUL bytes and a file that is not valid UTF-8 are errors.
    """
    if not data:
        raise IngestError(source, "empty file")
    if b"\x00" in data:
        raise IngestError(source, "binary or non-UTF-8 file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(source, "binary or non-UTF-8 file") from err


def make_article(
    source: str,
    text: str,
    defaults: ArticleDefaults,
    *,
    record_id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: date | None = None,
    line: int | None = None,
) -> Article:
    """Build an Article: values the input states win, `defaults` fill the gaps; text is normalized.

    Raises IngestError ("empty text") when the text is only whitespace.
    """
    text = normalize_text(text)
    if not text.strip():
        raise IngestError(source, "empty text", line=line)
    return Article(
        article_id=article_id_for(text),
        id=record_id,
        url=url if url is not None else defaults.url,
        outlet=outlet if outlet is not None else defaults.outlet,
        title=title,
        published=published if published is not None else defaults.published,
        language=detect_language(text),
        text=text,
        source_path=source,
    )
