"""Ingest: readers that turn text, HTML, JSON and JSONL inputs (files, directories, stdin) into Articles."""

from conflictcoder.ingest.common import ArticleDefaults
from conflictcoder.ingest.html import read_html
from conflictcoder.ingest.paths import read_inputs, read_path
from conflictcoder.ingest.records import read_json, read_jsonl
from conflictcoder.ingest.text import read_text

__all__ = [
    "ArticleDefaults",
    "read_html",
    "read_inputs",
    "read_json",
    "read_jsonl",
    "read_path",
    "read_text",
]
