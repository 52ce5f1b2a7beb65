"""Persistence: the declarative base, the engine and the Unit of Work."""

from core.db.base import NAMING_CONVENTION, Base, new_metadata, relationship
from core.db.database import Database
from core.db.locks import lock_for_writing, serialize
from core.db.uow import UnitOfWork, UoW

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "Database",
    "UnitOfWork",
    "UoW",
    "lock_for_writing",
    "new_metadata",
    "relationship",
    "serialize",
]
