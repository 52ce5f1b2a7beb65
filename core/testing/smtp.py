"""A real SMTP server on the loopback, for tests: what the application sent, as it arrived.

The ``mosaic_smtp`` fixture starts one per test; point the application at it with
``env={"smtp_url": mosaic_smtp.url}``, deliver with ``deliver_events(app)`` and read
``mosaic_smtp.messages``. ``stop()`` and ``start()`` play a server that went down and came back
(on the same port). Needs ``aiosmtpd`` (Mosaic's ``dev`` extra).
"""

from __future__ import annotations

import asyncio
import ssl
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class ReceivedMail:
    """One message the server accepted: its envelope, its MIME message, and how it came."""

    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage
    #: The user the client authenticated as, if it did.
    login: str | None
    #: Whether the connection was encrypted (STARTTLS or implicit TLS).
    encrypted: bool

    @property
    def text(self) -> str:
        """The plain text part, with ``\\n`` line ends (SMTP carries ``\\r\\n``)."""
        text = self._part("plain")
        assert text is not None, "the message has no text/plain part"
        return text

    @property
    def html(self) -> str | None:
        """The HTML part, if the message has one (``\\n`` line ends)."""
        return self._part("html")

    def _part(self, subtype: str) -> str | None:
        part = self.message.get_body(preferencelist=(subtype,))
        if not isinstance(part, EmailMessage) or part.get_content_subtype() != subtype:
            return None
        content: str = part.get_content()
        return content.replace("\r\n", "\n")


class SmtpServer:
    """An SMTP server on ``127.0.0.1`` collecting every message it accepts in ``messages``.

    ``tls_context`` (the server's certificate) offers STARTTLS, or with ``implicit_tls`` speaks
    TLS from the first byte; ``logins`` (user to password) requires authentication over TLS.
    """

    def __init__(
        self,
        *,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        logins: Mapping[str, str] | None = None,
    ) -> None:
        self.tls_context = tls_context
        self.implicit_tls = implicit_tls
        self.logins = dict(logins or {})
        self.port = 0
        self.messages: list[ReceivedMail] = []
        self._server: asyncio.Server | None = None
        self._sessions: set[SMTP] = set()
        self._arrived = asyncio.Event()

    @property
    def url(self) -> str:
        """``smtp://127.0.0.1:<port>`` (or ``smtps://``), without credentials."""
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{HOST}:{self.port}"

    async def received(self, count: int = 1, *, seconds: float = 5.0) -> list[ReceivedMail]:
        """Waits until ``count`` messages arrived in all (the application sends in the
        background); returns them, or raises ``TimeoutError``."""
        async with asyncio.timeout(seconds):
            while len(self.messages) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.messages[:count]

    async def start(self) -> None:
        """Listens (on the port of the previous start, if any)."""
        if self._server is not None:
            return
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._session,
            HOST,
            self.port,
            ssl=self.tls_context if self.implicit_tls else None,
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stops listening and drops every open connection."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for session in list(self._sessions):
            if session.transport is not None:
                session.transport.close()
        self._sessions.clear()

    def _session(self) -> SMTP:
        with warnings.catch_warnings():
            # aiosmtpd warns of AUTH without TLS: it does not see implicit TLS.
            warnings.simplefilter("ignore", UserWarning)
            session = self._new_session()
        self._sessions.add(session)
        return session

    def _new_session(self) -> SMTP:
        return SMTP(
            self,
            hostname="mosaic-test-smtp",
            tls_context=None if self.implicit_tls else self.tls_context,
            require_starttls=self.tls_context is not None and not self.implicit_tls,
            auth_required=bool(self.logins),
            auth_require_tls=not self.implicit_tls,
            authenticator=self._authenticate if self.logins else None,
            loop=asyncio.get_running_loop(),
        )

    def _authenticate(
        self,
        _server: SMTP,
        _session: Session,
        _envelope: Envelope,
        _mechanism: str,
        auth_data: object,
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        if self.logins.get(user) != password:
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=user)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        content = envelope.original_content or b""
        message = BytesParser(policy=policy.default).parsebytes(content)
        assert isinstance(message, EmailMessage)
        self.messages.append(
            ReceivedMail(
                sender=envelope.mail_from or "",
                recipients=tuple(envelope.rcpt_tos),
                message=message,
                login=session.auth_data if session.authenticated else None,
                encrypted=session.ssl is not None or self.implicit_tls,
            )
        )
        self._arrived.set()
        return "250 Message accepted for delivery"
