"""The first store schema: articles, events, mentions, claims, event revisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(512), nullable=True),
        sa.Column("url", sa.String(2048), nullable=True),
        sa.Column("outlet", sa.String(256), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_pk", sa.Integer(), sa.ForeignKey("articles.pk"), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("ingested_at", TS, nullable=False),
        sa.UniqueConstraint("article_id"),
    )
    op.create_index("ix_articles_url", "articles", ["url"])
    op.create_table(
        "events",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("time_precision", sa.Integer(), nullable=True),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("sub_event_type", sa.String(64), nullable=False),
        sa.Column("actor1", sa.String(256), nullable=True),
        sa.Column("actor2", sa.String(256), nullable=True),
        sa.Column("country", sa.String(128), nullable=True),
        sa.Column("iso3", sa.String(3), nullable=True),
        sa.Column("admin1", sa.String(256), nullable=True),
        sa.Column("admin2", sa.String(256), nullable=True),
        sa.Column("location", sa.String(256), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("fatalities_best", sa.Float(), nullable=True),
        sa.Column("data", JSONType, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index("ix_events_status", "events", ["status"])
    op.create_index("ix_events_event_date", "events", ["event_date"])
    op.create_index("ix_events_iso3_date", "events", ["iso3", "event_date"])
    op.create_table(
        "mentions",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_pk", sa.Integer(), sa.ForeignKey("articles.pk"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("mention_id", sa.String(64), nullable=False),
        sa.Column("event_pk", sa.Integer(), sa.ForeignKey("events.pk"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("data", JSONType, nullable=False),
        sa.Column("attached_at", TS, nullable=False),
        sa.UniqueConstraint("mention_id"),
        sa.UniqueConstraint("article_pk", "position", name="uq_mentions_article_position"),
    )
    op.create_index("ix_mentions_article_pk", "mentions", ["article_pk"])
    op.create_index("ix_mentions_event_pk", "mentions", ["event_pk"])
    op.create_table(
        "claims",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("mention_pk", sa.Integer(), sa.ForeignKey("mentions.pk"), nullable=False),
        sa.Column("claimant", sa.String(256), nullable=False),
        sa.Column("claimant_role", sa.String(32), nullable=False),
        sa.Column("spokesperson", sa.String(256), nullable=True),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("figure", sa.String(32), nullable=False),
        sa.Column("about", sa.String(32), nullable=False),
        sa.Column("value_low", sa.Float(), nullable=False),
        sa.Column("value_high", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(64), nullable=True),
        sa.Column("item", sa.String(256), nullable=True),
        sa.Column("hedge", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
    )
    op.create_index("ix_claims_mention_pk", "claims", ["mention_pk"])
    op.create_table(
        "event_revisions",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_pk", sa.Integer(), sa.ForeignKey("events.pk"), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=True),
        sa.Column("changes", JSONType, nullable=False),
        sa.Column("data", JSONType, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("event_pk", "revision", name="uq_event_revisions_event_revision"),
    )
    op.create_index("ix_event_revisions_event_pk", "event_revisions", ["event_pk"])


def downgrade() -> None:
    op.drop_table("event_revisions")
    op.drop_table("claims")
    op.drop_table("mentions")
    op.drop_table("events")
    op.drop_table("articles")
