"""The SMTP server down while people register: every registration succeeds, and every
verification mail arrives once the server is back, sealed in the meantime."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from core.testing.kernel import kernel_of
from tests.core.publications import attempt_due
from tests.modules.users.conftest import PASSWORD, mailed_token

EMAILS = [f"person{n}@example.com" for n in range(8)]


async def test_registrations_during_an_smtp_outage_all_succeed_and_all_mails_arrive(
    users_app, mosaic_smtp, mosaic_client
):
    app = await users_app(env={"smtp_url": mosaic_smtp.url, "events_retry_delay": 0.001})
    client = await mosaic_client(app)
    await mosaic_smtp.stop()

    registered = await asyncio.gather(
        *(
            client.post("/api/v1/users", json={"email": email, "password": PASSWORD})
            for email in EMAILS
        )
    )
    assert [response.status_code for response in registered] == [201] * len(EMAILS)
    assert await attempt_due(app) == len(EMAILS)  # each tried, each failed
    async with kernel_of(app).database.engine.connect() as connection:
        waiting = (
            await connection.execute(
                text("SELECT attempts, completed_at, payload FROM core_event_publications")
            )
        ).all()
    mails = [row for row in waiting if '"sealed"' in row.payload]
    assert len(mails) == len(EMAILS)
    assert {(row.attempts, row.completed_at) for row in mails} == {(1, None)}
    for row in mails:  # neither the link nor the recipient in clear
        assert "token=" not in row.payload
        assert not any(email in row.payload for email in EMAILS)
    assert mosaic_smtp.messages == []

    await mosaic_smtp.start()  # back, on the same port
    while await attempt_due(app):
        pass

    arrived = {mail.recipients[0]: mailed_token(mail) for mail in mosaic_smtp.messages}
    assert sorted(arrived) == sorted(EMAILS)
    assert len(mosaic_smtp.messages) == len(EMAILS)  # each once
    for token in arrived.values():
        verified = await client.post("/api/v1/users/verify", json={"token": token})
        assert verified.status_code == 204
