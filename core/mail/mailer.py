"""Sending from a Unit of Work: the mail is rendered now and written as one publication."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import make_msgid, parseaddr
from typing import TYPE_CHECKING

from sqlalchemy import insert

from core.events.publisher import MAILER, PUBLICATIONS
from core.http.request_id import request_id_var
from core.mail.message import MailMessage
from core.mail.seal import MailSeal
from core.mail.templates import MailTemplates

if TYPE_CHECKING:
    from core.db.uow import UnitOfWork


class Mailer:
    """Renders mails from ``templates`` and queues them, from ``sender``, in a Unit of Work,
    sealed with ``seal``."""

    def __init__(self, templates: MailTemplates, *, sender: str, seal: MailSeal) -> None:
        self.templates = templates
        self.sender = sender
        self.seal = seal
        self.domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"

    async def queue(
        self,
        uow: UnitOfWork,
        *,
        to: str | Sequence[str],
        template: str,
        context: Mapping[str, object],
    ) -> MailMessage:
        """Renders ``template`` and writes its publication in ``uow``; returns the message.

        Not an event: no listener (the audit trail included) ever receives a mail, whose body
        may hold single-use links.
        """
        recipients = _recipients(to)
        rendered = self.templates.render(template, context)
        now = datetime.now(UTC)
        message = MailMessage(
            message_id=make_msgid(domain=self.domain),
            sender=self.sender,
            to=recipients,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            template=template,
            created_at=now,
        )
        publication = {
            "id": uuid.uuid4(),
            "event_id": uuid.uuid4(),
            "event_type": MAILER,
            "module": template.partition("/")[0],
            "listener": MAILER,
            "payload": self.seal.seal(message),
            "occurred_at": now,
            "request_id": request_id_var.get(),
            "actor": uow.actor,
            "attempts": 0,
            "next_attempt_at": now,
        }
        await uow.session.execute(insert(PUBLICATIONS), [publication])
        return message


def _recipients(to: str | Sequence[str]) -> tuple[str, ...]:
    recipients = (to,) if isinstance(to, str) else tuple(to)
    if not recipients:
        raise ValueError("a mail needs at least one recipient")
    for address in recipients:
        # Addresses come validated from the module's schemas; this only keeps headers whole.
        if not isinstance(address, str) or "@" not in parseaddr(address)[1]:
            raise ValueError(f"{address!r} is not a mail address")
        if "\r" in address or "\n" in address:
            raise ValueError(f"{address!r} holds a line break")
    return recipients
