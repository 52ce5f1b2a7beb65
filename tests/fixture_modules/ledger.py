"""A module whose writes are idempotent: notes created through ``core.Idempotent`` routes.

``CONTROL`` lets a test hold a request inside its route (``gate``) or make the next request fail
once after writing (``fail_next``), to see what a retry with the same key then gets.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, ConfigDict, Field

from core import Idempotent
from core.db import UoW
from core.errors import raises
from tests.fixture_modules.factory import make_plugin
from tests.fixture_modules.notes import service
from tests.fixture_modules.notes.errors import NoteRejected
from tests.fixture_modules.notes.models import Note


@dataclass
class Control:
    #: When set, a request to /held waits for it after announcing itself in ``entered``.
    gate: asyncio.Event | None = None
    entered: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    #: "reject" (a 409 that rolls back) or "crash" (a 500), once, after the write.
    fail_next: str | None = None
    runs: int = 0


CONTROL = Control()
router = APIRouter(prefix="/ledger", tags=["ledger"])


class EntryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=200)


class EntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str


async def _create(uow: UoW, response: Response, text: str) -> Note:
    CONTROL.runs += 1
    note = await service.create_note(uow, text=text)
    response.headers["Location"] = f"/api/v1/notes/{note.id}"
    failure, CONTROL.fail_next = CONTROL.fail_next, None
    if failure == "reject":
        raise NoteRejected("written, then refused")
    if failure == "crash":
        raise RuntimeError("written, then crashed")
    return note


@router.post(
    "/entries",
    response_model=EntryRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Idempotent],
)
@raises(NoteRejected)
async def create(body: EntryCreate, uow: UoW, response: Response) -> Note:
    return await _create(uow, response, body.text)


@router.post(
    "/held",
    response_model=EntryRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Idempotent],
)
@raises(NoteRejected)
async def create_held(body: EntryCreate, uow: UoW, response: Response) -> Note:
    if CONTROL.gate is not None:
        await CONTROL.entered.put(body.text)
        await CONTROL.gate.wait()
    return await _create(uow, response, body.text)


ledger = make_plugin("ledger", depends_on=["notes"], routers=[router])
