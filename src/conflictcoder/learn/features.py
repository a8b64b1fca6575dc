"""Text -> the sparse features of the sub-event model: word 1-2-grams and character n-grams within words.

One function serves training (as scikit-learn's `analyzer`) and prediction, so the two can never disagree.
Digits become 0 ("28 April 2020" and "3 May 2021" share features) and case is folded; nothing else is
removed, so function words keep their place in bigrams ("fired at", "clashed with").
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")


class FeatureConfig(BaseModel):
    """Which n-grams the model reads; stored in the model file so prediction rebuilds the same features."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    word_ngrams: int = Field(2, ge=1, le=3, description="word n-grams of length 1..word_ngrams")
    char_min: int = Field(3, ge=1, le=8, description="shortest character n-gram")
    char_max: int = Field(5, ge=0, le=8, description="longest character n-gram; 0 turns them off")


def analyze(text: str, config: FeatureConfig) -> list[str]:
    """The features of one text, with repeats (term counts are taken from the list)."""
    words = _WORD.findall(_DIGIT.sub("0", text.lower()))
    feats = [f"w {w}" for w in words]
    for n in range(2, config.word_ngrams + 1):
        feats += ["w " + " ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    if config.char_max:
        for w in words:
            padded = f" {w} "
            for n in range(config.char_min, min(config.char_max, len(padded)) + 1):
                feats += [f"c {padded[i : i + n]}" for i in range(len(padded) - n + 1)]
    return feats
