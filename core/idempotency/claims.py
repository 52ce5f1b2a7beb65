"""Claiming a key, and ending a claim: what the route's dependency and the response capture do.

A claim is written in a short transaction of its own, before the route runs: the unique
(scope, key) pair lets exactly one of concurrent requests win, and the others read what the
winner left (the same key for another request, still in flight, or a response to replay).
The winner's claim is marked ``committed`` in the request's own transaction, so a request's
writes and the record that they were made commit together or not at all; its response is stored
once produced. A request that does not commit gives its key back.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.responses import Response

from core.idempotency import records
from core.idempotency.errors import (
    IdempotencyInFlight,
    IdempotencyKeyReused,
    IdempotencyResponseLost,
)

# The response headers a replay repeats: what describes the representation and what it created.
# Per-request headers (X-Request-ID, Date, security headers) are the replaying request's own.
REPLAYED_HEADERS = frozenset(
    {"content-type", "content-location", "location", "etag", "last-modified"}
)
# Not in the draft; the name Stripe, Adyen and others use to mark a replayed response.
REPLAYED = "Idempotent-Replayed"
# Where a request's claim waits for its response, in the ASGI scope.
CLAIM = "mosaic.idempotency"
# How long a client waits before asking again about a request still in flight.
RETRY_AFTER = "1"


@dataclass(slots=True)
class Claim:
    """The key a request holds while it runs: its row, and the lease ``token`` proving it."""

    record_id: uuid.UUID
    token: str
    #: Set once the request's transaction marked the claim committed (the commit may still fail).
    marked: bool = False
    #: Set once the response was stored or the claim released.
    finished: bool = False


class Replay(Exception):
    """Raised instead of running a request whose key already has a response."""

    def __init__(self, response: Response) -> None:
        super().__init__("replayed")
        self.response = response


class IdempotencyKeys:
    """Claims and ends idempotency keys, each step in a short transaction of its own."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], *, lease: float) -> None:
        self._sessionmaker = sessionmaker
        self._lease = timedelta(seconds=lease)

    async def claim(self, *, scope: str, key: str, route: str, fingerprint: str) -> Claim:
        """Returns the claim of ``key`` for this request.

        Raises :class:`Replay` with the first response when the key already completed with
        the same request, :class:`IdempotencyKeyReused` (422) when it was used for another,
        :class:`IdempotencyInFlight` (409) while the first is running.
        """
        now = datetime.now(UTC)
        token = secrets.token_hex(16)
        record_id = uuid.uuid4()
        values: dict[str, object] = {
            "id": record_id,
            "scope": scope,
            "key": key,
            "route": route,
            "fingerprint": fingerprint,
            "state": records.IN_FLIGHT,
            "token": token,
            "lease_until": now + self._lease,
            "created_at": now,
        }
        async with self._sessionmaker() as session, session.begin():
            if await records.insert_claim(session, values):
                return Claim(record_id, token)
            row = await records.find(session, scope=scope, key=key)
            if row is None:  # released between the two statements: the key is free again
                raise IdempotencyInFlight(headers={"Retry-After": RETRY_AFTER})
            if row.fingerprint != fingerprint:
                raise IdempotencyKeyReused(
                    f"This Idempotency-Key was first sent with {row.route} and another body."
                )
            if row.state == records.COMPLETED:
                raise Replay(_replay(row))
            if _aware(row.lease_until) > now:
                raise IdempotencyInFlight(headers={"Retry-After": RETRY_AFTER})
            if row.state == records.COMMITTED:
                raise IdempotencyResponseLost()
            # The first request's worker stopped without committing or giving the key back.
            taken = await records.take_over(
                session,
                record_id=row.id,
                token=row.token,
                new_token=token,
                now=now,
                lease_until=now + self._lease,
            )
            if not taken:
                raise IdempotencyInFlight(headers={"Retry-After": RETRY_AFTER})
            return Claim(row.id, token)

    async def mark_committed(self, session: AsyncSession, claim: Claim) -> None:
        """Marks ``claim`` committed in the request's transaction ``session``; raises
        :class:`IdempotencyInFlight` (and so rolls the request back) when its lease ran out and
        another request took the key over meanwhile."""
        if not await records.mark_committed(session, record_id=claim.record_id, token=claim.token):
            raise IdempotencyInFlight(
                "This request outlived its claim on the Idempotency-Key, and a retry took it "
                "over; nothing was written.",
                headers={"Retry-After": RETRY_AFTER},
            )
        claim.marked = True

    async def finish(
        self, claim: Claim, *, status: int, headers: list[tuple[str, str]], body: bytes
    ) -> None:
        """Stores the response of a committed request; gives the key back otherwise."""
        claim.finished = True
        async with self._sessionmaker() as session, session.begin():
            if claim.marked:
                kept = [[name, value] for name, value in headers if name in REPLAYED_HEADERS]
                stored = await records.complete(
                    session,
                    record_id=claim.record_id,
                    token=claim.token,
                    status=status,
                    headers=json.dumps(kept),
                    body=body,
                )
                if stored:
                    return
            await records.release(session, record_id=claim.record_id, token=claim.token)

    async def release(self, claim: Claim) -> None:
        """Gives the key of a request that did not commit back (a committed one is kept)."""
        claim.finished = True
        async with self._sessionmaker() as session, session.begin():
            await records.release(session, record_id=claim.record_id, token=claim.token)


def _replay(row: Any) -> Response:
    response = Response(content=row.body, status_code=row.status)
    for name, value in json.loads(row.headers):
        response.headers.append(name, value)
    response.headers[REPLAYED] = "true"
    return response


def _aware(moment: datetime) -> datetime:
    # SQLite hands back the UTC moments it stored without their offset.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
