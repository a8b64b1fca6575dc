"""The dashboard: static pages and scripts served by the API app (no build step at install time).

Pages: `/` (map, timeline and list, with filters kept in the URL), `/event/{event_id}` (the article text
with each evidence span highlighted, the claims table, sources and revision history), `/paste` (code an
article pasted or uploaded) and `/docs` (the API's OpenAPI docs). Every asset, the basemap included, is
a file under `static/`; see `static/LICENSES.md`.
"""

from conflictcoder.web.pages import mount

__all__ = ["mount"]
