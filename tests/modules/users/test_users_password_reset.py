"""Password reset: the same answer for every address, a link mailed only to an account, used once.

Mails are read back from a real SMTP server on the loopback (``mosaic_smtp``).
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from modules.users.api import verify_credentials
from modules.users.models import AccountToken
from tests.modules.users.conftest import PASSWORD, configured_passwords, mailed_token

NEW_PASSWORD = "a brand new passphrase"
RESET_PAGE = "https://app.example.com/reset"


@pytest.fixture
async def app(mail_app):
    return await mail_app(password_reset_url=RESET_PAGE)


async def _reset_mail(client, deliver_events, app, mosaic_smtp, email="ada@example.com"):
    """Asks for a reset of ``email``; returns the mails that request (alone) caused."""
    await deliver_events(app)  # whatever was due before, such as the verification mails
    before = len(mosaic_smtp.messages)
    response = await client.post("/api/v1/users/password-reset", json={"email": email})
    assert response.status_code == 202, response.text
    await deliver_events(app)
    return mosaic_smtp.messages[before:]


async def _confirm(client, token, password=NEW_PASSWORD):
    return await client.post(
        "/api/v1/users/password-reset/confirm", json={"token": token, "new_password": password}
    )


async def _logs_in(app, email, password):
    async with kernel_of(app).database.unit_of_work() as uow:
        view = await verify_credentials(
            uow.session, email=email, password=password, passwords=configured_passwords(app)
        )
    return view is not None


async def test_a_reset_link_sets_a_new_password(
    app, client, register, deliver_events, mosaic_smtp, credential_changes
):
    account = await register("ada@example.com")
    await deliver_events(app)  # the registration's verification mail

    [mail] = await _reset_mail(client, deliver_events, app, mosaic_smtp)
    assert mail.recipients == ("ada@example.com",)
    assert mail.message["Subject"] == "Reset your password"
    token = mailed_token(mail)
    assert f"{RESET_PAGE}?token={token}" in mail.text

    response = await _confirm(client, token)

    assert response.status_code == 204
    assert await _logs_in(app, "ada@example.com", NEW_PASSWORD)
    assert not await _logs_in(app, "ada@example.com", PASSWORD)
    # The path of a password change: the auth module ends every session of the account.
    assert credential_changes == [(uuid.UUID(account["id"]), None)]


async def test_every_address_gets_the_same_answer_and_only_an_account_a_mail(
    app, client, register, deliver_events, mosaic_smtp
):
    await register("ada@example.com")
    await deliver_events(app)
    before = len(mosaic_smtp.messages)

    known = await client.post("/api/v1/users/password-reset", json={"email": "Ada@Example.com"})
    unknown = await client.post("/api/v1/users/password-reset", json={"email": "who@example.com"})
    await deliver_events(app)

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert known.json()["detail"] == "If an account has this email, a link was mailed to it."
    [mail] = mosaic_smtp.messages[before:]
    assert mail.recipients == ("ada@example.com",)


async def test_known_and_unknown_addresses_cost_the_same_statements(
    app, client, register, deliver_events, published_events
):
    await register("ada@example.com")
    engine = kernel_of(app).database.engine

    counted = []
    for email in ("ada@example.com", "nobody@example.com"):
        with count_statements(engine) as statements:
            response = await client.post("/api/v1/users/password-reset", json={"email": email})
        assert response.status_code == 202
        counted.append(statements.statements)

    known, unknown = counted
    assert len(known) == len(unknown), (known, unknown)
    assert known == unknown  # the very same SQL: nothing looks the address up before commit
    assert any("core_event_publications" in statement for statement in known)
    assert not any("users_users" in statement for statement in known)


async def test_an_inactive_account_gets_no_mail(
    app, client, register, admin, deliver_events, mosaic_smtp
):
    account = await register("ada@example.com")
    await client.patch(f"/api/v1/users/{account['id']}", headers=admin, json={"is_active": False})
    await deliver_events(app)

    assert await _reset_mail(client, deliver_events, app, mosaic_smtp) == []


async def test_a_link_works_once(app, client, register, deliver_events, mosaic_smtp):
    await register("ada@example.com")
    [mail] = await _reset_mail(client, deliver_events, app, mosaic_smtp)
    token = mailed_token(mail)
    assert (await _confirm(client, token)).status_code == 204

    again = await _confirm(client, token, "yet another passphrase")

    assert again.status_code == 400
    assert again.json()["code"] == "users.invalid_reset_token"
    assert await _logs_in(app, "ada@example.com", NEW_PASSWORD)


async def test_using_a_link_kills_the_earlier_ones(
    app, client, register, deliver_events, mosaic_smtp
):
    await register("ada@example.com")
    [first] = await _reset_mail(client, deliver_events, app, mosaic_smtp)
    [second] = await _reset_mail(client, deliver_events, app, mosaic_smtp)

    assert (await _confirm(client, mailed_token(second))).status_code == 204
    assert (await _confirm(client, mailed_token(first))).status_code == 400


async def test_a_link_expires_after_30_minutes_by_default(
    app, client, register, deliver_events, mosaic_smtp
):
    await register("ada@example.com")
    [mail] = await _reset_mail(client, deliver_events, app, mosaic_smtp)
    async with kernel_of(app).database.unit_of_work() as uow:
        [token] = (
            await uow.session.scalars(
                AccountToken.__table__.select()
                .with_only_columns(AccountToken.__table__.c.expires_at)
                .where(AccountToken.__table__.c.purpose == "password_reset")
            )
        ).all()
    expires = token if token.tzinfo else token.replace(tzinfo=UTC)
    assert timedelta(minutes=29) < expires - datetime.now(UTC) <= timedelta(minutes=30)

    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(
            update(AccountToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    response = await _confirm(client, mailed_token(mail))

    assert response.status_code == 400
    assert response.json()["code"] == "users.invalid_reset_token"
    assert await _logs_in(app, "ada@example.com", PASSWORD)


async def test_a_verification_token_resets_nothing(
    app, client, register, deliver_events, mosaic_smtp
):
    await register("ada@example.com")
    await deliver_events(app)
    [verification] = mosaic_smtp.messages

    response = await _confirm(client, mailed_token(verification))

    assert response.status_code == 400
    assert await _logs_in(app, "ada@example.com", PASSWORD)


async def test_the_new_password_follows_the_password_rules(
    app, client, register, deliver_events, mosaic_smtp
):
    await register("ada@example.com")
    [mail] = await _reset_mail(client, deliver_events, app, mosaic_smtp)

    short = await _confirm(client, mailed_token(mail), "short")
    extra = await client.post(
        "/api/v1/users/password-reset/confirm",
        json={"token": mailed_token(mail), "new_password": NEW_PASSWORD, "email": "x@y.z"},
    )

    assert short.status_code == extra.status_code == 422
    assert (await _confirm(client, mailed_token(mail))).status_code == 204  # still unused


async def test_following_a_reset_link_verifies_the_email(
    app, client, register, bearer, deliver_events, mosaic_smtp
):
    account = await register("ada@example.com")
    [mail] = await _reset_mail(client, deliver_events, app, mosaic_smtp)
    await _confirm(client, mailed_token(mail))

    me = await client.get("/api/v1/users/me", headers=await bearer(account["id"]))

    assert me.json()["email_verified"] is True


async def test_requests_are_throttled_per_email(mail_app, mosaic_client):
    app = await mail_app(password_resets_per_account="2/hour")
    client = await mosaic_client(app)

    statuses = []
    for email in ("x@example.com", "X@Example.com", "x@example.com", "y@example.com"):
        response = await client.post("/api/v1/users/password-reset", json={"email": email})
        statuses.append(response.status_code)

    assert statuses == [202, 202, 429, 202]


async def test_requests_are_throttled_per_client_address(mail_app, mosaic_client):
    app = await mail_app(password_resets_per_address="3/hour")
    client = await mosaic_client(app)

    answers = [
        await client.post("/api/v1/users/password-reset", json={"email": f"{n}@example.com"})
        for n in range(4)
    ]

    assert [answer.status_code for answer in answers] == [202, 202, 202, 429]
    assert answers[-1].json()["code"] == "users.mail_throttled"
    assert int(answers[-1].headers["retry-after"]) > 0


async def test_no_token_reaches_the_logs(
    app, client, register, deliver_events, mosaic_smtp, caplog
):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="mosaic")
    await register("ada@example.com")
    [mail] = await _reset_mail(client, deliver_events, app, mosaic_smtp)
    token = mailed_token(mail)
    await _confirm(client, token)

    assert token not in caplog.text


async def test_the_routes_document_their_answers(client):
    paths = (await client.get("/openapi.json")).json()["paths"]

    request = paths["/api/v1/users/password-reset"]["post"]["responses"]
    confirm = paths["/api/v1/users/password-reset/confirm"]["post"]["responses"]
    assert {"202", "422", "429", "503"} <= set(request)
    assert {"204", "400", "422"} <= set(confirm)
