"""HTTP routes of the audit module: the trail, for administrators (``audit:read``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from core import PlainInteger
from core.auth import require
from core.db import UoW
from modules.audit import service
from modules.audit.dependencies import Cursors, Filters, PagePosition, encode_cursor
from modules.audit.repository import Position
from modules.audit.schemas import EntryPage, EntryRead

READ = "audit:read"
MAX_PAGE_SIZE = 200
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
    after: PagePosition,
    where: Filters,
    limit: Annotated[
        int,
        Query(ge=1, le=MAX_PAGE_SIZE, description="Page size, at most 200."),
        PlainInteger,
    ] = 50,
) -> EntryPage:
    """Every event the modules published, newest first, with who caused it, when and from which
    request; filtered by actor, module, type and time range. A `cursor` that is not the `next`
    of an earlier page is 400 `audit.invalid_cursor`."""
    entries = await service.list_entries(uow, where=where, after=after, limit=limit + 1)
    page = entries[:limit]
    last = page[-1] if len(entries) > limit else None
    return EntryPage(
        items=[EntryRead.model_validate(entry) for entry in page],
        next=encode_cursor(cursors, Position(last.occurred_at, last.id)) if last else None,
    )
