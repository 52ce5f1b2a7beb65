"""Bulk import of products from CSV: one pass over the file, upserted by SKU in batches.

The file is UTF-8 (a byte-order mark is allowed) with a header line naming its columns, in any
order:

============  ========  =====================================================================
column        required  value
============  ========  =====================================================================
sku           yes       the product's SKU: the key that decides create or update
name          yes       up to 200 characters
slug          yes       lower-case words joined by ``-``, unique among products
price         yes       decimal amount in the catalogue's currency, ``.`` before the cents
category      yes       slug of an existing category
description   no        free text (empty when blank)
stock         no        whole number of units, 0 or more (0 when blank)
status        no        ``draft``, ``active`` or ``archived`` (``draft`` when blank)
tags          no        slugs of existing tags separated by ``|`` (none when blank)
============  ========  =====================================================================

A product whose SKU is new is created; an existing one gets the row's values, and an optional
column left out of the header keeps its current value. Each row ends up ``created``,
``updated``, ``unchanged`` (the product already had every value) or ``rejected`` with the line it
starts on and the reason; a rejected row changes nothing and never stops the others, so running
the same file again reports every row unchanged. A header that lacks a required column or names
an unknown one, or bytes that are not UTF-8, refuse the whole file and nothing is imported.

The rows are read as they arrive (memory holds one batch, whatever the size of the file), and
each batch costs a fixed number of statements: its products, the slugs they claim, their
categories and tags, then one flush.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Strict, ValidationError, field_validator
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from core import utcnow
from core.db import UnitOfWork
from modules.catalogue.categories import repository as category_queries
from modules.catalogue.errors import InvalidImportFile, SkuTaken, VersionMismatch
from modules.catalogue.events import ProductsImported
from modules.catalogue.models import (
    Category,
    Product,
    ProductStatus,
    Tag,
    product_tags,
    search_text,
)
from modules.catalogue.products import repository
from modules.catalogue.products.csv_records import Record, csv_records
from modules.catalogue.products.schemas import ImportReport, RejectedRow
from modules.catalogue.products.service import ProductFields, apply_changes
from modules.catalogue.tags import repository as tag_queries
from modules.catalogue.types import Description, Name, Price, Sku, Slug, Stock, TagSlugs

REQUIRED = ("sku", "name", "slug", "price", "category")
OPTIONAL = ("description", "stock", "status", "tags")
TAG_SEPARATOR = "|"
MAX_REPORTED_REJECTIONS = 1000

Progress = Callable[[ImportReport], None]


class ImportRow(BaseModel):
    """One CSV row, validated like the API's input; ``None`` is a column the file lacks."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sku: Sku
    name: Name
    slug: Slug
    price: Price
    category: Slug
    description: Description | None = None
    # A CSV cell is text, so the number is read from it (the JSON body's `Stock` is a number).
    stock: Annotated[Stock, Strict(False)] | None = None
    status: ProductStatus | None = None
    tags: TagSlugs | None = None

    @field_validator("price", mode="before")
    @classmethod
    def _strip_price(cls, value: object) -> object:
        # `str_strip_whitespace` strips the fields read as strings; the price is text as well.
        return value.strip() if isinstance(value, str) else value

    @field_validator("tags", mode="before")
    @classmethod
    def _split_tags(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(TAG_SEPARATOR) if part.strip()]
        return value


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    data: ImportRow


async def import_products(
    uow: UnitOfWork,
    *,
    chunks: AsyncIterable[bytes],
    batch_size: int,
    on_batch: Progress | None = None,
) -> ImportReport:
    """Returns the report of upserting every row of the CSV file read from ``chunks``.

    Shared by ``mosaic catalogue import`` and ``POST /catalogue/products/import``. Flushes each
    batch and then empties the session (``uow`` should hold nothing else), so memory stays flat;
    ``on_batch`` sees the report so far after each batch. Publishes one
    ``catalogue.products_imported`` with the counts, none per product.
    """
    report = ImportReport()
    records = csv_records(chunks)
    columns = await _header(records)
    first_line: dict[str, int] = {}  # SKU -> line, to refuse a SKU twice in one file
    slug_owner: dict[str, str] = {}  # slug -> SKU claimed in this file
    batch: list[_Row] = []
    async for record in records:
        row = _parse(record, columns, report)
        if row is None:
            continue
        line, sku, slug = row.line, row.data.sku, row.data.slug
        if sku in first_line:
            _reject(report, line, sku, f"SKU '{sku}' is already on line {first_line[sku]}")
            continue
        if slug_owner.get(slug, sku) != sku:
            _reject(report, line, sku, f"slug '{slug}' is already used by SKU '{slug_owner[slug]}'")
            continue
        first_line[sku], slug_owner[slug] = line, sku
        batch.append(row)
        if len(batch) >= batch_size:
            await _upsert(uow, batch, report)
            batch = []
            if on_batch is not None:
                on_batch(report)
    if batch:
        await _upsert(uow, batch, report)
    # A row is rejected when read, or when its batch meets the database: report by line.
    report.rejections.sort(key=lambda rejection: rejection.line)
    if on_batch is not None:
        on_batch(report)
    await uow.publish(ProductsImported(**report.as_counts()))
    return report


