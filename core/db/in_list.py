"""``column`` equal to one of a list of values given as one parameter, whatever its length.

``column.in_(bindparam("ids", expanding=True))`` renders one placeholder per value on every
execution (``IN ($1, $2, … $50)``), so each length is another statement text to render, cache
and prepare. :func:`any_of` renders ``column = ANY($1::INTEGER[])`` on PostgreSQL, one array
parameter and the same text for any number of values, and the expanding ``IN`` elsewhere::

    select(Tag.slug).where(any_of(Tag.product_id, "product_ids"))  # {"product_ids": [1, 2]}
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, Boolean, ColumnElement, any_, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal


class _AnyOf(ColumnElement[bool]):
    __visit_name__ = "mosaic_any_of"
    # The column and the parameter's name are all that shape the SQL: the statement's cache key.
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("name", InternalTraversal.dp_string),
    ]
    type = Boolean()
    # A comparison, not a boolean column: no `= 1` where booleans are integers (SQLite).
    _is_implicitly_boolean = True

    def __init__(self, column: ColumnElement[Any], name: str) -> None:
        self.column = column
        self.name = name

    @property
    def _from_objects(self) -> list[Any]:
        return self.column._from_objects


def any_of(column: ColumnElement[Any] | QueryableAttribute[Any], name: str) -> ColumnElement[bool]:
    """Returns the condition that ``column`` (a column or a mapped attribute) equals one of the
    list passed as parameter ``name`` when the statement is executed."""
    return _AnyOf(column.expression, name)


@compiles(_AnyOf)
def _expanding_in(element: _AnyOf, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column.in_(bindparam(element.name, expanding=True)), **kw)


@compiles(_AnyOf, "postgresql")
def _equals_any(element: _AnyOf, compiler: SQLCompiler, **kw: Any) -> str:
    values = bindparam(element.name, type_=ARRAY(element.column.type))
    return compiler.process(element.column == any_(values), **kw)
