from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from core import module_settings
from core.db import UoW
from core.errors import raises
from tests.fixture_modules.notes import service
from tests.fixture_modules.notes.config import NotesSettings
from tests.fixture_modules.notes.errors import NoteNotFound, NoteRejected
from tests.fixture_modules.notes.models import Note

router = APIRouter(prefix="/notes", tags=["notes"])
Settings = Annotated[NotesSettings, Depends(module_settings(NotesSettings))]


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=200)


class NoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str


class Count(BaseModel):
    count: int


class Slept(BaseModel):
    seconds: float


@raises(NoteRejected)
async def refuse_when_asked(refuse: bool = False) -> None:
    if refuse:
        raise NoteRejected("refused by a dependency")


@router.post("", response_model=NoteRead, status_code=status.HTTP_201_CREATED)
async def create(
    body: NoteCreate,
    uow: UoW,
    settings: Settings,
    _: Annotated[None, Depends(refuse_when_asked)],
) -> Note:
    return await service.create_note(uow, text=body.text[: settings.max_length])


@router.post("/write-then-fail", response_model=NoteRead, status_code=201)
@raises(NoteRejected)
async def write_then_fail(body: NoteCreate, uow: UoW) -> Note:
    return await service.create_note(uow, text=body.text, fail_after_write=True)


@router.post("/write-then-crash", response_model=NoteRead, status_code=201)
async def write_then_crash(body: NoteCreate, uow: UoW) -> Note:
    await service.create_note(uow, text=body.text)
    raise RuntimeError("secret detail: password=hunter2 SELECT * FROM notes_notes")


@router.get("/count", response_model=Count)
async def count(uow: UoW) -> Count:
    total = await uow.session.scalar(select(func.count()).select_from(Note))
    return Count(count=total or 0)


@router.get("/settings", response_model=NotesSettings)
async def read_settings(settings: Settings) -> NotesSettings:
    return settings


@router.get("/teapot", response_model=Count)
async def teapot() -> Count:
    raise HTTPException(status_code=418, detail="I am a teapot", headers={"X-Brew": "tea"})


@router.get("/throttled", response_model=Count)
async def throttled() -> Count:
    raise HTTPException(status_code=429, headers={"Retry-After": "7"})


@router.post("/form", response_model=Count)
async def form(text: Annotated[str, Form(min_length=1)]) -> Count:
    return Count(count=len(text))


@router.post("/too-large", status_code=204)
async def too_large() -> None:
    raise HTTPException(status_code=413)


@router.get("/slow", response_model=Slept)
async def slow(seconds: Annotated[float, Query(ge=0, le=10)] = 1) -> Slept:
    """Answers after ``seconds``: a request still in flight when the server is told to stop."""
    await asyncio.sleep(seconds)
    return Slept(seconds=seconds)


@router.get("/{note_id}", response_model=NoteRead)
@raises(NoteNotFound)
async def read(note_id: int, uow: UoW) -> Note:
    return await service.get_note(uow, note_id=note_id)


@router.delete("/{note_id}", status_code=204)
@raises(NoteNotFound)
async def delete(note_id: int, uow: UoW) -> None:
    await uow.session.delete(await service.get_note(uow, note_id=note_id))
