"""Long texts in pieces: paragraphs, and windows of paragraphs that the parser reads one at a time.

A text longer than LONG_TEXT_CHARS is not parsed whole (spaCy refuses texts over its `max_length`, and
parsing needs memory in proportion to the text). It is cut into paragraphs at line breaks; a paragraph
longer than PARAGRAPH_CHARS is cut at sentence ends, else at spaces, else anywhere. Paragraphs are packed
into windows of at most WINDOW_CHARS; each window also reads OVERLAP_PARAGRAPHS paragraphs on either side
of its own (its *core*), and an event belongs to the window whose core holds its trigger, so an incident
told across a cut is coded whole by the window that reads both sides, once. Offsets are characters of the
original text throughout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Texts longer than this are coded in windows (news articles are rarely a tenth of it).
LONG_TEXT_CHARS = 100_000
#: The most characters the parser reads at once (spaCy's own limit is 1,000,000).
WINDOW_CHARS = 100_000
#: A paragraph longer than this is cut at sentence ends (else spaces) into pieces of at most this size.
PARAGRAPH_CHARS = 5_000
#: Paragraphs read on each side of a window's core: context for dates, speakers and incidents across a cut.
OVERLAP_PARAGRAPHS = 2

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


@dataclass(frozen=True, slots=True)
class Window:
    """Characters [start, end) are parsed; events whose trigger lies in [core_start, core_end) are kept."""

    start: int
    end: int
    core_start: int
    core_end: int


def paragraphs(text: str, max_chars: int = PARAGRAPH_CHARS) -> list[tuple[int, int]]:
    """(start, end) spans that cover `text` end to end, cut after line breaks and, inside a paragraph
    longer than `max_chars`, after sentence ends, else after spaces, else every `max_chars`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"\n+", text):
        spans += _cut(text, start, m.end(), max_chars)
        start = m.end()
    if start < len(text):
        spans += _cut(text, start, len(text), max_chars)
    return spans


def _cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while end - start > max_chars:
        limit = start + max_chars
        cut = None
        for m in _SENTENCE_END.finditer(text, start + max_chars // 4, limit):
            cut = m.end()
        if cut is None:
            space = text.rfind(" ", start + 1, limit)
            cut = space + 1 if space > start else limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def windows(
    spans: Sequence[tuple[int, int]],
    keep: Sequence[bool],
    window_chars: int = WINDOW_CHARS,
    overlap: int = OVERLAP_PARAGRAPHS,
) -> list[Window]:
    """Windows over the kept paragraphs: each run of consecutive kept paragraphs is packed into cores of at
    most `window_chars` (at least one paragraph each), widened by `overlap` kept paragraphs on each side."""
    out: list[Window] = []
    n = len(spans)
    i = 0
    while i < n:
        if not keep[i]:
            i += 1
            continue
        run_end = i
        while run_end < n and keep[run_end]:
            run_end += 1
        core_start = i
        while core_start < run_end:
            core_end = core_start + 1
            while core_end < run_end and spans[core_end][1] - spans[core_start][0] <= window_chars:
                core_end += 1
            lo = max(i, core_start - overlap)
            hi = min(run_end, core_end + overlap)
            out.append(Window(spans[lo][0], spans[hi - 1][1], spans[core_start][0], spans[core_end - 1][1]))
            core_start = core_end
        i = run_end
    return out


def near(marked: Sequence[bool], distance: int) -> list[bool]:
    """True for every position within `distance` of a marked one."""
    out = [False] * len(marked)
    for i, m in enumerate(marked):
        if m:
            for j in range(max(0, i - distance), min(len(marked), i + distance + 1)):
                out[j] = True
    return out
