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

    A module's models descend from the module's own base, a subclass of :class:`ModuleBase`.
    """

    metadata = new_metadata()


class ModuleBase(Base):
    """What a module's own declarative base subclasses: that base is abstract and has a metadata
    of its own, with the kernel's naming convention, which the module declares in its record
    (``Module(models=Base.metadata)``)::

        class Base(core.db.ModuleBase):
            '''Base of the catalogue module's tables, in a metadata of their own.'''

    Its tables are then the module's alone: its Alembic branch autogenerates from them only.
    """

    __abstract__ = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if ModuleBase in cls.__bases__:
            # Set before declarative sees the class: an abstract class is not mapped.
            cls.__abstract__ = True
            cls.metadata = new_metadata()
        super().__init_subclass__(**kwargs)


def relationship(*args: Any, lazy: Any = "raise", **kwargs: Any) -> Any:
    """``sqlalchemy.orm.relationship`` that refuses to lazy-load: every load is explicit.

    Touching an attribute that was not loaded with ``selectinload``/``joinedload`` raises instead
    of quietly issuing one query per row.
    """
    return _relationship(*args, lazy=lazy, **kwargs)
