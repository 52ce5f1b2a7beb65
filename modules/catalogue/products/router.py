"""HTTP routes of products: browse, read, write and import. Parse, call the service, answer."""

from __future__ import annotations

import email.message
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from core import CURSOR_PATTERN, MAX_CURSOR_LENGTH, answer, body_limit
from core.db import UoW
from core.errors import InvalidCursor, UnsupportedMediaType, raises
from modules.catalogue.config import CatalogueSettings
from modules.catalogue.dependencies import Settings, Writer
from modules.catalogue.errors import (
    ImportTooLarge,
    InvalidImportFile,
    SkuTaken,
    SlugTaken,
    UnknownCategory,
    UnknownTag,
    VersionMismatch,
)
from modules.catalogue.products import importer, service
from modules.catalogue.products.cursor import Cursor, ProductSort
from modules.catalogue.products.dependencies import (
    MAX_ETAG_HEADER,
    ListingFilter,
    PageSize,
    ProductCursors,
    VisibleProduct,
    WritableProduct,
    etag_of,
    matches,
)
from modules.catalogue.products.schemas import (
    ImportReport,
    ProductCreate,
    ProductPage,
    ProductRead,
    ProductUpdate,
)

router = APIRouter(tags=["catalogue"])
CHUNK_SIZE = 64 * 1024
CSV_MEDIA_TYPES = ("text/csv", "multipart/form-data")
# The file is read as UTF-8, whether sent as the body or as the form's `file` field.
CSV_TEXT = "text/csv; charset=utf-8"


@router.get("/products", response_model=ProductPage, summary="Browse products")
@raises(InvalidCursor)
async def list_products(
    *,
    uow: UoW,
    settings: Settings,
    cursors: ProductCursors,
    where: ListingFilter,
    limit: PageSize,
    sort: Annotated[ProductSort, Query(description="`-` sorts descending.")] = ProductSort.NEWEST,
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_CURSOR_LENGTH,
            pattern=CURSOR_PATTERN,
            description="The `next` of the previous page, issued for the same `sort`.",
        ),
    ] = None,
) -> Response:
    """One page of products, in a stable order (the sort key, then the id). Callers without
    `catalogue:write` see active products only."""
    after = Cursor.decode(cursors, cursor, sort=sort) if cursor is not None else None
    items, following = await service.browse_products(
        uow, where=where, sort=sort, after=after, limit=limit, currency=settings.currency
    )
    next_cursor = following.encode(cursors) if following is not None else None
    return answer(ProductPage, {"items": items, "next": next_cursor})


@router.post(
    "/products",
    response_model=ProductRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a product",
)
@raises(SkuTaken, SlugTaken, UnknownCategory, UnknownTag)
async def create_product(
    body: ProductCreate,
    uow: UoW,
    settings: Settings,
    request: Request,
    response: Response,
    _writer: Writer,
) -> ProductRead:
    """Creates a product (a draft unless `status` says otherwise). Needs `catalogue:write`."""
    product = await service.create_product(uow, data=body)
    response.headers["ETag"] = etag_of(product)
    response.headers["Location"] = str(request.url_for("read_product", product_id=product.id))
    return ProductRead.of(product, currency=settings.currency)


@router.post(
    "/products/import",
    response_model=ImportReport,
    summary="Import products from CSV",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                CSV_TEXT: {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "contentMediaType": CSV_TEXT}},
                        "required": ["file"],
                        "additionalProperties": False,
                    },
                    "encoding": {"file": {"contentType": CSV_TEXT}},
                },
            },
        }
    },
)
@raises(InvalidImportFile, ImportTooLarge, UnsupportedMediaType, SkuTaken, VersionMismatch)
# The file may be far larger than MOSAIC_MAX_BODY_SIZE; a form's envelope comes on top of it.
@body_limit(CatalogueSettings, "import_max_bytes", envelope=CHUNK_SIZE)
async def import_products(
    request: Request, uow: UoW, settings: Settings, _writer: Writer
) -> ImportReport:
    """Creates or updates products by SKU from a UTF-8 CSV file (columns in the module's
    README), sent as `text/csv` (no other charset) or as the `file` field of a form. Each row is
    created, updated, left unchanged or rejected with its line and reason; a rejected row never
    stops the others. A product another request writes meanwhile stops the whole import (409 or
    412, nothing imported). Needs `catalogue:write`."""
    return await importer.import_products(
        uow,
        chunks=_upload(request, limit=settings.import_max_bytes),
        batch_size=settings.import_batch_size,
    )


