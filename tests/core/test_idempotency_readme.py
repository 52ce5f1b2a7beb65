"""The README's idempotent route, run as written in a module of its own."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from core.db import UnitOfWork
from core.testing.auth import static_auth_plugin
from tests.core.installed import ROOT
from tests.core.test_problem_details import assert_problem
from tests.fixture_modules.factory import make_plugin
from tests.fixture_modules.notes import service as notes_service
from tests.fixture_modules.notes.models import Note

SECTION = "### Idempotent routes (`Idempotency-Key`)"


class LabelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str


class LabelRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str


async def create_label(uow: UnitOfWork, *, data: LabelCreate) -> Note:
    return await notes_service.create_note(uow, text=data.text)


def readme_router() -> APIRouter:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index(SECTION) :]
    block = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert block is not None
    router = APIRouter(prefix="/shipping")
    namespace: dict[str, Any] = {
        "router": router,
        "LabelCreate": LabelCreate,
        "LabelRead": LabelRead,
        "Label": Note,
        "service": SimpleNamespace(create_label=create_label),
    }
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    return router


async def test_the_readme_route_replays_a_retry(mosaic_app, mosaic_client, mosaic_token, notes):
    router = readme_router()
    shipping = make_plugin("shipping", depends_on=["notes"], routers=[router])
    app = await mosaic_app({"notes": notes, "shipping": shipping, "testauth": static_auth_plugin()})
    client = await mosaic_client(app)
    client.headers["Authorization"] = f"Bearer {await mosaic_token(app)}"
    key = {"Idempotency-Key": '"8e03978e-40d5-43e8-bc93-6894a57f9324"'}

    first = await client.post("/api/v1/shipping/labels", json={"text": "parcel"}, headers=key)
    again = await client.post("/api/v1/shipping/labels", json={"text": "parcel"}, headers=key)
    other = await client.post("/api/v1/shipping/labels", json={"text": "other"}, headers=key)
    missing = await client.post("/api/v1/shipping/labels", json={"text": "parcel"})

    assert first.status_code == 201, first.text
    assert first.headers["location"] == f"/api/v1/shipping/labels/{first.json()['id']}"
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    await assert_problem(client, other, 422, "core.idempotency_key_reused")
    await assert_problem(client, missing, 400, "core.idempotency_key_missing")
