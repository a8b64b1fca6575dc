"""Events indexed for the API's listing: active events in date order and in fatalities order, so that one
page of `GET /events` reads the index in order instead of sorting every active event (measured in
bench/api_latency.py over 100,000 events).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_status_date_pk", "events", ["status", "event_date", "pk"])
    op.create_index("ix_events_status_fatalities_pk", "events", ["status", "fatalities_best", "pk"])


def downgrade() -> None:
    op.drop_index("ix_events_status_fatalities_pk", table_name="events")
    op.drop_index("ix_events_status_date_pk", table_name="events")
