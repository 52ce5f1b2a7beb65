"""Persistence: the declarative bases (:class:`ModuleBase`, which a module's own base subclasses),
the engine and the Unit of Work, and :func:`flush_or_raise`, which turns a write a constraint
refused into the module's error; :data:`AnyRow`, the type of the rows a read answers with."""

from core.db.base import NAMING_CONVENTION, Base, ModuleBase, new_metadata, relationship
from core.db.database import Database
from core.db.integrity import flush_or_raise
from core.db.locks import lock_for_writing, serialize
from core.db.rows import AnyRow
from core.db.uow import UnitOfWork, UoW

__all__ = [
    "NAMING_CONVENTION",
    "AnyRow",
    "Base",
    "Database",
    "ModuleBase",
    "UnitOfWork",
    "UoW",
    "flush_or_raise",
    "lock_for_writing",
    "new_metadata",
    "relationship",
    "serialize",
]
