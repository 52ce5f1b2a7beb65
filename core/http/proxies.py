"""The client's address behind trusted proxies, read from ``X-Forwarded-For``."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from core.config.settings import Network

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_SCHEMES = {"http": {"http": "http", "https": "https"}, "websocket": {"http": "ws", "https": "wss"}}


class TrustedProxiesMiddleware:
    """Replaces the connection's peer with the client a trusted proxy forwarded for.

    Only when the peer is one of ``proxies`` are its ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` read; from anyone else they are ignored. Each proxy appends the address
    it was reached from, so the list is read from the right: trusted addresses are skipped and the
    first other one is the client. What lies to its left was written by the client and is never
    believed. An entry that is not an IP address ends the walk at the last hop vouched for.
    """

    def __init__(self, app: ASGIApp, *, proxies: Iterable[Network]) -> None:
        self.app = app
        self.proxies = tuple(proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in _SCHEMES and client and self._trusts(_address(client[0])):
            self._forward(scope, client)
        await self.app(scope, receive, send)

    def _forward(self, scope: Scope, peer: tuple[str, int]) -> None:
        forwarded_for: list[str] = []
        proto = None
        for name, value in scope["headers"]:
            if name == b"x-forwarded-for":
                forwarded_for.extend(value.decode("latin-1").split(","))
            elif name == b"x-forwarded-proto":
                proto = value.decode("latin-1").strip().lower()
        client = peer
        for entry in reversed(forwarded_for):
            address = _address(entry.strip())
            if address is None:
                break
            client = (str(address), 0)
            if not self._trusts(address):
                break
        scope["client"] = client
        scheme = _SCHEMES[scope["type"]].get(proto or "")
        if scheme is not None:
            scope["scheme"] = scheme

    def _trusts(self, address: Address | None) -> bool:
        return address is not None and any(address in network for network in self.proxies)


def _address(text: str) -> Address | None:
    """The IP address ``text`` names (an IPv4-mapped IPv6 address as IPv4), or ``None``."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
