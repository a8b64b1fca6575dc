"""The shipped JSON Schema equals the one the models generate, and real output validates against it."""

from __future__ import annotations

from datetime import date

import jsonschema

from conflictcoder.schema import output_schema, shipped_schema


def test_shipped_schema_is_current() -> None:
    assert shipped_schema() == output_schema(), "run `python -m conflictcoder.schema` to regenerate it"


def test_output_validates(code_text) -> None:  # type: ignore[no-untyped-def]
    result = code_text(
        "Militants fired mortars at a police post in Bannu on Sunday, injuring three officers.",
        date(2025, 2, 4),
    )
    assert result.events
    jsonschema.validate(result.model_dump(mode="json"), shipped_schema())


def test_schema_rejects_unknown_sub_event_type(code_text) -> None:  # type: ignore[no-untyped-def]
    data = code_text("Police arrested five protesters in Quetta on Friday.", date(2025, 2, 4)).model_dump(
        mode="json"
    )
    data["events"][0]["sub_event_type"] = "Skirmish"
    try:
        jsonschema.validate(data, shipped_schema())
    except jsonschema.ValidationError:
        return
    raise AssertionError("an unknown sub-event type passed validation")
