"""Ceilings on a request's head (its line and headers), enforced by ``mosaic serve``'s parser.

A head is read by the server before any application runs, so no middleware can bound it.
uvicorn's httptools protocol sets no limit (llhttp has none of its own), and httptools joins
the pieces of a long header as they arrive: a 100 MB header took 13.6 s of CPU to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol


@dataclass(frozen=True)
class HeadLimits:
    """At most ``size`` bytes of request line and headers, and ``count`` headers."""

    size: int
    count: int


class _HeadRefused(Exception):
    """Raised from a parser callback to stop parsing a head past the limits."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, answering 431 and closing once a head passes ``limits``.

    The bytes received since a request began are counted while its head is incomplete, and
    checked after each read: the parser never sees more than the limit and one read. A head
    that arrives whole in one read is measured once parsed, and the headers are counted as
    they are parsed, so a flood of small ones stops at the first past the limit.
    """

    def __init__(self, *args: Any, limits: HeadLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._reading_head = True
        self._head_size = 0
        self._refusal: str | None = None

    def data_received(self, data: bytes) -> None:
        if self._reading_head:
            self._head_size += len(data)
        super().data_received(data)
        if self._reading_head and self._head_size > self.limits.size and self._refusal is None:
            self._refuse(self._too_large())

    def on_header(self, name: bytes, value: bytes) -> None:
        if len(self.headers) >= self.limits.count:
            self._stop_parsing(f"More than {self.limits.count} headers.")
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        # The last read may also hold the start of the body: measure what was parsed instead.
        if self._head_size > self.limits.size and self._parsed_size() > self.limits.size:
            self._stop_parsing(self._too_large())
        self._reading_head = False
        self._head_size = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head = True

    def send_400_response(self, msg: str) -> None:
        # uvicorn answers 400 to every error raised while parsing, ours included.
        if self._refusal is None:
            super().send_400_response(msg)
        else:
            self._refuse(self._refusal)

    def _parsed_size(self) -> int:
        return len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)

    def _too_large(self) -> str:
        return f"The request line and headers are larger than {self.limits.size} bytes."

    def _stop_parsing(self, reason: str) -> NoReturn:
        """Stops the parser from one of its callbacks; uvicorn then calls ``send_400_response``."""
        self._refusal = reason
        raise _HeadRefused(reason)

    def _refuse(self, reason: str) -> None:
        """Answers 431 with ``reason`` and closes the connection."""
        self._refusal = reason
        body = reason.encode("ascii")
        head = [STATUS_LINE[431]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
