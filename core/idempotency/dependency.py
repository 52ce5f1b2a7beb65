"""``Idempotent``: the route option that makes a POST safe to retry with an ``Idempotency-Key``."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import Depends, Header, Request, params

from core.auth.dependencies import authenticated
from core.auth.principal import Principal
from core.db.uow import UoW
from core.errors.openapi import REQUIRED_HEADERS, raises
from core.idempotency.claims import CLAIM, IdempotencyKeys
from core.idempotency.errors import (
    IdempotencyInFlight,
    IdempotencyKeyMalformed,
    IdempotencyKeyMissing,
    IdempotencyKeyReused,
    IdempotencyResponseLost,
)
from core.idempotency.header import HEADER, MAX_KEY_LENGTH, PATTERN, parse_key
from core.kernel.access import kernel_of

_DESCRIPTION = (
    "A key of your choice, unique per request you mean to make once (a UUID does), as a "
    'Structured Fields string (`"…"`, 1 to 255 characters; the bare value is accepted too). '
    "Sending the same request again with the same key replays the first response instead of "
    "executing it twice. Keys are scoped to the caller and kept at least 24 hours."
)


@raises(
    IdempotencyKeyMissing,
    IdempotencyKeyMalformed,
    IdempotencyKeyReused,
    IdempotencyInFlight,
    IdempotencyResponseLost,
)
async def _idempotent(
    request: Request,
    principal: Annotated[Principal, Depends(authenticated)],
    uow: UoW,
    # Optional for FastAPI so a missing key is our 400, not a validation 422; the OpenAPI
    # document still marks it required (REQUIRED_HEADERS below).
    # A malformed or over-long key is our 400 too: the document states the form (the schema
    # below) without FastAPI checking it.
    idempotency_key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            description=_DESCRIPTION,
            json_schema_extra={"minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": PATTERN},
        ),
    ] = None,
) -> None:
    if idempotency_key is None:
        raise IdempotencyKeyMissing(f"Send an {HEADER} header with this request.")
    key = parse_key(idempotency_key)
    if key is None:
        raise IdempotencyKeyMalformed()
    kernel = kernel_of(request)
    keys = IdempotencyKeys(kernel.database.sessionmaker, lease=kernel.settings.idempotency_lease)
    claim = await keys.claim(
        scope=principal.subject,
        key=key,
        route=f"{request.method} {request.scope['route'].path}",
        fingerprint=await _fingerprint(request),
    )
    # From here the response capture (core.idempotency.capture) owns the claim's end.
    request.scope[CLAIM] = (keys, claim)

    async def mark() -> None:
        await keys.mark_committed(uow.session, claim)

    uow.before_commit(mark)


async def _fingerprint(request: Request) -> str:
    """SHA-256 of what makes two requests the same one: method, path and query, media type,
    body."""
    digest = hashlib.sha256()
    content_type = request.headers.get("content-type", "").encode("latin-1")
    for part in (
        request.method.encode(),
        request.scope["raw_path"],
        request.scope["query_string"],
        content_type,
    ):
        digest.update(part)
        digest.update(b"\0")
    digest.update(await request.body())
    return digest.hexdigest()


setattr(_idempotent, REQUIRED_HEADERS, (HEADER,))

Idempotent: params.Depends = Depends(_idempotent)
"""Makes a route idempotent: ``@router.post("", dependencies=[Idempotent])``.

The route then requires an authenticated caller and an ``Idempotency-Key`` header (400 without
one); the same key with the same request replays the first response (status, body, Location…,
plus ``Idempotent-Replayed: true``) without running the route again; the same key with another
request is 422; while the first request runs, 409 with Retry-After.
"""
