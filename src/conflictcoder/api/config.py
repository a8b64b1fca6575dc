"""The API's settings, read from CONFLICTCODER_* environment variables by `conflictcoder serve`."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Largest request body accepted, in bytes; larger ones are refused with 413 before being read whole.
DEFAULT_MAX_BODY = 2_000_000
#: Most articles one POST /code or POST /articles may carry.
MAX_BATCH = 100


class ApiSettings(BaseSettings):
    """`api_token` enables writes (POST /articles) for callers presenting it as a bearer token; with none
    set, writes are refused. `api_cors_origins` (comma-separated) turns CORS on for those origins only."""

    model_config = SettingsConfigDict(env_prefix="CONFLICTCODER_", extra="ignore")

    api_token: SecretStr | None = None
    api_max_body_bytes: int = Field(DEFAULT_MAX_BODY, gt=0)
    api_cors_origins: str = ""

    @property
    def cors_origins(self) -> list[str]:
        return [o.strip() for o in self.api_cors_origins.split(",") if o.strip()]
