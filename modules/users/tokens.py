"""Single-use tokens mailed to an account's address: made, stored hashed, consumed once.

A token is 256 random bits (URL-safe text): nothing to sign, nothing to guess. Only its SHA-256
is stored, so the table leaks no usable token; a random token needs no salt or slow hash. It is
consumed with one conditional UPDATE … RETURNING, so of two concurrent uses exactly one wins, on
every database, and it stops working when it expires or when the account's email changes.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

from core import utcnow
from core.db import UnitOfWork
from modules.users import repository
from modules.users.models import AccountToken, User

Purpose = Literal["verify_email", "password_reset"]
VERIFY_EMAIL: Purpose = "verify_email"
PASSWORD_RESET: Purpose = "password_reset"  # noqa: S105 - a purpose, not a secret
TOKEN_BYTES = 32
TOKEN_LENGTH = 43  # 32 bytes in URL-safe base64, unpadded
TOKEN_PATTERN = r"^[A-Za-z0-9_-]+$"  # noqa: S105 - an alphabet, not a secret


@dataclass(frozen=True, slots=True)
class Consumed:
    """What a consumed token was for: the account, and the address it was mailed to."""

    user_id: uuid.UUID
    email: str


def token_hash(token: str) -> str:
    """Returns the stored form of ``token`` (hexadecimal SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


def link(page: str, token: str) -> str:
    """Returns the front end's ``page`` with ``token`` added to its query."""
    parts = urlsplit(page)
    query = "&".join(part for part in (parts.query, urlencode({"token": token})) if part)
    return urlunsplit(parts._replace(query=query))


async def issue(uow: UnitOfWork, *, user: User, purpose: Purpose, expires_at: datetime) -> str:
    """Returns a new token for ``purpose``, valid for ``user``'s current email until
    ``expires_at``; only its hash is written (flushed with the Unit of Work)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    uow.session.add(
        AccountToken(
            token_hash=token_hash(token),
            purpose=purpose,
            user_id=user.id,
            email=user.email,
            created_at=utcnow(),
            expires_at=expires_at,
        )
    )
    return token


async def consume(uow: UnitOfWork, *, token: str, purpose: Purpose) -> Consumed | None:
    """Marks the token used and returns what it was for, or ``None`` when it is unknown, of
    another purpose, expired or already used (then nothing changes)."""
    found = await repository.use_token(
        uow.session, token_hash=token_hash(token), purpose=purpose, now=utcnow()
    )
    return Consumed(*found) if found is not None else None
