"""Input and output of the users module's API.

Inputs forbid unknown fields: a client sending ``roles``, ``is_active`` or ``id`` where it may not
set them gets a 422, never a silently ignored (or worse, honoured) value. A boolean is JSON's
``true`` or ``false``, as OpenAPI says, never ``0`` or ``"no"`` read as one (``StrictBool``).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool
from pydantic_core import PydanticCustomError

from core import Omittable, Page, Text, UtcDateTime
from modules.users.models import DISPLAY_NAME_MAX_LENGTH, EMAIL_MAX_LENGTH
from modules.users.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from modules.users.tokens import TOKEN_LENGTH, TOKEN_PATTERN

ROLE_MAX_LENGTH = 50
MAX_ROLES = 20
_SPECIAL_USE_DOMAINS = frozenset(SPECIAL_USE_DOMAIN_NAMES)


def normalize_email(value: str) -> str:
    """Returns the form an email is stored and compared in: stripped, checked as an address and
    lower-cased. Raises ``EmailNotValidError`` when ``value`` is not an email address.

    Any syntactically valid address is one (`format: email`), without looking its domain up, on
    a domain without a dot or a special-use one (``.test``, ``.local``, ``localhost``, …) too.
    email-validator refuses special-use domains whatever its options; as it tells them by their
    last label only, that label is checked as a neutral one of the same length (so every other
    rule, lengths included, applies unchanged) and put back.
    """
    address = value.strip()
    local_part, at, domain = address.rpartition("@")
    head, dot, last_label = domain.rpartition(".")
    special_use = last_label.lower() in _SPECIAL_USE_DOMAINS
    if special_use:
        address = f"{local_part}{at}{head}{dot}{'x' * len(last_label)}"
    checked = validate_email(address, check_deliverability=False, globally_deliverable=False)
    normalized = checked.normalized
    if special_use:
        normalized = normalized[: -len(last_label)] + last_label
    return normalized.lower()


def _email(value: str) -> str:
    try:
        return normalize_email(value)
    except EmailNotValidError as exc:
        raise PydanticCustomError(
            "value_error", "value is not a valid email address: {reason}", {"reason": str(exc)}
        ) from None


# An email address, stored and compared normalized (see `normalize_email`).
Email = Annotated[
    str,
    Field(max_length=EMAIL_MAX_LENGTH, json_schema_extra={"format": "email"}),
    AfterValidator(_email),
]
# Never stripped: every character of a password counts.
Password = Annotated[str, Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)]
DisplayName = Annotated[Text, Field(min_length=1, max_length=DISPLAY_NAME_MAX_LENGTH)]
Role = Annotated[Text, Field(min_length=1, max_length=ROLE_MAX_LENGTH)]


class UserCreate(BaseModel):
    """A registration: the account starts active, with no role."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    password: Password
    display_name: DisplayName | None = None


class UserUpdate(BaseModel):
    """What an account holder may change about themselves; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    email: Omittable[Email] = None
    display_name: DisplayName | None = Field(default=None, description="null clears it.")


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Annotated[str, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]
    new_password: Password


class UserAdminUpdate(BaseModel):
    """What an administrator may change about any account; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    roles: Omittable[Annotated[list[Role], Field(max_length=MAX_ROLES)]] = Field(
        default=None, description="Replaces the account's roles."
    )
    is_active: Omittable[StrictBool] = Field(
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
    email_verified: bool = Field(description="Whether the owner proved they read its email.")
    created_at: UtcDateTime
    updated_at: UtcDateTime


class UserPage(Page[UserRead]):
    pass


# Never stripped or normalized: a token is compared byte for byte.
MailedToken = Annotated[
    str, Field(min_length=TOKEN_LENGTH, max_length=TOKEN_LENGTH, pattern=TOKEN_PATTERN)
]


class EmailVerification(BaseModel):
    """The token of a verification link."""

    model_config = ConfigDict(extra="forbid")

    token: MailedToken


class MailRequest(BaseModel):
    """An address to mail a link to, if an account has it."""

    model_config = ConfigDict(extra="forbid")

    email: Email


class PasswordReset(BaseModel):
    """The token of a password reset link, and the account's new password."""

    model_config = ConfigDict(extra="forbid")

    token: MailedToken
    new_password: Password


class MailAccepted(BaseModel):
    """The answer to a mail request, the same whether or not an account has the address."""

    status: Literal["accepted"] = "accepted"
    detail: str
