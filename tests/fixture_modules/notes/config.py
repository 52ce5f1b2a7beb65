from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class NotesSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_length: int = Field(default=100, ge=1)
    greeting: str = "hello"
