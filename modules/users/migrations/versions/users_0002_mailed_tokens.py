"""mailed tokens: email verification and password reset

Revision ID: users_0002_mailed_tokens
Revises: users_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "users_0002_mailed_tokens"
down_revision: str | Sequence[str] | None = "users_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Accounts that exist before this revision are taken as unverified: nobody proved the address.
    op.add_column(
        "users_users", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_table(
        "users_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users_users.id"],
            name=op.f("fk_users_tokens_user_id_users_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_users_tokens_token_hash")),
    )
    op.create_index("ix_users_tokens_user_id_purpose", "users_tokens", ["user_id", "purpose"])


def downgrade() -> None:
    op.drop_index("ix_users_tokens_user_id_purpose", table_name="users_tokens")
    op.drop_table("users_tokens")
    # A plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): rebuilding the table would delete the
    # rows of other modules' tables that reference it.
    op.drop_column("users_users", "email_verified_at")
