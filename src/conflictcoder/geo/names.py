"""Name normalization shared by the gazetteer index, its queries and the place recognizer.

Index and query go through the same function, so a lookup is an exact match on normalized keys:
casefolded, accents stripped, apostrophes, hyphens and other punctuation turned into spaces, spaces
collapsed. Latin letters without a decomposition ("ø", "ł", "ß") are transliterated with unidecode;
other scripts (Arabic, Cyrillic, …) are kept as they are, casefolded, so that native-script alternate
names match native-script text instead of turning into lossy transliterations.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from unidecode import unidecode

__all__ = ["ADMIN_TYPE_WORDS", "normalize_name", "spelling_key", "strip_admin_suffix"]

#: Trailing type words stripped from admin unit names ("Khuzdar District" -> "Khuzdar").
ADMIN_TYPE_WORDS: tuple[str, ...] = (
    "district",
    "province",
    "division",
    "region",
    "governorate",
    "prefecture",
    "county",
    "tehsil",
    "municipality",
    "department",
    "oblast",
    "state",
    "agency",
)

_SEPARATORS = re.compile(r"[\s'’‘ʼʻ`´\-‐‑‒–—―_.,;:/\\()\[\]{}\"“”«»!?&+*#]+")
_SUFFIX = re.compile(r"\s+(?:" + "|".join(ADMIN_TYPE_WORDS) + r")$")


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if unicodedata.combining(ch):
        return ""
    try:
        is_latin = unicodedata.name(ch).startswith("LATIN")
    except ValueError:  # unnamed code point
        return ch
    return unidecode(ch) if is_latin else ch


@functools.lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Normalize a place name for matching: "Khuzdār" -> "khuzdar", "Dera-Ismail  Khan" -> "dera ismail khan".

    Casefolds, strips accents (NFKD, combining marks dropped), transliterates remaining Latin letters,
    turns apostrophes, hyphens and punctuation into spaces and collapses runs of spaces.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(_fold_char(ch) for ch in decomposed).casefold()
    return _SEPARATORS.sub(" ", folded).strip()


def strip_admin_suffix(normalized: str) -> str:
    """Drop one trailing admin type word from a normalized name ("khuzdar district" -> "khuzdar").

    Returns the name unchanged when it has no such word or is only that word ("state").
    """
    return _SUFFIX.sub("", normalized) or normalized


_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez) ")
_VOWELS = re.compile(r"(?<=.)[aeiouy]+")
_DOUBLES = re.compile(r"(.)\1+")


def spelling_key(name: str) -> str:
    """A coarse key that transliterations of one name share: "Idleb"/"Idlib", "al-Hasakeh"/"Al-Hasakah",
    "Tyr"/"Tyre" all give one key. The Arabic article goes, vowels after the first letter go, doubled
    letters and a final "h" are folded. Only for a fallback when the exact name is not indexed.

    >>> spelling_key("al-Hasakeh") == spelling_key("Al Hasakah")
    True
    """
    key = _ARTICLE.sub("", normalize_name(name)).replace(" ", "")
    key = _DOUBLES.sub(r"\1", _VOWELS.sub("", key))
    return key[:-1] if key.endswith("h") and len(key) > 3 else key
