"""The SMTP server mail goes to (``MOSAIC_SMTP_URL``), through aiosmtplib.

``smtp://user:password@host:587?starttls=true`` upgrades the connection with STARTTLS (a server
that does not offer it fails the send), ``smtps://user:password@host:465`` speaks TLS from the
first byte, and ``smtp://host:25`` neither, for a relay on a trusted network. Certificates are
verified against the system's authorities. A URL with credentials but without TLS is refused:
the password would cross the network in clear.

Each send opens a connection, sends one message and closes it: transactional mail is rare next
to requests, and a connection kept open between them would only be dropped by the server.
:meth:`SmtpSender.send` returns once the server accepted the message; the dispatcher completes
the publication after that, never before, so a message the server did not take is sent again.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import parse_qsl, unquote, urlsplit

from core.mail.message import MailMessage

logger = logging.getLogger("mosaic.mail")

_SCHEMES = {"smtp": 25, "smtps": 465}
SUBMISSION_PORT = 587
_BOOLEANS = {"true": True, "false": False}


class MailError(Exception):
    """The SMTP server did not accept a message: unreachable, refused it, or silent too long."""


@dataclass(frozen=True, slots=True)
class SmtpAddress:
    """Where and how to reach the SMTP server, read from ``MOSAIC_SMTP_URL``."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    #: TLS from the first byte (``smtps://``).
    implicit_tls: bool = False
    #: Upgraded with STARTTLS (``?starttls=true``).
    starttls: bool = False

    @classmethod
    def parse(cls, url: str) -> SmtpAddress:
        """Returns the address ``url`` names; raises ``ValueError`` saying what is wrong."""
        parts = urlsplit(url)
        if parts.scheme not in _SCHEMES or not parts.hostname:
            raise ValueError(
                "is not an SMTP URL like 'smtp://user:password@host:587?starttls=true'"
            )
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = set(query) - {"starttls"}
        if unknown or parts.path not in ("", "/") or parts.fragment:
            raise ValueError(
                "takes no path and no option but '?starttls=true' or '?starttls=false'"
            )
        starttls = _BOOLEANS.get(query.get("starttls", "false").lower())
        if starttls is None:
            raise ValueError("starttls must be 'true' or 'false'")
        implicit_tls = parts.scheme == "smtps"
        if implicit_tls and starttls:
            raise ValueError("smtps:// is TLS already: drop '?starttls=true'")
        if parts.password and not (implicit_tls or starttls):
            raise ValueError("sends its password in clear: use smtps:// or add '?starttls=true'")
        try:
            port = parts.port
        except ValueError:
            raise ValueError("has an invalid port") from None
        default = SUBMISSION_PORT if starttls else _SCHEMES[parts.scheme]
        return cls(
            host=parts.hostname,
            port=port or default,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            implicit_tls=implicit_tls,
            starttls=starttls,
        )

    @property
    def where(self) -> str:
        """The server's address without credentials, for messages and logs."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{host}:{self.port}"


class SmtpSender:
    """Sends messages to one SMTP server, each over a connection of its own.

    ``timeout`` bounds every wait (connecting, each command); after a timeout, sends fail at
    once for as long again, so a batch of mails does not wait out a silent server one by one.
    ``tls_context`` replaces the system's authorities (a private one, or a test's).
    """

    def __init__(
        self, url: str, *, timeout: float, tls_context: ssl.SSLContext | None = None
    ) -> None:
        self.address = SmtpAddress.parse(url)
        self.timeout = timeout
        self.tls_context = tls_context
        self.where = self.address.where
        self._silent_until = 0.0
        self._local_hostname: str | None = None

    async def send(self, message: MailMessage) -> None:
        """Sends ``message``; returns once the server accepted it, raises :class:`MailError`
        otherwise. Recipients refused while others were accepted are logged, not retried: a
        retry would send the message again to the others."""
        import aiosmtplib

        loop = asyncio.get_running_loop()
        if loop.time() < self._silent_until:
            raise MailError(f"the SMTP server at {self.where} did not answer moments ago")
        if self._local_hostname is None:
            # The name the client greets with; asked of the resolver once, off the event loop.
            self._local_hostname = await asyncio.to_thread(socket.getfqdn)
        address = self.address
        try:
            refusals, _reply = await aiosmtplib.send(
                message.to_email(),
                sender=parseaddr(message.sender)[1],
                recipients=[parseaddr(recipient)[1] for recipient in message.to],
                hostname=address.host,
                port=address.port,
                username=address.username,
                password=address.password,
                use_tls=address.implicit_tls,
                start_tls=address.starttls,
                timeout=self.timeout,
                tls_context=self.tls_context,
                local_hostname=self._local_hostname,
            )
        except aiosmtplib.SMTPTimeoutError:
            self._silent_until = loop.time() + self.timeout
            raise MailError(
                f"the SMTP server at {self.where} did not answer within {self.timeout:g}s"
            ) from None
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = ", ".join(f"{r.recipient} ({r.code} {r.message})" for r in exc.recipients)
            raise MailError(f"the SMTP server at {self.where} refused {refused}") from None
        except aiosmtplib.SMTPResponseException as exc:
            raise MailError(
                f"the SMTP server at {self.where} refused the message: {exc.code} {exc.message}"
            ) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise MailError(f"sending to the SMTP server at {self.where} failed: {exc}") from None
        for recipient, reply in refusals.items():
            logger.warning(
                "the SMTP server at %s refused mail %s for %s: %s %s",
                self.where,
                message.message_id,
                recipient,
                reply.code,
                reply.message,
            )
