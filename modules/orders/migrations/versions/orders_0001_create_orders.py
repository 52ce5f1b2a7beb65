"""create orders

Revision ID: orders_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "orders_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("orders",)
depends_on: str | Sequence[str] | None = ("users", "catalogue")


def upgrade() -> None:
    op.create_table(
        "orders_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("total >= 0", name=op.f("ck_orders_orders_total_not_negative")),
        sa.CheckConstraint(
            "status IN ('pending', 'paid', 'fulfilled', 'cancelled', 'refunded')",
            name=op.f("ck_orders_orders_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users_users.id"],
            name=op.f("fk_orders_orders_user_id_users_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_orders")),
    )
    op.create_index(
        "ix_orders_orders_user_id_created_at_id", "orders_orders", ["user_id", "created_at", "id"]
    )
    op.create_index("ix_orders_orders_created_at_id", "orders_orders", ["created_at", "id"])
    op.create_index("ix_orders_orders_status_created_at", "orders_orders", ["status", "created_at"])
    op.create_table(
        "orders_lines",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("line_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_orders_lines_quantity_positive")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_orders_lines_unit_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders_orders.id"],
            name=op.f("fk_orders_lines_order_id_orders_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_orders_lines")),
    )


def downgrade() -> None:
    op.drop_table("orders_lines")
    op.drop_index("ix_orders_orders_status_created_at", table_name="orders_orders")
    op.drop_index("ix_orders_orders_created_at_id", table_name="orders_orders")
    op.drop_index("ix_orders_orders_user_id_created_at_id", table_name="orders_orders")
    op.drop_table("orders_orders")
