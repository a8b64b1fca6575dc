"""Tests for the ingest readers: each format, metadata precedence, errors, directories and stdin."""

from __future__ import annotations

import io
import json
import os
from datetime import date
from pathlib import Path

import pytest

from conflictcoder.errors import IngestError
from conflictcoder.ingest import ArticleDefaults, read_inputs
from conflictcoder.model import Article, article_id_for

TEXT = "Gunmen attacked a checkpoint on Wednesday. Officials said two guards were injured."
NO_DEFAULTS = ArticleDefaults()
Result = Article | IngestError
CLI = ArticleDefaults(published=date(2024, 8, 1), url="https://cli.example/a", outlet="Cli Outlet")

PARAGRAPHS = [
    "Armed men attacked a police checkpoint on the main highway late on Wednesday evening, "
    "according to district officials who spoke to reporters on Thursday morning.",
    "The officials said the exchange of fire lasted for more than two hours before reinforcements "
    "arrived from the district headquarters and the attackers withdrew into the nearby hills.",
    "A spokesman for the provincial government said two guards were injured and that an inquiry "
    "had been ordered into how the attackers reached the checkpoint without being stopped.",
]
HTML = f"""<!DOCTYPE html>
<html><head>
<title>Checkpoint attacked on highway</title>
<meta property="article:published_time" content="2025-01-09T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article>
<footer>All rights reserved.</footer>
</body></html>
"""


