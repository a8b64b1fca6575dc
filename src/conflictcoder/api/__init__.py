"""The JSON API (FastAPI): code text, store articles, and read events, their sources and their history.

`create_app(make_session, ...)` builds the app over an open store; `conflictcoder serve` runs it under
uvicorn. The dashboard (`conflictcoder.web`) is served by the same app.
"""

from conflictcoder.api.app import create_app
from conflictcoder.api.config import ApiSettings

__all__ = ["ApiSettings", "create_app"]
