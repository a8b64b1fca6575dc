"""conflictcoder: news reports of armed-conflict incidents to source-attributed, geocoded event data."""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
