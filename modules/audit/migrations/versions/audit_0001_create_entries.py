"""create audit entries

Revision ID: audit_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "audit_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("audit",)
depends_on: str | Sequence[str] | None = "core"


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=128), nullable=False),
        sa.Column("module", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("event_id", name=op.f("uq_audit_entries_event_id")),
    )
    op.create_index("ix_audit_entries_occurred_at_id", "audit_entries", ["occurred_at", "id"])
    op.create_index(op.f("ix_audit_entries_actor"), "audit_entries", ["actor"])
    op.create_index(op.f("ix_audit_entries_event_type"), "audit_entries", ["event_type"])
    op.create_index(op.f("ix_audit_entries_module"), "audit_entries", ["module"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_entries_module"), table_name="audit_entries")
    op.drop_index(op.f("ix_audit_entries_event_type"), table_name="audit_entries")
    op.drop_index(op.f("ix_audit_entries_actor"), table_name="audit_entries")
    op.drop_index("ix_audit_entries_occurred_at_id", table_name="audit_entries")
    op.drop_table("audit_entries")
