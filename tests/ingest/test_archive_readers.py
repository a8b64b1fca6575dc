"""The bulk readers: gzip'd JSONL, Parquet and WARC, each record an Article or an error naming file:N."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.ingest.test_readers import HTML, PARAGRAPHS, TEXT
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conflictcoder.errors import IngestError
from conflictcoder.ingest import ArticleDefaults, archives, read_inputs
from conflictcoder.model import Article

NO_DEFAULTS = ArticleDefaults()


def read_all(*paths: Path, defaults: ArticleDefaults = NO_DEFAULTS) -> list[Article | IngestError]:
    return list(read_inputs([str(p) for p in paths], defaults))


def test_jsonl_gz_records_and_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl.gz"
    lines = [
        json.dumps({"id": 7, "text": TEXT, "outlet": "Dawn", "published": "2025-01-09"}),
        "",
        "{not json",
        json.dumps({"text": "Two guards were injured in an attack on Friday."}),
    ]
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    first, error, second = read_all(path, defaults=ArticleDefaults(outlet="Cli"))
    assert isinstance(first, Article) and first.id == "7" and first.outlet == "Dawn"
    assert first.published == date(2025, 1, 9) and first.source_path == str(path)
    assert isinstance(error, IngestError) and str(error).startswith(f"{path}:3: invalid JSON")
    assert isinstance(second, Article) and second.outlet == "Cli"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"plain text, not gzip", "cannot read as gzip"),
        (gzip.compress(b'{"text": "a"}\n' * 50)[:-12], "cannot read as gzip"),  # cut off
        (gzip.compress(b""), "empty file"),
    ],
)
def test_jsonl_gz_problems_name_the_file(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(content)
    results = read_all(path)
    assert isinstance(results[-1], IngestError) and str(results[-1]).startswith(f"{path}")
    assert problem in str(results[-1])


def test_a_huge_record_is_refused_without_reading_it_whole(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(archives, "MAX_RECORD_BYTES", 1000)
    path = tmp_path / "bomb.jsonl.gz"
    huge = json.dumps({"text": "x" * 50_000})
    path.write_bytes(gzip.compress((huge + "\n" + json.dumps({"text": TEXT}) + "\n").encode()))
    error, article = read_all(path)
    assert isinstance(error, IngestError) and "record longer than 1,000 bytes" in str(error)
    assert str(error).startswith(f"{path}:1:") and isinstance(article, Article)


def test_parquet_rows(tmp_path: Path) -> None:
    path = tmp_path / "corpus.parquet"
    table = pa.table(
        {
            "text": [TEXT, None, "An attack on a post."],
            "id": [1, 2, 3],
            "published": [datetime(2025, 1, 9, 14, 30), None, None],
            "url": ["https://example.org/a", None, None],
            "extra": ["ignored", "ignored", "ignored"],
        }
    )
    pq.write_table(table, path)
    first, error, third = read_all(path, defaults=ArticleDefaults(published=date(2024, 1, 1)))
    assert isinstance(first, Article) and first.id == "1" and first.published == date(2025, 1, 9)
    assert first.url == "https://example.org/a"
    assert isinstance(error, IngestError) and str(error) == f"{path}:2: missing field 'text'"
    assert isinstance(third, Article) and third.published == date(2024, 1, 1)


def test_parquet_without_text_or_not_parquet(tmp_path: Path) -> None:
    no_text = tmp_path / "a.parquet"
    pq.write_table(pa.table({"body": ["x"]}), no_text)
    broken = tmp_path / "b.parquet"
    broken.write_bytes(b"PAR1 not really")
    a, b = read_all(no_text, broken)
    assert str(a) == f"{no_text}: no 'text' column in the Parquet file"
    assert isinstance(b, IngestError) and str(b).startswith(f"{broken}: not a readable Parquet file")


def _warc(path: Path, records: list[tuple[str, str, str, bytes]]) -> None:
    """(type, uri, content type, body) records, gzip'd per record."""
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for rec_type, uri, ctype, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                rec_type,
                payload=io.BytesIO(body),
                http_headers=http if rec_type == "response" else None,
                warc_headers_dict={"WARC-Date": "2025-02-03T10:00:00Z"},
            )
            writer.write_record(record)


def test_warc_html_responses_only(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    undated = f"<html><body><article>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article></body></html>"
    _warc(
        path,
        [
            ("response", "https://news.example/a", "text/html; charset=utf-8", HTML.encode()),
            ("response", "https://news.example/logo.png", "image/png", b"\x89PNG"),
            ("response", "https://news.example/b", "text/html", undated.encode()),
            ("response", "https://news.example/empty", "text/html", b"<html><body></body></html>"),
        ],
    )
    dated, undated_article, empty = read_all(path)
    assert isinstance(dated, Article) and dated.url == "https://news.example/a"
    assert dated.published == date(2025, 1, 9) and dated.title == "Checkpoint attacked on highway"
    assert isinstance(undated_article, Article) and undated_article.published == date(
        2025, 2, 3
    )  # crawl date
    assert isinstance(empty, IngestError) and str(empty).startswith(f"{path}:4: ")


def test_warc_problems(tmp_path: Path) -> None:
    not_warc = tmp_path / "x.warc"
    not_warc.write_bytes(b"hello, this is not a WARC file\r\n\r\n")
    only_images = tmp_path / "y.warc.gz"
    _warc(only_images, [("response", "https://news.example/logo.png", "image/png", b"\x89PNG")])
    a, b = read_all(not_warc, only_images)
    assert str(a) == f"{not_warc}:1: not a WARC file (no WARC/1.x record header)"
    assert str(b) == f"{only_images}: no HTML response records in the WARC file"


def test_directories_pick_up_the_bulk_formats(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.jsonl.gz").write_bytes(gzip.compress(json.dumps({"text": TEXT}).encode()))
    pq.write_table(pa.table({"text": ["A bomb exploded near a market."]}), tmp_path / "d" / "b.parquet")
    (tmp_path / "d" / "notes.gz").write_bytes(gzip.compress(b"x"))  # not a supported ending: skipped
    results = read_all(tmp_path / "d")
    assert [type(r) for r in results] == [Article, Article]
