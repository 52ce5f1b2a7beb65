"""What a module declares to appear in the admin console: :class:`AdminView`.

The declaration names no admin library. The kernel maps it onto the one it mounts
(:mod:`core.admin.console`), so a module written against it keeps working if that changes::

    AdminView(
        model=Product,
        permission="catalogue:write",
        columns=("id", "sku", "name", "price", "status"),
        searchable=("sku", "name"),
        filters=("status",),
        editable=("name", "price", "status"),
        save=save_product,
        version="version",
    )

A view without ``save`` (or without ``editable`` fields) is read-only: the console never writes a
model itself, so every write goes through the module's service layer and keeps the invariants
its API keeps.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from core.auth.principal import Principal
from core.db.uow import UnitOfWork


class AdminSave(Protocol):
    """Writes one edit made in the console, through the module's services.

    ``pk`` is the edited row's primary key as text, ``values`` the submitted editable fields
    (already converted to the columns' Python types). The kernel opens the Unit of Work (its
    ``actor`` set to ``principal.subject``) and commits it; a :class:`~core.errors.MosaicError`
    raised here is shown to the person editing, and nothing is written.
    """

    def __call__(
        self,
        uow: UnitOfWork,
        *,
        pk: str,
        values: Mapping[str, Any],
        principal: Principal,
    ) -> Awaitable[None]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class AdminView:
    """One of a module's models as the console lists, searches, filters and edits it."""

    model: type[Any]
    """An ORM class mapped to one of the module's own tables."""
    permission: str
    """The permission a signed-in person needs to see these pages (one the module declares)."""
    columns: Sequence[str]
    """Attribute names listed, in order; also the only ones the detail page shows."""
    label: str = ""
    """The menu name (default: the table name without the module prefix, capitalised)."""
    searchable: Sequence[str] = ()
    """Text columns the search box matches."""
    filters: Sequence[str] = ()
    """Columns the list can be narrowed by (their distinct values are offered)."""
    editable: Sequence[str] = ()
    """Columns the edit form shows; ignored without :attr:`save`."""
    save: AdminSave | None = None
    """How an edit is written; ``None`` makes the view read-only."""
    version: str | None = None
    """The column holding the row's version (its ETag's), if it has one: the edit form carries
    the version it was opened at, and an edit made from a page the row changed since is refused
    instead of overwriting the newer change."""

    @property
    def table(self) -> str:
        """The name of the model's table."""
        return str(self.model.__table__.name)

    @property
    def writable(self) -> bool:
        """Whether the console offers an edit form."""
        return self.save is not None and bool(self.editable)
