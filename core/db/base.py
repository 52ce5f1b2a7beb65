"""The declarative base every module's models descend from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import relationship as _relationship

# Deterministic constraint names, so migrations can drop and alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """Returns an empty ``MetaData`` with the kernel's naming convention, one per module."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    """Root of all mapped classes; they share one registry so relationships can resolve.

    A module declares its own abstract base with its own metadata, which it declares in
    its record (``Module(models=Base.metadata)``)::

        class Base(core.db.Base):
            __abstract__ = True
            metadata = core.db.new_metadata()
    """

    metadata = new_metadata()


def relationship(*args: Any, lazy: Any = "raise", **kwargs: Any) -> Any:
    """``sqlalchemy.orm.relationship`` that refuses to lazy-load: every load is explicit.

    Touching an attribute that was not loaded with ``selectinload``/``joinedload`` raises instead
    of quietly issuing one query per row.
    """
    return _relationship(*args, lazy=lazy, **kwargs)
