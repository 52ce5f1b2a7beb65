"""Idempotency keys (draft-ietf-httpapi-idempotency-key-header) for the routes that opt in.

A module puts :data:`~core.idempotency.dependency.Idempotent` on a route (exported as
``core.Idempotent``); the kernel claims the caller's key before the route runs
(:mod:`core.idempotency.claims`), marks it committed with the request's writes, stores the
response (:mod:`core.idempotency.capture`) and prunes old keys (:mod:`core.idempotency.pruning`).
"""
