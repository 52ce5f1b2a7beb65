"""sign-ins in flight and links of provider identities to accounts

Revision ID: oidc_0001_sign_ins_and_links
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "oidc_0001_sign_ins_and_links"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("oidc",)
depends_on: str | Sequence[str] | None = "users"


def upgrade() -> None:
    op.create_table(
        "oidc_sign_ins",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("browser_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("state_hash", name=op.f("pk_oidc_sign_ins")),
    )
    op.create_index("ix_oidc_sign_ins_expires_at", "oidc_sign_ins", ["expires_at"])
    op.create_table(
        "oidc_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users_users.id"],
            name=op.f("fk_oidc_links_user_id_users_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_links")),
        sa.UniqueConstraint("provider", "subject", name="uq_oidc_links_provider_subject"),
    )
    op.create_index(op.f("ix_oidc_links_user_id"), "oidc_links", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_oidc_links_user_id"), table_name="oidc_links")
    op.drop_table("oidc_links")
    op.drop_index("ix_oidc_sign_ins_expires_at", table_name="oidc_sign_ins")
    op.drop_table("oidc_sign_ins")
