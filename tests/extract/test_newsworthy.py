"""Background and news: hand-built events and sentences (texts written for this project)."""

from __future__ import annotations

from datetime import date

import pytest

from conflictcoder.extract.newsworthy import background_reason, background_sentences, court_report
from conflictcoder.extract.times import publication_date_in_text, resolve_date
from conflictcoder.model import Event
from conflictcoder.nlp import load_pipeline
from conflictcoder.settings import get_settings
from conflictcoder.word_lists import load_lexicons


def event(**kw: object) -> Event:
    base = {"event_id": "e", "disorder_type": "Political violence", "event_type": "Battles"}
    return Event(**{**base, "sub_event_type": "Armed clash", **kw})  # type: ignore[arg-type]


def test_a_country_wide_mention_with_no_date_of_its_own_is_background() -> None:
    vague = event(
        location="Syria", country="Syria", iso3="SYR", date_reason="no date in its own sentences; ..."
    )
    assert "conflict-wide" in (background_reason(vague, "SYR") or "")
    undated = event(location="Syria", country="Syria", iso3="SYR", event_date=None)
    assert background_reason(undated, "SYR") is not None


def test_a_country_level_incident_with_its_own_date_is_news() -> None:
    dated = event(
        location="Afghanistan",
        country="Afghanistan",
        iso3="AFG",
        event_date=date(2024, 3, 1),
        date_reason="'Thursday' counted back from the publication date",
    )
    assert background_reason(dated, "AFG") is None


def test_a_country_named_in_passing_abroad_is_background_even_with_a_date() -> None:
    abroad = event(
        location="Russian Federation",
        country="Russian Federation",
        iso3="RUS",
        event_date=date(2024, 3, 1),
        date_reason="'Thursday' counted back from the publication date",
    )
    assert "abroad" in (background_reason(abroad, "SYR") or "")


def test_a_town_is_news_whatever_its_date() -> None:
    town = event(location="Manbij", admin1="Aleppo", country="Syria", iso3="SYR", event_date=None)
    assert background_reason(town, "SYR") is None
    assert background_reason(town, "TUR") is None  # resolution abroad is the place step's business


@pytest.mark.parametrize(
    ("text", "recalled"),
    [
        ("More than 36,000 people have been killed since 2009.", True),
        ("The war has displaced two million people since the start of the uprising.", True),
        ("In all, 14 soldiers were killed in the two attacks.", True),
        ("Violence has killed 200 people so far this year.", True),
        ("Gunmen killed three policemen in Quetta on Monday.", False),
        ("Fighting since Sunday has killed 20 fighters.", False),
    ],
)
def test_sentences_summing_a_period_or_several_incidents(text: str, recalled: bool) -> None:
    doc = load_pipeline(get_settings().spacy_model)(text)
    words = load_lexicons(None).background
    found = background_sentences(doc, words.period_totals) | background_sentences(doc, words.aggregates)
    assert (found == {0}) is recalled


def test_publication_date_stated_in_the_text() -> None:
    assert publication_date_in_text("Intro. This story is from March 10, 2002. More.") == (
        date(2002, 3, 10),
        "This story is from March 10, 2002",
    )
    got = publication_date_in_text("KABUL, March 2, 2018 (Reuters) - A car bomb exploded.")
    assert got is not None and got[0] == date(2018, 3, 2)
    assert publication_date_in_text("MOGADISHU, Feb 19 (Reuters) - A bomb went off.") is None  # no year
    assert publication_date_in_text("The minister said on May 3, 2019 that talks would go on.") is None


def test_a_four_digit_count_is_not_a_year() -> None:
    assert resolve_date("9832", None)[0] is None
    assert resolve_date("2017", None)[0] == date(2017, 7, 1)


def test_a_court_report_is_dense_with_court_words() -> None:
    nlp = load_pipeline(get_settings().spacy_model)
    words = load_lexicons(None).background
    court = nlp(
        "The defendant pleaded not guilty at his trial on Monday. Prosecutors told the jury he built it. "
        "The judge set the next hearing for June; his lawyer said the charges were false."
    )
    news = nlp(
        "A car bomb killed nine people at a market in Kirkuk on Monday, police said. A court building nearby "
        "was damaged."
    )
    assert court_report(court, words)
    assert not court_report(news, words)
