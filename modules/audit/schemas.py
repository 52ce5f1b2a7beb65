"""What the audit listing answers."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core import Page, UtcDateTime


class EntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: uuid.UUID
    event_type: str = Field(description="The versioned event type, e.g. `users.deleted.v1`.")
    module: str = Field(description="The module that published the event.")
    actor: str | None = Field(description="The subject of the token that caused it, if any.")
    request_id: str | None = Field(description="The `X-Request-ID` of the request, if any.")
    occurred_at: UtcDateTime
    payload: dict[str, Any]


class EntryPage(Page[EntryRead]):
    pass
