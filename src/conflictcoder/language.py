"""The language of an article, detected offline (py3langid ships its model), so that a text the English
pipeline cannot read is skipped with a reason instead of being mis-coded."""

from __future__ import annotations

import functools
import logging

from py3langid.langid import MODEL_FILE, LanguageIdentifier

log = logging.getLogger(__name__)

#: The language the coder's spaCy pipeline and lexicons read.
CODED_LANGUAGE = "en"
#: Languages read as English: Nigerian Pidgin is English-lexified and written in English spelling, and the
#: detector gives it to terse English wire sentences ("jets bomb an ... convoy, fifteen dead").
READ_AS_ENGLISH = frozenset({CODED_LANGUAGE, "pcm"})
#: A text is called another language only when the detector is at least this sure of it: short English
#: notes ("12 killed in Zehri") get low, scattered scores and stay English.
MIN_CONFIDENCE = 0.9
#: Detection reads at most this many characters (the start of a long text tells its language).
SAMPLE_CHARS = 10_000


@functools.lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """Load the detector's model once per process (about a second), on first use only."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language: another language only when detected with
    MIN_CONFIDENCE, else CODED_LANGUAGE."""
    lang, confidence = _identifier().classify(text[:SAMPLE_CHARS])
    if lang != CODED_LANGUAGE and confidence >= MIN_CONFIDENCE:
        log.debug("language %s (%.2f)", lang, confidence)
        return str(lang)
    return CODED_LANGUAGE


def not_coded_reason(language: str) -> str | None:
    """Why an article in `language` is not coded, or None when it is English."""
    if language in READ_AS_ENGLISH:
        return None
    return (
        f"not coded: the text is in language '{language}', and the coder's spaCy pipeline and lexicons "
        "read English only"
    )
