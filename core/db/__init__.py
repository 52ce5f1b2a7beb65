"""Persistence: the declarative bases (:class:`ModuleBase`, which a module's own base subclasses),
the engine and the Unit of Work, and :func:`flush_or_raise`, which turns a write a constraint
refused into the module's error; :data:`AnyRow`, the type of the rows a read answers with, and
:func:`read_rows`, which reads them without the ORM; :func:`any_of`, a list of values as one
parameter."""

from core.db.base import NAMING_CONVENTION, Base, ModuleBase, new_metadata, relationship
from core.db.database import Database
from core.db.in_list import any_of
from core.db.integrity import flush_or_raise
from core.db.locks import lock_for_writing, serialize
from core.db.rows import AnyRow, read_rows
from core.db.uow import UnitOfWork, UoW

__all__ = [
    "NAMING_CONVENTION",
    "AnyRow",
    "Base",
    "Database",
    "ModuleBase",
    "UnitOfWork",
    "UoW",
    "any_of",
    "flush_or_raise",
    "lock_for_writing",
    "new_metadata",
    "read_rows",
    "relationship",
    "serialize",
]
