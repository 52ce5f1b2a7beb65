"""The codes an idempotent route answers with when it does not run the request."""

from __future__ import annotations

from core.errors.exceptions import BadRequest, Conflict, UnprocessableContent


class IdempotencyKeyMissing(BadRequest):
    code = "core.idempotency_key_missing"
    title = "Idempotency-Key missing"
    description = (
        "This operation must be sent with an `Idempotency-Key` header, so that a retry of it "
        "is recognised instead of executed twice."
    )


class IdempotencyKeyMalformed(BadRequest):
    code = "core.idempotency_key_malformed"
    title = "Idempotency-Key malformed"
    description = (
        'The `Idempotency-Key` header is not a Structured Fields string (`"..."`) or token of '
        "1 to 255 printable ASCII characters."
    )


class IdempotencyKeyReused(UnprocessableContent):
    code = "core.idempotency_key_reused"
    title = "Idempotency-Key reused"
    description = (
        "This `Idempotency-Key` was already used by the caller for a different request (another "
        "operation, path or body); use a fresh key for a new request."
    )


class IdempotencyInFlight(Conflict):
    code = "core.idempotency_in_flight"
    title = "Request with this Idempotency-Key in progress"
    description = (
        "The first request sent with this `Idempotency-Key` is still being processed; retry after "
        "the seconds in Retry-After to receive its response."
    )


class IdempotencyResponseLost(Conflict):
    code = "core.idempotency_response_lost"
    title = "Response of this Idempotency-Key lost"
    description = (
        "The request sent with this `Idempotency-Key` was carried out, but the server stopped "
        "before it kept the response, so it cannot be replayed. The request will not be executed "
        "again with this key: read the resource it acted on."
    )


IDEMPOTENCY_ERRORS = (
    IdempotencyKeyMissing,
    IdempotencyKeyMalformed,
    IdempotencyKeyReused,
    IdempotencyInFlight,
    IdempotencyResponseLost,
)
