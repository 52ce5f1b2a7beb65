"""Mail bodies at rest: a queued mail waits in the publication registry sealed (AES-256-GCM,
with a key derived from ``MOSAIC_SECRET_KEY``), so the single-use links it carries are never
stored in clear, not even while the SMTP server is down.

A mail sealed under one secret key opens only under the same key: after a key rotation, mails
still waiting fail their delivery (the publication says why) and are abandoned like any mail
that keeps failing.
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.mail.message import MailMessage

# The payload's shape while the mail waits; its receipt, once sent, is MailMessage's own.
FORMAT = 2
_NONCE = 12
# Binds a sealed body to its purpose: a key derived for anything else opens nothing here.
_INFO = b"mosaic mail at rest"


class MailSeal:
    """Seals a mail into a publication's payload and opens it for delivery."""

    def __init__(self, secret_key: str) -> None:
        key = HKDF(algorithm=SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
        self._aead = AESGCM(key)

    def seal(self, message: MailMessage) -> str:
        """Returns the payload of ``message``: its identity in clear, its content sealed."""
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, message.to_json().encode(), _aad(message.message_id))
        return json.dumps(
            {
                "format": FORMAT,
                "message_id": message.message_id,
                "template": message.template,
                "sealed": base64.b64encode(nonce + sealed).decode(),
            }
        )

    def open(self, payload: str) -> MailMessage:
        """Returns the mail a sealed payload holds; raises ``ValueError`` when it cannot be
        opened (another secret key, or a payload altered since)."""
        document = json.loads(payload)
        if document.get("format") != FORMAT:
            raise ValueError(f"mail payload format {document.get('format')!r} is not {FORMAT}")
        raw = base64.b64decode(document["sealed"])
        try:
            opened = self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], _aad(document["message_id"]))
        except InvalidTag:
            raise ValueError(
                "the mail cannot be opened: it was sealed under another MOSAIC_SECRET_KEY "
                "or altered since"
            ) from None
        return MailMessage.from_json(opened.decode())


def _aad(message_id: str) -> bytes:
    return message_id.encode()
