"""A TCP relay in front of a server, to play its outages in a test.

Point the application at ``gate.port`` on 127.0.0.1 instead of the server's own port; then
``shut()`` is a server that went down (open connections dropped, new ones refused), ``open()``
brings it back on the same port, and ``hung = True`` is a server that takes everything and
answers nothing. The server itself keeps running, so other tests sharing it are not disturbed::

    gate = Gate("127.0.0.1", 5432)
    await gate.open()
    url = make_url(database_url).set(host="127.0.0.1", port=gate.port)
"""

from __future__ import annotations

import asyncio

HOST = "127.0.0.1"


class Gate:
    """Relays every connection to ``host:port`` while open."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.port = 0
        self.hung = False
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def open(self) -> None:
        """Listens (on the port of the previous opening, if any) and answers again."""
        self.hung = False
        if self._server is None:
            self._server = await asyncio.start_server(self._relay, HOST, self.port)
            self.port = self._server.sockets[0].getsockname()[1]

    async def shut(self) -> None:
        """Stops listening and drops every open connection, both ways."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        self._writers |= {writer, up_writer}
        await asyncio.gather(
            self._pump(reader, up_writer), self._pump(up_reader, writer), return_exceptions=True
        )
        for end in (writer, up_writer):
            end.transport.abort()
            self._writers.discard(end)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            if not self.hung:
                writer.write(data)
                await writer.drain()
        writer.transport.abort()
