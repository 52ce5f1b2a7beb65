"""Errors of the catalogue module, each bound to a stable code::

MosaicError
 ├── BadRequest (400)
 │    └── InvalidImportFile         catalogue.invalid_import_file
 ├── Forbidden (403)
 │    └── StatusFilterForbidden     catalogue.status_filter_forbidden
 ├── NotFound (404)
 │    ├── ProductNotFound           catalogue.product_not_found
 │    ├── CategoryNotFound          catalogue.category_not_found
 │    └── TagNotFound               catalogue.tag_not_found
 ├── Conflict (409)
 │    ├── SkuTaken                  catalogue.sku_taken
 │    ├── SlugTaken                 catalogue.slug_taken
 │    ├── OutOfStock                catalogue.out_of_stock
 │    ├── CategoryNotEmpty          catalogue.category_not_empty
 │    └── CategoryCycle             catalogue.category_cycle
 ├── PreconditionFailed (412)
 │    └── VersionMismatch           catalogue.version_mismatch
 ├── ImportTooLarge (413)           catalogue.import_too_large
 ├── UnprocessableContent (422)
 │    ├── UnknownCategory           catalogue.unknown_category
 │    └── UnknownTag                catalogue.unknown_tag
 └── CategoryTreeCorrupt (500)      catalogue.category_tree_corrupt

The product listing refuses a foreign cursor, or one issued for another sort order, with the
kernel's ``core.invalid_cursor`` (400).
"""

from __future__ import annotations

from core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    MosaicError,
    NotFound,
    PreconditionFailed,
    UnprocessableContent,
)


class InvalidImportFile(BadRequest):
    code = "catalogue.invalid_import_file"
    title = "Invalid import file"
    description = (
        "The CSV file cannot be read: it is not UTF-8, or its header lacks a required column "
        "or names an unknown one. No row was imported."
    )


class StatusFilterForbidden(Forbidden):
    code = "catalogue.status_filter_forbidden"
    title = "Status filter forbidden"
    description = "Only callers with `catalogue:write` may list products that are not active."


class ProductNotFound(NotFound):
    code = "catalogue.product_not_found"
    title = "Product not found"
    description = "No product has this id or SKU, or the caller may not see it."


class CategoryNotFound(NotFound):
    code = "catalogue.category_not_found"
    title = "Category not found"
    description = "No category has this id."


class TagNotFound(NotFound):
    code = "catalogue.tag_not_found"
    title = "Tag not found"
    description = "No tag has this slug."


class SkuTaken(Conflict):
    code = "catalogue.sku_taken"
    title = "SKU taken"
    description = "Another product already has this SKU."


class SlugTaken(Conflict):
    code = "catalogue.slug_taken"
    title = "Slug taken"
    description = "Another product, category or tag of the same kind already has this slug."


class OutOfStock(Conflict):
    code = "catalogue.out_of_stock"
    title = "Out of stock"
    description = "The product has fewer units in stock than were asked for; nothing was reserved."


class CategoryNotEmpty(Conflict):
    code = "catalogue.category_not_empty"
    title = "Category not empty"
    description = "The category still holds products or sub-categories; move or delete them first."


class CategoryCycle(Conflict):
    code = "catalogue.category_cycle"
    title = "Category cycle"
    description = "A category cannot be moved under itself or under one of its descendants."


class VersionMismatch(PreconditionFailed):
    code = "catalogue.version_mismatch"
    title = "Version mismatch"
    description = (
        "The product changed since the version named in `If-Match`; read it again and retry."
    )


class ImportTooLarge(MosaicError):
    status = 413
    code = "catalogue.import_too_large"
    title = "Import file too large"
    description = "The CSV file exceeds the size the catalogue accepts (`import_max_bytes`)."


class UnknownCategory(UnprocessableContent):
    code = "catalogue.unknown_category"
    title = "Unknown category"
    description = "The category the input refers to does not exist."


class UnknownTag(UnprocessableContent):
    code = "catalogue.unknown_tag"
    title = "Unknown tag"
    description = "A tag slug the input refers to does not exist; create the tag first."


class CategoryTreeCorrupt(MosaicError):
    # 500, not 409: the request is fine, the stored tree is not, and only a writer can repair it.
    code = "catalogue.category_tree_corrupt"
    title = "Category tree corrupt"
    description = (
        "Some categories are each other's ancestors (written to the database past the API's "
        "checks), so they have no breadcrumb and no place in the tree; `cycle` lists their ids. "
        "The flat list still shows them; moving one of them to the top level repairs the tree."
    )


ERRORS: tuple[type[MosaicError], ...] = (
    InvalidImportFile,
    StatusFilterForbidden,
    ProductNotFound,
    CategoryNotFound,
    TagNotFound,
    SkuTaken,
    SlugTaken,
    OutOfStock,
    CategoryNotEmpty,
    CategoryCycle,
    VersionMismatch,
    ImportTooLarge,
    UnknownCategory,
    UnknownTag,
    CategoryTreeCorrupt,
)
