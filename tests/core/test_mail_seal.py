"""Mails waiting for the SMTP server are sealed: their content (and the single-use links in it)
is never in the registry in clear, and opens only under the secret key that sealed it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from core.mail.message import MailMessage
from core.mail.seal import MailSeal

KEY = "a-secret-key-of-at-least-32-characters-0123"
MESSAGE = MailMessage(
    message_id="<1@example.com>",
    sender="from@example.com",
    to=("ada@example.com",),
    subject="Reset your password",
    text="https://app.example/reset?token=s3cr3t-t0ken",
    html=None,
    template="users/password_reset",
    created_at=datetime(2026, 1, 1, tzinfo=UTC),
)


def test_a_sealed_mail_keeps_its_identity_in_clear_and_its_content_sealed():
    payload = MailSeal(KEY).seal(MESSAGE)

    document = json.loads(payload)
    assert document["message_id"] == MESSAGE.message_id
    assert document["template"] == MESSAGE.template
    for secret in ("s3cr3t-t0ken", "ada@example.com", "Reset your password"):
        assert secret not in payload
    assert MailSeal(KEY).open(payload) == MESSAGE


def test_two_seals_of_one_mail_differ():
    assert MailSeal(KEY).seal(MESSAGE) != MailSeal(KEY).seal(MESSAGE)


def test_another_secret_key_opens_nothing():
    payload = MailSeal(KEY).seal(MESSAGE)

    with pytest.raises(ValueError, match="another MOSAIC_SECRET_KEY"):
        MailSeal(KEY + "x").open(payload)


def test_a_sealed_body_moved_to_another_message_opens_nothing():
    document = json.loads(MailSeal(KEY).seal(MESSAGE))
    document["message_id"] = "<2@example.com>"

    with pytest.raises(ValueError, match="altered"):
        MailSeal(KEY).open(json.dumps(document))
