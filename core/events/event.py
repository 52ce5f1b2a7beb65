"""Domain events: what a module announces happened, as a versioned, documented Pydantic model.

A module declares its event types in its record (``Module(events=[...])``)::

    class PasswordChanged(Event):
        \"\"\"An account's password was changed by its owner or an administrator.\"\"\"

        event_name = "users.password_changed"
        event_version = 1

        user_id: uuid.UUID

Its full type, ``users.password_changed.v1``, names it in the publication registry, in the audit
trail and as the routing key on the broker. A change that breaks readers is a new version (a new
class), so publications written by the old code can still be read.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

# `<module>.<snake_case>`: the module that owns the event, then what happened.
EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}\.[a-z][a-z0-9_]{0,79}$")


class Event(BaseModel):
    """Base of every event type. Subclasses set ``event_name`` and ``event_version`` (class
    variables, prefixed so they never collide with a field) and declare their fields.

    ``event_external = True`` also sends the event to the message broker when one is configured.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_name: ClassVar[str]
    event_version: ClassVar[int] = 1
    event_external: ClassVar[bool] = False

    @classmethod
    def event_type(cls) -> str:
        """The versioned type, e.g. ``users.password_changed.v1``."""
        return f"{cls.event_name}.v{cls.event_version}"

    @classmethod
    def event_module(cls) -> str:
        """The module that owns (and alone publishes) this event type."""
        return cls.event_name.partition(".")[0]


@dataclass(frozen=True, slots=True)
class Envelope:
    """An event as it travels: its payload and when, where and by whom it was published."""

    id: uuid.UUID
    type: str
    module: str
    occurred_at: datetime
    payload: str
    request_id: str | None = None
    actor: str | None = None

    @classmethod
    def wrap(cls, event: Event, *, request_id: str | None, actor: str | None) -> Envelope:
        """Returns a new envelope for ``event``, stamped now."""
        return cls(
            id=uuid.uuid4(),
            type=event.event_type(),
            module=event.event_module(),
            occurred_at=datetime.now(UTC),
            payload=event.model_dump_json(),
            request_id=request_id,
            actor=actor,
        )
