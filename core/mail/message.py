"""A rendered mail as it waits in the publication registry and as it goes to the SMTP server."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

# The publication payload's shape; a change that old rows could not be read with is version 2.
FORMAT = 1


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One message, rendered: who sends it to whom, its subject, text and (optional) HTML."""

    message_id: str
    sender: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None
    template: str
    created_at: datetime

    def to_json(self) -> str:
        """Returns the publication's payload."""
        return json.dumps(
            {
                "format": FORMAT,
                "message_id": self.message_id,
                "from": self.sender,
                "to": list(self.to),
                "subject": self.subject,
                "text": self.text,
                "html": self.html,
                "template": self.template,
                "created_at": self.created_at.isoformat(),
            }
        )

    @classmethod
    def from_json(cls, payload: str) -> MailMessage:
        """Returns the message a publication's payload holds."""
        document = json.loads(payload)
        if document.get("format") != FORMAT:
            raise ValueError(f"mail payload format {document.get('format')!r} is not {FORMAT}")
        return cls(
            message_id=document["message_id"],
            sender=document["from"],
            to=tuple(document["to"]),
            subject=document["subject"],
            text=document["text"],
            html=document["html"],
            template=document["template"],
            created_at=datetime.fromisoformat(document["created_at"]),
        )

    def receipt(self) -> str:
        """What the registry keeps once the message was sent: its identity, not its content
        (bodies carry single-use links that must not outlive their delivery)."""
        return json.dumps(
            {
                "format": FORMAT,
                "message_id": self.message_id,
                "template": self.template,
                "sent": True,
            }
        )

    def to_email(self) -> EmailMessage:
        """Returns the MIME message: plain text, or ``multipart/alternative`` with the HTML."""
        message = EmailMessage()
        message["Message-ID"] = self.message_id
        message["Date"] = format_datetime(self.created_at)
        message["From"] = self.sender
        message["To"] = ", ".join(self.to)
        message["Subject"] = self.subject
        message.set_content(self.text)
        if self.html is not None:
            message.add_alternative(self.html, subtype="html")
        return message
