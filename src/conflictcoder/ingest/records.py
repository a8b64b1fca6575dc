"""JSON records: one object per .json file, one object per line of a .jsonl file."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError, field_validator

from conflictcoder.errors import IngestError
from conflictcoder.ingest.common import BOM, ArticleDefaults, make_article
from conflictcoder.model import Article

log = logging.getLogger(__name__)


class _Record(BaseModel):
    """The fields of one input record; other keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    text: StrictStr
    id: StrictStr | StrictInt | None = None
    title: StrictStr | None = None
    url: StrictStr | None = None
    outlet: StrictStr | None = None
    published: date | None = None

    @field_validator("title", "url", "outlet", mode="after")
    @classmethod
    def _blank_is_missing(cls, value: str | None) -> str | None:
        """An empty string states nothing, so the defaults may fill it."""
        if value is None:
            return None
        return value.strip() or None

    @field_validator("published", mode="before")
    @classmethod
    def _to_date(cls, value: Any) -> Any:
        """Accept YYYY-MM-DD, or an ISO datetime cut to its date; an empty string is missing."""
        if value is None or isinstance(value, date):
            return value
        if not isinstance(value, str):
            raise ValueError(f"expected a YYYY-MM-DD string, got {type(value).__name__}")
        value = value.strip()
        if not value:
            return None
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
            return datetime.fromisoformat(value).date()
        except ValueError:
            raise ValueError(f"expected YYYY-MM-DD, got {value!r}") from None


def _describe(err: ValidationError) -> str:
    """One plain-English line for the first problem pydantic found."""
    first = err.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "record"
    if first["type"] == "missing":
        return f"missing field '{field}'"
    message = first["msg"].removeprefix("Value error, ")
    return f"invalid field '{field}': {message}"


def _json_type(value: Any) -> str:
    """JSON's name for the type of a parsed value."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def parse_record(source: str, obj: Any, defaults: ArticleDefaults, line: int | None = None) -> Article:
    """Validate one parsed JSON value as a record and build its Article; raises IngestError."""
    if not isinstance(obj, dict):
        raise IngestError(source, f"expected a JSON object, got {_json_type(obj)}", line=line)
    try:
        record = _Record.model_validate(obj)
    except ValidationError as err:
        raise IngestError(source, _describe(err), line=line) from err
    if not record.text.strip():
        raise IngestError(source, "empty text in field 'text'", line=line)
    return make_article(
        source,
        record.text,
        defaults,
        record_id=None if record.id is None else str(record.id),
        title=record.title,
        url=record.url,
        outlet=record.outlet,
        published=record.published,
        line=line,
    )


def read_json(source: str, content: str, defaults: ArticleDefaults) -> Article:
    """Read a .json file holding one record object; raises IngestError naming the file and problem."""
    content = content.removeprefix(BOM)
    if not content.strip():
        raise IngestError(source, "empty file")
    try:
        obj = json.loads(content)
    except json.JSONDecodeError as err:
        raise IngestError(source, f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from err
    return parse_record(source, obj, defaults)


def read_jsonl(source: str, content: str, defaults: ArticleDefaults) -> Iterator[Article | IngestError]:
    """Yield one Article per non-blank line of a .jsonl file, or an IngestError naming `file:line`.

    A malformed line does not stop the rest of the file. A file with no records is one IngestError.
    """
    content = content.removeprefix(BOM)
    found = False
    # split on "\n" only: str.splitlines() would also split on U+2028 inside JSON strings
    for number, raw in enumerate(content.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        found = True
        yield jsonl_record(source, line, number, defaults)
    if not found:
        yield IngestError(source, "empty file")


def jsonl_record(source: str, line: str, number: int, defaults: ArticleDefaults) -> Article | IngestError:
    """One line of a JSONL input as an Article, or the IngestError naming `file:number`."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        log.debug("%s:%d: %s", source, number, err)
        return IngestError(source, f"invalid JSON: {err.msg} (column {err.colno})", line=number)
    try:
        return parse_record(source, obj, defaults, line=number)
    except IngestError as err:
        return err
