"""``greeter``: sends a welcome mail from its templates, for the mail tests."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from pydantic import BaseModel

from core import Module, hookimpl
from core.db import UoW

TEMPLATES = Path(__file__).parent / "mail"
router = APIRouter(prefix="/greeter", tags=["greeter"])


class Welcome(BaseModel):
    to: str
    name: str
    #: Left out, the template misses a variable.
    link: str | None = None
    #: Fail the request after sending: the Unit of Work rolls back.
    then_fail: bool = False


class Sent(BaseModel):
    message_id: str


@router.post("/welcome", status_code=202)
async def welcome(body: Welcome, uow: UoW) -> Sent:
    context: dict[str, object] = {"name": body.name}
    if body.link is not None:
        context["link"] = body.link
    message_id = await uow.send_mail(to=body.to, template="greeter/welcome", context=context)
    if body.then_fail:
        raise RuntimeError("the request fails after sending")
    return Sent(message_id=message_id)


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="greeter",
        version="0",
        description="Sends welcome mails, for the mail tests.",
        routers=[router],
        mail_templates=TEMPLATES,
    )