def write(path: Path, content: str | bytes) -> str:
    """Write a test input (creating parent folders) and return its path as a string."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def read_all(*paths: str, defaults: ArticleDefaults = NO_DEFAULTS, stdin: str | None = None) -> list[Result]:
    """Run read_inputs to completion."""
    stream = io.StringIO(stdin) if stdin is not None else None
    return list(read_inputs(list(paths), defaults, stdin=stream))


def only_article(results: list[Result]) -> Article:
    """The single result, which must be an Article."""
    assert len(results) == 1, results
    assert isinstance(results[0], Article), results[0]
    return results[0]


def only_error(results: list[Result]) -> IngestError:
    """The single result, which must be an IngestError."""
    assert len(results) == 1, results
    assert isinstance(results[0], IngestError), results[0]
    return results[0]


# --- formats ---------------------------------------------------------------------------------------


def test_txt_is_the_whole_text(tmp_path: Path) -> None:
    path = write(tmp_path / "report.txt", TEXT + "\r\nSecond line.\r\n")
    article = only_article(read_all(path))
    assert article.text == TEXT + "\nSecond line.\n"
    assert article.article_id == article_id_for(article.text)
    assert article.source_path == path
    assert article.id is None
    assert article.title is None and article.published is None and article.url is None


def test_txt_bom_is_stripped_and_text_extension_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "report.text", "\ufeff".encode() + TEXT.encode())
    article = only_article(read_all(path))
    assert article.text == TEXT


def test_extension_is_case_insensitive(tmp_path: Path) -> None:
    article = only_article(read_all(write(tmp_path / "REPORT.TXT", TEXT)))
    assert article.text == TEXT


def test_text_is_nfc_normalized(tmp_path: Path) -> None:
    decomposed = "Que\u0301bec officials said."
    article = only_article(read_all(write(tmp_path / "a.txt", decomposed)))
    assert article.text == "Qu\u00e9bec officials said."


def test_html_main_text_title_and_date(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", HTML)
    article = only_article(read_all(path))
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    assert "All rights reserved" not in article.text
    assert "Home" not in article.text
    assert article.title == "Checkpoint attacked on highway"
    assert article.published == date(2025, 1, 9)
    assert article.source_path == path
    assert article.article_id == article_id_for(article.text)


def test_html_without_main_text_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.htm", "<html><head><title>x</title></head><body></body></html>")
    error = only_error(read_all(path))
    assert str(error) == f"{path}: no main text found in the HTML"


def test_json_record_with_all_fields(tmp_path: Path) -> None:
    record = {
        "id": "r-1",
        "text": TEXT,
        "title": "Checkpoint attacked",
        "url": "https://news.example/1",
        "outlet": "News Example",
        "published": "2025-01-09",
        "extra": "ignored",
    }
    path = write(tmp_path / "one.json", json.dumps(record))
    article = only_article(read_all(path))
    assert article.id == "r-1"
    assert article.text == TEXT
    assert article.title == "Checkpoint attacked"
    assert article.url == "https://news.example/1"
    assert article.outlet == "News Example"
    assert article.published == date(2025, 1, 9)
    assert article.source_path == path


def test_json_datetime_is_cut_to_date_and_numeric_id_is_a_string(tmp_path: Path) -> None:
    record = {"id": 42, "text": TEXT, "published": "2025-01-09T23:30:00Z"}
    path = write(tmp_path / "one.json", json.dumps(record))
    article = only_article(read_all(path))
    assert article.id == "42"
    assert article.published == date(2025, 1, 9)


def test_jsonl_keeps_ids_and_skips_blank_lines(tmp_path: Path) -> None:
    first, second = {"id": "a", "text": "First report."}, {"id": 2, "text": "Second."}
    lines = [json.dumps(first), "", "   ", json.dumps(second)]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    results = read_all(path)
    assert all(isinstance(r, Article) for r in results)
    assert [(r.id, r.text) for r in results] == [("a", "First report."), ("2", "Second.")]


def test_jsonl_malformed_line_in_the_middle(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "First report."}),
        '{"id": "b", "text": "broken',
        json.dumps({"id": "c", "text": "Third report."}),
        json.dumps({"id": "d"}),
        json.dumps({"id": "e", "text": "Fifth report."}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines))
    results = read_all(path)
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Article", "IngestError", "Article", "IngestError", "Article"]
    assert [r.id for r in results if isinstance(r, Article)] == ["a", "c", "e"]
    broken, missing = results[1], results[3]
    assert str(broken).startswith(f"{path}:2: invalid JSON")
    assert (broken.source, broken.line) == (path, 2)
    assert str(missing) == f"{path}:4: missing field 'text'"


def test_jsonl_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.jsonl", '["a list"]\n')
    assert str(only_error(read_all(path))) == f"{path}:1: expected a JSON object, got an array"


# --- metadata precedence ---------------------------------------------------------------------------


def test_defaults_fill_what_a_txt_file_lacks(tmp_path: Path) -> None:
    article = only_article(read_all(write(tmp_path / "a.txt", TEXT), defaults=CLI))
    assert (article.published, article.url, article.outlet) == (CLI.published, CLI.url, CLI.outlet)


def test_json_fields_win_over_defaults_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps({"text": TEXT, "published": "2025-01-09", "outlet": ""}))
    article = only_article(read_all(path, defaults=CLI))
    assert article.published == date(2025, 1, 9)  # stated by the record
    assert article.url == CLI.url  # missing in the record
    assert article.outlet == CLI.outlet  # empty in the record counts as missing


def test_html_page_date_wins_over_defaults(tmp_path: Path) -> None:
    article = only_article(read_all(write(tmp_path / "page.html", HTML), defaults=CLI))
    assert article.published == date(2025, 1, 9)
    assert article.url == CLI.url and article.outlet == CLI.outlet


# --- errors ----------------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.txt")
    assert str(only_error(read_all(path))) == f"{path}: no such file"


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", b"")
    assert str(only_error(read_all(path))) == f"{path}: empty file"


def test_whitespace_only_text(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.txt", " \n\t\r\n")
    assert str(only_error(read_all(path))) == f"{path}: empty text"


@pytest.mark.parametrize("data", [b"PK\x03\x04\x00\x00binary", "caf\u00e9".encode("latin-1")])
def test_binary_or_non_utf8(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "odd.txt", data)
    assert str(only_error(read_all(path))) == f"{path}: binary or non-UTF-8 file"


def test_unsupported_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "report.pdf", b"%PDF-1.7")
    expected = (
        f"{path}: unsupported file type '.pdf' "
        "(expected .txt, .html, .json, .jsonl, .jsonl.gz, .parquet, .warc, .warc.gz or -)"
    )
    assert str(only_error(read_all(path))) == expected


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", TEXT)
    os.chmod(path, 0)
    try:
        error = only_error(read_all(path))
    finally:
        os.chmod(path, 0o644)
    assert str(error) == f"{path}: cannot read the file (permission denied)"


def test_permission_error_is_yielded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt", TEXT)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert str(only_error(read_all(path))) == f"{path}: cannot read the file (permission denied)"


def test_json_missing_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps({"id": "x", "title": "No body"}))
    assert str(only_error(read_all(path))) == f"{path}: missing field 'text'"


def test_json_empty_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps({"text": "  "}))
    assert str(only_error(read_all(path))) == f"{path}: empty text in field 'text'"


def test_json_bad_published(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps({"text": TEXT, "published": "9 Jan 2025"}))
    error = only_error(read_all(path))
    assert str(error) == f"{path}: invalid field 'published': expected YYYY-MM-DD, got '9 Jan 2025'"


def test_json_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", '{"text": ')
    assert str(only_error(read_all(path))).startswith(f"{path}: invalid JSON: ")


def test_errors_do_not_stop_later_inputs(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", TEXT)
    results = read_all(str(tmp_path / "missing.txt"), good)
    assert [type(r).__name__ for r in results] == ["IngestError", "Article"]
    assert all("\n" not in str(r) for r in results if isinstance(r, IngestError))


# --- directories and stdin -------------------------------------------------------------------------


def test_directory_is_read_recursively_in_path_order(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "B report.")
    write(root / "a" / "z.json", json.dumps({"id": "az", "text": "AZ report."}))
    write(root / "a" / "y.txt", "AY report.")
    write(root / "c" / "d.jsonl", '{"text": "CD one."}\n{"text": "CD two."}\n')
    write(root / "notes.pdf", b"%PDF")  # unsupported files in a directory are skipped
    write(root / ".hidden" / "x.txt", "Hidden.")  # so are hidden entries
    results = read_all(str(root))
    assert all(isinstance(r, Article) for r in results), results
    assert [r.text for r in results] == ["AY report.", "AZ report.", "B report.", "CD one.", "CD two."]
    assert results[0].source_path == str(root / "a" / "y.txt")


def test_directory_without_supported_files(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "x.pdf", b"%PDF")
    error = only_error(read_all(str(tmp_path / "docs")))
    assert str(error).startswith(f"{tmp_path / 'docs'}: no supported files in the directory")


def test_stdin_is_plain_text(tmp_path: Path) -> None:
    article = only_article(read_all("-", stdin=TEXT, defaults=CLI))
    assert article.text == TEXT
    assert article.source_path == "-"
    assert article.id is None
    assert article.published == CLI.published


def test_stdin_empty(tmp_path: Path) -> None:
    assert str(only_error(read_all("-", stdin="\n"))) == "-: empty text"


def test_inputs_come_in_the_order_given(tmp_path: Path) -> None:
    first = write(tmp_path / "z.txt", "Z report.")
    second = write(tmp_path / "a.json", json.dumps({"text": "A report."}))
    results = read_all(first, "-", second, stdin="Stdin report.")
    assert [r.text for r in results] == ["Z report.", "Stdin report.", "A report."]
