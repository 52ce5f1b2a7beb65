"""The console as an OAuth2 client of its own service: password and refresh grants and sign-out,
in process.

The kernel knows no user store; the module that registers the authenticator owns the token
endpoint (``Authenticator.token_url``). Asking that endpoint, through the whole application and
its middleware, checks a console sign-in exactly as an API login is checked: same password rules,
same throttling per account and client address, same session records to revoke.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.types import ASGIApp, Message

# The headers of the console's request the token endpoint reads (Host for the trusted-host check,
# the forwarded address when behind a proxy, the request id for the log).
_FORWARDED = frozenset({b"host", b"x-forwarded-for", b"x-forwarded-proto", b"x-request-id"})


@dataclass(frozen=True, slots=True)
class Tokens:
    """The token pair the endpoint answered."""

    access: str
    refresh: str


@dataclass(frozen=True, slots=True)
class GrantRefused:
    """The endpoint's refusal: its status and the problem's ``detail``."""

    status: int
    detail: str


async def grant(
    app: ASGIApp, request: Request, token_url: str, form: dict[str, str]
) -> Tokens | GrantRefused:
    """Returns the token pair ``token_url`` answers to ``form``, asked on behalf of ``request``."""
    body = urlencode(form).encode()
    status, answer = await _ask(
        app, request, token_url, body, [(b"content-type", b"application/x-www-form-urlencoded")]
    )
    if status == 200 and isinstance(answer, dict) and "access_token" in answer:
        return Tokens(access=answer["access_token"], refresh=answer.get("refresh_token", ""))
    detail = answer.get("detail") if isinstance(answer, dict) else None
    return GrantRefused(status, str(detail or "The sign-in was refused."))


async def end_session(app: ASGIApp, request: Request, logout_url: str, access: str) -> bool:
    """Ends the session of ``access`` at ``logout_url``; whether the endpoint agreed."""
    status, _ = await _ask(
        app, request, logout_url, b"", [(b"authorization", f"Bearer {access}".encode())]
    )
    return status == 204


async def _ask(
    app: ASGIApp, request: Request, path: str, body: bytes, headers: list[tuple[bytes, bytes]]
) -> tuple[int, Any]:
    """POSTs ``body`` to ``path`` of ``app`` in process; the status and the decoded JSON answer."""
    headers = [(k, v) for k, v in request.scope["headers"] if k in _FORWARDED] + headers
    headers.append((b"content-length", str(len(body)).encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": request.scope.get("scheme", "http"),
        "server": request.scope.get("server"),
        "client": request.scope.get("client"),
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "state": {},
    }
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status = 500
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    try:
        return status, json.loads(b"".join(chunks))
    except ValueError:
        return status, None
