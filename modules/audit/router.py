"""HTTP routes of the audit module: the trail, for administrators (``audit:read``)."""

from __future__ import annotations

from fastapi import APIRouter

from core.auth import require
from core.db import UoW
from modules.audit import service
from modules.audit.dependencies import Cursors, Filters, PagePosition, PageSize, encode_cursor
from modules.audit.repository import Position
from modules.audit.schemas import EntryPage, EntryRead

READ = "audit:read"
router = APIRouter(prefix="/audit", tags=["audit"])


@router.get(
    "/entries",
    response_model=EntryPage,
    dependencies=[require(READ)],
    summary="List audit entries",
)
async def list_entries(
    *,
    uow: UoW,
    cursors: Cursors,
    limit: PageSize,
    after: PagePosition,
    where: Filters,
) -> EntryPage:
    """Every event the modules published, newest first, with who caused it, when and from which
    request; filtered by actor, module, type and time range. A `cursor` that is not the `next`
    of an earlier page is 400 `core.invalid_cursor`."""
    entries = await service.list_entries(uow, where=where, after=after, limit=limit + 1)
    return EntryPage.of(
        entries,
        size=limit,
        item=EntryRead.model_validate,
        cursor=lambda last: encode_cursor(cursors, Position(last.occurred_at, last.id)),
    )
