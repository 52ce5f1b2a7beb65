"""Errors of the orders module, each bound to a stable code::

MosaicError
 ├── Forbidden (403)
 │    ├── NotACustomer              orders.not_a_customer
 │    ├── NotTheCustomer            orders.not_the_customer
 │    └── UserFilterForbidden       orders.user_filter_forbidden
 ├── NotFound (404)
 │    └── OrderNotFound             orders.order_not_found
 ├── Conflict (409)
 │    └── IllegalTransition         orders.illegal_transition
 ├── PreconditionFailed (412)
 │    └── VersionMismatch           orders.version_mismatch
 ├── PreconditionRequired (428)     orders.precondition_required
 └── UnprocessableContent (422)
      ├── EmptyOrder                orders.empty_order
      ├── TooManyLines              orders.too_many_lines
      ├── QuantityLimit             orders.quantity_limit
      ├── DuplicateLine             orders.duplicate_line
      ├── UnknownProduct            orders.unknown_product
      └── ProductUnavailable        orders.product_unavailable

A checkout short of stock answers the catalogue's ``catalogue.out_of_stock`` (409), and the
listing's foreign cursor the kernel's ``core.invalid_cursor`` (400).
"""

from __future__ import annotations

from core.errors import (
    Conflict,
    Forbidden,
    MosaicError,
    NotFound,
    PreconditionFailed,
    UnprocessableContent,
)


class NotACustomer(Forbidden):
    code = "orders.not_a_customer"
    title = "Not a customer"
    description = "Only an active account of the users module places orders."


class NotTheCustomer(Forbidden):
    code = "orders.not_the_customer"
    title = "Not the customer"
    description = "Only the customer who placed the order pays it."


class UserFilterForbidden(Forbidden):
    code = "orders.user_filter_forbidden"
    title = "User filter forbidden"
    description = "Only callers with `orders:manage` may list the orders of a given customer."


class OrderNotFound(NotFound):
    code = "orders.order_not_found"
    title = "Order not found"
    description = "No order has this id, or the caller may not see it."


class IllegalTransition(Conflict):
    code = "orders.illegal_transition"
    title = "Illegal transition"
    description = (
        "The order's current state (`state` in the problem) does not allow this action: only "
        "a pending order is paid or cancelled, a paid one fulfilled, a paid or fulfilled one "
        "refunded."
    )


class VersionMismatch(PreconditionFailed):
    code = "orders.version_mismatch"
    title = "Version mismatch"
    description = "The order changed since the version named in `If-Match`; read it again."


class PreconditionRequired(MosaicError):
    status = 428
    code = "orders.precondition_required"
    title = "Precondition required"
    description = (
        "Changing an order's state needs `If-Match` with the order's current `ETag`, so that "
        "two actions on one order never both apply (RFC 6585)."
    )


class EmptyOrder(UnprocessableContent):
    code = "orders.empty_order"
    title = "Empty order"
    description = "An order needs at least one line."


class TooManyLines(UnprocessableContent):
    code = "orders.too_many_lines"
    title = "Too many lines"
    description = "The order has more lines than the deployment allows (`max_lines`)."


class QuantityLimit(UnprocessableContent):
    code = "orders.quantity_limit"
    title = "Quantity over the limit"
    description = "A line asks for more units than the deployment allows (`max_quantity`)."


class DuplicateLine(UnprocessableContent):
    code = "orders.duplicate_line"
    title = "Duplicate line"
    description = "Two lines name the same product (by id or SKU); order it once, with the sum."


class UnknownProduct(UnprocessableContent):
    code = "orders.unknown_product"
    title = "Unknown product"
    description = "A line names a product id or SKU the catalogue does not have."


class ProductUnavailable(UnprocessableContent):
    code = "orders.product_unavailable"
    title = "Product unavailable"
    description = "A line names a product the catalogue does not offer (a draft or archived one)."


ERRORS: tuple[type[MosaicError], ...] = (
    NotACustomer,
    NotTheCustomer,
    UserFilterForbidden,
    OrderNotFound,
    IllegalTransition,
    VersionMismatch,
    PreconditionRequired,
    EmptyOrder,
    TooManyLines,
    QuantityLimit,
    DuplicateLine,
    UnknownProduct,
    ProductUnavailable,
)
