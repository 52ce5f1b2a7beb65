"""create catalogue: categories, tags, products and their tags

Revision ID: catalogue_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "catalogue_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("catalogue",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["catalogue_categories.id"],
            name=op.f("fk_catalogue_categories_parent_id_catalogue_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_catalogue_categories_slug")),
    )
    op.create_index(
        op.f("ix_catalogue_categories_parent_id"), "catalogue_categories", ["parent_id"]
    )

    op.create_table(
        "catalogue_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_tags")),
        sa.UniqueConstraint("slug", name=op.f("uq_catalogue_tags_slug")),
    )

    op.create_table(
        "catalogue_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("stock", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.String(length=16), server_default="draft", nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_catalogue_products_stock_not_negative")),
        sa.CheckConstraint("price >= 0", name=op.f("ck_catalogue_products_price_not_negative")),
        sa.CheckConstraint(
            "status IN ('draft', 'active', 'archived')",
            name=op.f("ck_catalogue_products_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["catalogue_categories.id"],
            name=op.f("fk_catalogue_products_category_id_catalogue_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_catalogue_products_sku")),
        sa.UniqueConstraint("slug", name=op.f("uq_catalogue_products_slug")),
    )
    op.create_index(
        op.f("ix_catalogue_products_category_id"), "catalogue_products", ["category_id"]
    )
    op.create_index("ix_catalogue_products_name_id", "catalogue_products", ["name", "id"])
    op.create_index("ix_catalogue_products_price_id", "catalogue_products", ["price", "id"])
    op.create_index(
        "ix_catalogue_products_created_at_id", "catalogue_products", ["created_at", "id"]
    )

    op.create_table(
        "catalogue_product_tags",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalogue_products.id"],
            name=op.f("fk_catalogue_product_tags_product_id_catalogue_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["catalogue_tags.id"],
            name=op.f("fk_catalogue_product_tags_tag_id_catalogue_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", "tag_id", name=op.f("pk_catalogue_product_tags")),
    )
    op.create_index(op.f("ix_catalogue_product_tags_tag_id"), "catalogue_product_tags", ["tag_id"])


def downgrade() -> None:
    op.drop_table("catalogue_product_tags")
    op.drop_table("catalogue_products")
    op.drop_table("catalogue_tags")
    op.drop_table("catalogue_categories")
