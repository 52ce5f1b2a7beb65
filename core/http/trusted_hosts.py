"""Answering only for the host names the service is meant to be reached by."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from core.errors.kernel_errors import UntrustedHost
from core.errors.problem import send_problem

# Probes and scrapers reach a replica by its address, not by the public name; these answers
# embed no host, so they are served whatever the Host header says.
UNCHECKED_PREFIX = "/health/"
UNCHECKED_PATHS = frozenset({"/metrics"})


class TrustedHostMiddleware:
    """Refuses a request whose ``Host`` matches none of ``allowed_hosts`` with 400
    ``core.untrusted_host``.

    Patterns are Starlette's: a host name, ``*.example.com`` for its subdomains, or ``*`` for
    any host. Unlike Starlette's middleware it answers a problem document, never redirects, and
    the problem does not echo the untrusted host.
    """

    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed_hosts = tuple(host.lower() for host in allowed_hosts)
        self.allow_any = "*" in self.allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.allow_any
            or scope["type"] not in ("http", "websocket")
            or scope["path"].startswith(UNCHECKED_PREFIX)
            or scope["path"] in UNCHECKED_PATHS
            or self._is_allowed(Headers(scope=scope).get("host", ""))
        ):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":  # Closing before accepting refuses the handshake (403).
            await send({"type": "websocket.close", "code": 1008})
            return
        # The problem's links are built from the Host header: use the listening address instead.
        headers = [(name, value) for name, value in scope["headers"] if name != b"host"]
        await send_problem(
            {**scope, "headers": [(b"host", _listening_address(scope)), *headers]},
            receive,
            send,
            UntrustedHost,
            detail="The Host header names no host this service answers for.",
        )

    def _is_allowed(self, host_header: str) -> bool:
        host = _without_port(host_header.strip().lower())
        if not host:
            return False
        return any(
            host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:]))
            for pattern in self.allowed_hosts
        )


def _listening_address(scope: Scope) -> bytes:
    host, port = scope.get("server") or ("localhost", None)
    return (f"{host}:{port}" if port else str(host)).encode("latin-1")


def _without_port(host: str) -> str:
    if host.startswith("["):  # [::1]:8000
        return host.partition("]")[0] + "]"
    return host.rpartition(":")[0] if ":" in host else host
