"""Development's stand-in for an SMTP server: every mail is written to the ``mosaic.mail`` log."""

from __future__ import annotations

import logging

from core.mail.message import MailMessage

logger = logging.getLogger("mosaic.mail")


async def log_mail(message: MailMessage) -> None:
    """Writes ``message`` (headers and text; the HTML part is only mentioned) to the log."""
    logger.info(
        "mail %s (no MOSAIC_SMTP_URL: logged, not sent)\nFrom: %s\nTo: %s\nSubject: %s\n\n%s%s",
        message.message_id,
        message.sender,
        ", ".join(message.to),
        message.subject,
        message.text,
        "\n[and an HTML part]" if message.html is not None else "",
    )
