"""Input and output of the users module's API.

Inputs forbid unknown fields: a client sending ``roles``, ``is_active`` or ``id`` where it may not
set them gets a 422, never a silently ignored (or worse, honoured) value.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
)
from pydantic.json_schema import SkipJsonSchema

from modules.users.models import DISPLAY_NAME_MAX_LENGTH, EMAIL_MAX_LENGTH
from modules.users.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

ROLE_MAX_LENGTH = 50
MAX_ROLES = 20
T = TypeVar("T")


def normalize_email(value: str) -> str:
    """Returns the form an email is stored and compared in: stripped and lower-cased."""
    return value.strip().lower()


def _in_utc(value: datetime) -> datetime:
    """SQLite keeps no time zone: its timestamps are UTC and come back naive."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Email = Annotated[EmailStr, Field(max_length=EMAIL_MAX_LENGTH), AfterValidator(normalize_email)]
# Never stripped: every character of a password counts.
Password = Annotated[str, Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)]
DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=DISPLAY_NAME_MAX_LENGTH)]
Role = Annotated[str, StringConstraints(min_length=1, max_length=ROLE_MAX_LENGTH)]


def _not_null(value: T) -> T:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


# For a field a PATCH may leave out but not set to null: OpenAPI shows it as not nullable, and
# the validator (run only on values actually sent) refuses an explicit null.
NotNull = AfterValidator(_not_null)
# A timestamp always answered with its offset, as RFC 3339 (`format: date-time`) requires.
UtcDatetime = Annotated[datetime, AfterValidator(_in_utc)]


class UserCreate(BaseModel):
    """A registration: the account starts active, with no role."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    password: Password
    display_name: DisplayName | None = None


class UserUpdate(BaseModel):
    """What an account holder may change about themselves; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[Email | SkipJsonSchema[None], NotNull] = None
    display_name: DisplayName | None = Field(default=None, description="null clears it.")


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Annotated[str, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]
    new_password: Password


class UserAdminUpdate(BaseModel):
    """What an administrator may change about any account; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    roles: Annotated[
        Annotated[list[Role], Field(max_length=MAX_ROLES)] | SkipJsonSchema[None], NotNull
    ] = Field(default=None, description="Replaces the account's roles.")
    is_active: Annotated[bool | SkipJsonSchema[None], NotNull] = Field(
        default=None, description="false deactivates the account and ends all its sessions."
    )
    display_name: DisplayName | None = Field(default=None, description="null clears it.")


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    display_name: str | None
    roles: list[str]
    is_active: bool
    created_at: UtcDatetime
    updated_at: UtcDatetime


class UserPage(BaseModel):
    items: list[UserRead]
    next: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )
