"""create the event publication registry and the listeners' inbox

Revision ID: core_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("core",)
depends_on: str | Sequence[str] | None = None

INCOMPLETE = "completed_at IS NULL AND abandoned_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "core_event_publications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=128), nullable=False),
        sa.Column("module", sa.String(length=40), nullable=False),
        sa.Column("listener", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("abandoned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_event_publications")),
    )
    op.create_index(
        "ix_core_event_publications_due",
        "core_event_publications",
        ["next_attempt_at"],
        postgresql_where=sa.text(INCOMPLETE),
        sqlite_where=sa.text(INCOMPLETE),
    )
    op.create_index(
        op.f("ix_core_event_publications_event_id"), "core_event_publications", ["event_id"]
    )
    op.create_index(
        op.f("ix_core_event_publications_event_type"), "core_event_publications", ["event_type"]
    )
    op.create_index(
        "ix_core_event_publications_occurred_at", "core_event_publications", ["occurred_at"]
    )
    op.create_table(
        "core_event_inbox",
        sa.Column("listener", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("listener", "event_id", name=op.f("pk_core_event_inbox")),
    )


def downgrade() -> None:
    op.drop_table("core_event_inbox")
    op.drop_index("ix_core_event_publications_occurred_at", table_name="core_event_publications")
    op.drop_index(
        op.f("ix_core_event_publications_event_type"), table_name="core_event_publications"
    )
    op.drop_index(op.f("ix_core_event_publications_event_id"), table_name="core_event_publications")
    op.drop_index("ix_core_event_publications_due", table_name="core_event_publications")
    op.drop_table("core_event_publications")
