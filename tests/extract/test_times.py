from __future__ import annotations

from datetime import date

import pytest

from conflictcoder.extract.times import resolve_date

THURSDAY = date(2025, 1, 9)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("on Wednesday", date(2025, 1, 8), 1),
        ("Thursday", date(2025, 1, 9), 1),
        ("yesterday", date(2025, 1, 8), 1),
        ("last week", date(2025, 1, 2), 2),
        ("on 3 May", date(2024, 5, 3), 1),
        ("31 December 2024", date(2024, 12, 31), 1),
        ("August 2024", date(2024, 8, 15), 3),
    ],
)
def test_resolves_against_publication_date(text: str, expected: date, precision: int) -> None:
    d, tp, _, reason = resolve_date(text, THURSDAY)
    assert (d, tp) == (expected, precision), reason


def test_relative_date_without_anchor_stays_unresolved() -> None:
    d, tp, _, reason = resolve_date("on Wednesday", None)
    assert d is None and tp is None and "no publication date" in reason


def test_absolute_date_needs_no_anchor() -> None:
    assert resolve_date("9 May 2020", None)[0] == date(2020, 5, 9)


def test_statement_date_and_history_are_not_the_event_date(code_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Taliban said on Friday that its fighters attacked a police checkpoint in Ghazni on Tuesday. "
        "The group began its offensive in March 2023."
    )
    (event,) = code_text(text, date(2025, 1, 10)).events
    assert event.event_date == date(2025, 1, 7)
