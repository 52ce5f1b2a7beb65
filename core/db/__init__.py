"""Persistence: the declarative base, the engine and the Unit of Work."""

from core.db.base import NAMING_CONVENTION, Base, new_metadata, relationship
from core.db.database import Database
from core.db.uow import UnitOfWork, UoW

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "Database",
    "UnitOfWork",
    "UoW",
    "new_metadata",
    "relationship",
]