async def _upsert(uow: UnitOfWork, rows: list[_Row], report: ImportReport) -> None:
    session = uow.session
    existing = await repository.products_by_sku(session, skus={row.data.sku for row in rows})
    owners = await repository.product_slugs_taken(session, slugs={row.data.slug for row in rows})
    categories = await category_queries.categories_by_slug(
        session, slugs={row.data.category for row in rows}
    )
    tags = await tag_queries.tags_by_slug(
        session, slugs={slug for row in rows for slug in row.data.tags or ()}
    )
    new: list[tuple[ImportRow, Category, list[Tag]]] = []
    for row in rows:
        data = row.data
        category = categories.get(data.category)
        missing_tags = sorted({slug for slug in data.tags or () if slug not in tags})
        owner = owners.get(data.slug, data.sku)
        row_tags = [tags[s] for s in data.tags if s in tags] if data.tags is not None else None
        if category is None:
            _reject(report, row.line, data.sku, f"no category has the slug '{data.category}'")
        elif missing_tags:
            _reject(report, row.line, data.sku, f"no tag has the slug {', '.join(missing_tags)}")
        elif owner != data.sku:
            _reject(report, row.line, data.sku, f"slug '{data.slug}' belongs to SKU '{owner}'")
        elif (product := existing.get(data.sku)) is None:
            new.append((data, category, row_tags or []))
        elif apply_changes(product, ProductFields.of(data), category=category, tags=row_tags):
            report.updated += 1
        else:
            report.unchanged += 1
    try:
        await session.flush()  # one UPDATE per changed product, each checking its version
        await _insert(uow, new)
    except StaleDataError:
        raise VersionMismatch(
            "A product of the file changed while it was imported; nothing was imported. "
            "Run the import again."
        ) from None
    except IntegrityError:
        raise SkuTaken(
            "Another request took a SKU or slug of the file while it was imported; nothing "
            "was imported. Run the import again."
        ) from None
    report.created += len(new)
    session.expunge_all()


async def _insert(uow: UnitOfWork, new: list[tuple[ImportRow, Category, list[Tag]]]) -> None:
    """Inserts the batch's new products in one statement, then all their tag links in one."""
    if not new:
        return
    now = utcnow()
    values = [
        {
            "sku": data.sku,
            "slug": data.slug,
            "name": data.name,
            "description": data.description or "",
            "search_text": search_text(data.name, data.description or ""),
            "price": data.price,
            "stock": data.stock or 0,
            "status": (data.status or ProductStatus.DRAFT).value,
            "category_id": category.id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for data, category, _tags in new
    ]
    inserted = await uow.session.execute(insert(Product).returning(Product.id, Product.sku), values)
    ids = {sku: product_id for product_id, sku in inserted}
    links = [
        {"product_id": ids[data.sku], "tag_id": tag.id}
        for data, _category, tags in new
        for tag in tags
    ]
    if links:
        await uow.session.execute(insert(product_tags), links)


def _parse(record: Record, columns: list[str], report: ImportReport) -> _Row | None:
    line, values = record.line, record.fields
    if record.error is not None:
        _reject(report, line, None, record.error)
        return None
    if len(values) != len(columns):
        sku = dict(zip(columns, values, strict=False)).get("sku") or None
        _reject(report, line, sku, f"{len(values)} fields, but the header names {len(columns)}")
        return None
    raw = dict(zip(columns, values, strict=True))
    for column in ("description", "stock", "status", "tags"):
        if column in raw and not raw[column].strip():
            raw[column] = {"stock": "0", "status": ProductStatus.DRAFT.value}.get(column, "")
    try:
        return _Row(line, ImportRow.model_validate(raw))
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "row"
        _reject(report, line, raw.get("sku") or None, f"{where}: {error['msg']}")
        return None


def _reject(report: ImportReport, line: int, sku: str | None, reason: str) -> None:
    report.rejected += 1
    if len(report.rejections) < MAX_REPORTED_REJECTIONS:
        report.rejections.append(RejectedRow(line=line, sku=sku, reason=reason))


async def _header(records: AsyncIterator[Record]) -> list[str]:
    first = await anext(records, None)
    if first is None or first.error is not None:
        raise InvalidImportFile("The file needs a header line naming its columns.")
    columns = [column.strip().lower() for column in first.fields]
    unknown = [column for column in columns if column not in (*REQUIRED, *OPTIONAL)]
    missing = [column for column in REQUIRED if column not in columns]
    if unknown or missing or len(set(columns)) != len(columns):
        raise InvalidImportFile(
            f"The header must name each of {', '.join(REQUIRED)} once, and may name "
            f"{', '.join(OPTIONAL)}; it has {', '.join(columns) or 'nothing'}."
        )
    return columns