@router.get(
    "/products/{product_id}",
    response_model=ProductRead,
    responses={304: {"description": "The product still has the `ETag` of `If-None-Match`."}},
    summary="Read a product",
)
async def read_product(
    product: VisibleProduct,
    if_none_match: Annotated[
        str | None,
        Header(
            max_length=MAX_ETAG_HEADER,
            description="Answer 304 without a body if the product still has this `ETag`.",
        ),
    ] = None,
) -> Response:
    """The product, with its `ETag`. Without `catalogue:write`, a product that is not active
    answers 404 as if it did not exist."""
    etag = etag_of(product)
    if matches(if_none_match, etag, weak=True):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return answer(ProductRead, product, headers={"ETag": etag})


@router.patch("/products/{product_id}", response_model=ProductRead, summary="Change a product")
@raises(SkuTaken, SlugTaken, UnknownCategory, UnknownTag)
async def update_product(
    product: WritableProduct,
    body: ProductUpdate,
    uow: UoW,
    settings: Settings,
    response: Response,
) -> ProductRead:
    """Changes the fields sent. With `If-Match`, only if the product is still at that `ETag`
    (412 otherwise). Needs `catalogue:write`."""
    product = await service.update_product(uow, product=product, changes=body)
    response.headers["ETag"] = etag_of(product)
    return ProductRead.of(product, currency=settings.currency)


@router.post(
    "/products/{product_id}/archive", response_model=ProductRead, summary="Archive a product"
)
async def archive_product(
    product: WritableProduct, uow: UoW, settings: Settings, response: Response
) -> ProductRead:
    """Archives the product: kept, but hidden from callers without `catalogue:write`."""
    product = await service.archive_product(uow, product=product)
    response.headers["ETag"] = etag_of(product)
    return ProductRead.of(product, currency=settings.currency)


@router.delete(
    "/products/{product_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a product"
)
async def delete_product(product: WritableProduct, uow: UoW) -> None:
    """Deletes the product (with `If-Match`, only at that `ETag`). Needs `catalogue:write`."""
    await service.delete_product(uow, product=product)


async def _upload(request: Request, *, limit: int) -> AsyncIterator[bytes]:
    """Yields the CSV file's bytes as they come, refusing more than ``limit`` of them."""
    media_type, charset = _media_type(request)
    if media_type not in CSV_MEDIA_TYPES or charset not in (None, "utf-8"):
        raise UnsupportedMediaType(
            f"Send the CSV file as {CSV_TEXT} or as the file of a multipart/form-data form."
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + CHUNK_SIZE:
        raise ImportTooLarge(f"The file is larger than {limit} bytes (import_max_bytes).")
    source = request.stream() if media_type == "text/csv" else _form_file(request)
    received = 0
    async for chunk in source:
        received += len(chunk)
        if received > limit:
            raise ImportTooLarge(f"The file is larger than {limit} bytes (import_max_bytes).")
        yield chunk


def _media_type(request: Request) -> tuple[str, str | None]:
    """Returns the request's media type and the charset it names, if any."""
    message = email.message.Message()
    message["content-type"] = request.headers.get("content-type", "")
    charset = message.get_param("charset")
    return message.get_content_type(), charset.lower() if isinstance(charset, str) else None


async def _form_file(request: Request) -> AsyncIterator[bytes]:
    try:
        form = await request.form(max_files=1, max_fields=1)
    except HTTPException as refused:
        # Starlette answers a form it will not parse (a second field or file, a part without a
        # name) with a bare 400; the import says what it takes instead, under its own code.
        raise InvalidImportFile(
            f"Send one form field, 'file', holding the CSV file ({refused.detail})"
        ) from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidImportFile("Send the CSV file in the form field 'file'.")
        while chunk := await upload.read(CHUNK_SIZE):
            yield chunk
    finally:
        await form.close()
