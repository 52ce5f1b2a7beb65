"""Email verification: the link mailed at registration, its single use, and new links on request.

Mails are read back from a real SMTP server on the loopback (``mosaic_smtp``).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update

from core.testing.kernel import kernel_of
from modules.users.models import AccountToken
from tests.modules.users.conftest import PASSWORD, mailed_token

VERIFY_PAGE = "https://app.example.com/account/verify?lang=en"


@pytest.fixture
async def app(mail_app):
    return await mail_app(verify_email_url=VERIFY_PAGE)


async def _registered(client, deliver_events, app, mosaic_smtp, email="ada@example.com"):
    """Registers ``email``; returns the account and the token mailed to it."""
    account = (
        await client.post("/api/v1/users", json={"email": email, "password": PASSWORD})
    ).json()
    await deliver_events(app)
    mail = [m for m in mosaic_smtp.messages if email in m.recipients][-1]
    return account, mailed_token(mail)


async def _me(client, bearer, account):
    return (await client.get("/api/v1/users/me", headers=await bearer(account["id"]))).json()


async def test_registration_mails_a_link_that_verifies_the_email(
    app, client, bearer, deliver_events, mosaic_smtp
):
    response = await client.post(
        "/api/v1/users", json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert response.json()["email_verified"] is False
    assert mosaic_smtp.messages == []  # sent after commit, by the dispatcher

    await deliver_events(app)
    [mail] = mosaic_smtp.messages
    assert mail.recipients == ("ada@example.com",)
    assert mail.message["Subject"] == "Confirm your email address"
    token = mailed_token(mail)
    assert f"{VERIFY_PAGE}&token={token}" in mail.text

    verified = await client.post("/api/v1/users/verify", json={"token": token})

    assert verified.status_code == 204
    assert (await _me(client, bearer, response.json()))["email_verified"] is True


async def test_a_link_works_once(app, client, deliver_events, mosaic_smtp):
    _, token = await _registered(client, deliver_events, app, mosaic_smtp)
    assert (await client.post("/api/v1/users/verify", json={"token": token})).status_code == 204

    again = await client.post("/api/v1/users/verify", json={"token": token})

    assert again.status_code == 400
    assert again.json()["code"] == "users.invalid_verification_token"


async def test_an_unknown_token_is_refused(client):
    response = await client.post("/api/v1/users/verify", json={"token": "A" * 43})

    assert response.status_code == 400
    assert response.json()["code"] == "users.invalid_verification_token"


@pytest.mark.parametrize("token", ["nonsense", "A" * 44, "A" * 42 + "=", "A" * 42 + " "])
async def test_a_token_of_another_shape_is_invalid_input(client, token):
    response = await client.post("/api/v1/users/verify", json={"token": token})

    assert response.status_code == 422


async def test_an_expired_link_is_refused(app, client, bearer, deliver_events, mosaic_smtp):
    account, token = await _registered(client, deliver_events, app, mosaic_smtp)
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(
            update(AccountToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )

    response = await client.post("/api/v1/users/verify", json={"token": token})

    assert response.status_code == 400
    assert (await _me(client, bearer, account))["email_verified"] is False


async def test_the_link_expires_after_the_configured_time(mail_app, mosaic_client, deliver_events):
    app = await mail_app(verification_token_ttl=600)
    client = await mosaic_client(app)
    await client.post("/api/v1/users", json={"email": "ada@example.com", "password": PASSWORD})

    async with kernel_of(app).database.unit_of_work() as uow:
        [(created, expires)] = (
            await uow.session.execute(text("SELECT created_at, expires_at FROM users_tokens"))
        ).all()

    lifetime = _aware(expires) - _aware(created)
    assert timedelta(seconds=599) <= lifetime <= timedelta(seconds=601)


def _aware(value):
    value = datetime.fromisoformat(value) if isinstance(value, str) else value
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def test_the_token_is_stored_hashed_and_never_logged(
    app, client, deliver_events, mosaic_smtp, caplog
):
    # Every logger at INFO (production's default), the service's own at DEBUG too. (A
    # database driver's DEBUG log shows statement parameters, mail payloads included.)
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="mosaic")
    _, token = await _registered(client, deliver_events, app, mosaic_smtp)
    await client.post("/api/v1/users/verify", json={"token": token})

    async with kernel_of(app).database.unit_of_work() as uow:
        [stored] = (await uow.session.execute(text("SELECT token_hash FROM users_tokens"))).all()
        publications = (
            await uow.session.execute(text("SELECT payload FROM core_event_publications"))
        ).all()
    assert stored[0] == hashlib.sha256(token.encode()).hexdigest()
    # Once the SMTP server took the mail, its publication keeps no body.
    assert publications and not any(token in str(row[0]) for row in publications)
    assert token not in caplog.text


async def test_a_new_email_is_unverified_and_the_old_link_dies(
    app, client, bearer, deliver_events, mosaic_smtp
):
    account, old_token = await _registered(client, deliver_events, app, mosaic_smtp)
    await client.post("/api/v1/users/verify", json={"token": old_token})
    headers = await bearer(account["id"])

    changed = await client.patch(
        "/api/v1/users/me", headers=headers, json={"email": "countess@example.com"}
    )

    assert changed.json()["email_verified"] is False
    await deliver_events(app)
    new_mail = mosaic_smtp.messages[-1]
    assert new_mail.recipients == ("countess@example.com",)
    assert (await client.post("/api/v1/users/verify", json={"token": old_token})).status_code == 400
    assert (
        await client.post("/api/v1/users/verify", json={"token": mailed_token(new_mail)})
    ).status_code == 204
    assert (await _me(client, bearer, account))["email_verified"] is True


async def test_a_link_to_an_email_the_account_left_is_refused(
    app, client, bearer, deliver_events, mosaic_smtp
):
    account, token = await _registered(client, deliver_events, app, mosaic_smtp)
    await client.patch(
        "/api/v1/users/me", headers=await bearer(account["id"]), json={"email": "new@example.com"}
    )

    response = await client.post("/api/v1/users/verify", json={"token": token})

    assert response.status_code == 400
    assert response.json()["code"] == "users.invalid_verification_token"


async def test_resend_mails_only_an_unverified_account_and_answers_alike(
    app, client, deliver_events, mosaic_smtp
):
    _, token = await _registered(client, deliver_events, app, mosaic_smtp, "done@example.com")
    await client.post("/api/v1/users/verify", json={"token": token})
    await _registered(client, deliver_events, app, mosaic_smtp, "waiting@example.com")
    before = len(mosaic_smtp.messages)

    answers = [
        await client.post("/api/v1/users/verify/resend", json={"email": email})
        for email in ("done@example.com", "nobody@example.com", "Waiting@Example.com")
    ]
    await deliver_events(app)

    assert {response.status_code for response in answers} == {202}
    assert len({response.text for response in answers}) == 1
    [mail] = mosaic_smtp.messages[before:]
    assert mail.recipients == ("waiting@example.com",)
    assert (
        await client.post("/api/v1/users/verify", json={"token": mailed_token(mail)})
    ).status_code == 204


async def test_resend_is_throttled_per_email(mail_app, mosaic_client):
    app = await mail_app(verification_mails_per_account="2/hour")
    client = await mosaic_client(app)

    answers = [
        await client.post("/api/v1/users/verify/resend", json={"email": "x@example.com"})
        for _ in range(3)
    ]
    other = await client.post("/api/v1/users/verify/resend", json={"email": "y@example.com"})

    assert [response.status_code for response in answers] == [202, 202, 429]
    assert answers[-1].json()["code"] == "users.mail_throttled"
    assert int(answers[-1].headers["retry-after"]) > 0
    assert other.status_code == 202


async def test_resend_is_throttled_per_client_address(mail_app, mosaic_client):
    app = await mail_app(verification_mails_per_address="2/hour")
    client = await mosaic_client(app)
    elsewhere = await mosaic_client(app, client=("192.0.2.9", 4000))

    statuses = [
        (
            await client.post("/api/v1/users/verify/resend", json={"email": f"{n}@example.com"})
        ).status_code
        for n in range(3)
    ]
    other = await elsewhere.post("/api/v1/users/verify/resend", json={"email": "z@example.com"})

    assert statuses == [202, 202, 429]
    assert other.status_code == 202


async def test_the_routes_document_their_answers(client):
    paths = (await client.get("/openapi.json")).json()["paths"]

    verify = paths["/api/v1/users/verify"]["post"]["responses"]
    resend = paths["/api/v1/users/verify/resend"]["post"]["responses"]
    assert {"204", "400", "422"} <= set(verify)
    assert {"202", "422", "429", "503"} <= set(resend)
