"""The public API other modules use: logging in, re-reading an account, foreign keys."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, ForeignKey, Table, Uuid, insert, select, text

from core.db import new_metadata
from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from modules.users.api import UserView, get_active_user, user_id_column, verify_credentials
from tests.modules.public_api import imported_by_other_modules
from tests.modules.users.conftest import configured_passwords

PASSWORD = "correct horse battery"


async def _login(app, email, password):
    async with kernel_of(app).database.unit_of_work() as uow:
        return await verify_credentials(
            uow.session, email=email, password=password, passwords=configured_passwords(app)
        )


async def test_right_credentials_give_the_account_and_never_its_hash(app, register):
    account = await register("Ada@Example.com", display_name="Ada")

    view = await _login(app, "  ADA@example.COM ", PASSWORD)

    assert view == UserView(
        id=uuid.UUID(account["id"]),
        email="ada@example.com",
        display_name="Ada",
        roles=(),
        is_active=True,
        email_verified=False,
    )
    assert not hasattr(view, "password_hash")


async def test_an_email_logs_in_however_it_is_written(app, register):
    account = await register("Jos\u00e9@B\u00fccher.test")  # precomposed é and ü (NFC)

    assert account["email"] == "jos\u00e9@b\u00fccher.test"
    for written in ["JOS\u00c9@B\u00dcCHER.TEST", "Jose\u0301@bu\u0308cher.test"]:  # NFD
        view = await _login(app, written, PASSWORD)
        assert view is not None
        assert view.id == uuid.UUID(account["id"])


async def test_a_username_that_is_no_email_logs_nobody_in(app, register):
    await register("ada@example.com")

    assert await _login(app, "ada@example.com\x00", PASSWORD) is None
    assert await _login(app, "not an email", PASSWORD) is None


async def test_unknown_email_wrong_password_and_inactive_account_all_fail_alike(
    app, client, register, admin
):
    active = await register("ada@example.com")
    inactive = await register("grace@example.com")
    await client.patch(f"/api/v1/users/{inactive['id']}", headers=admin, json={"is_active": False})

    assert await _login(app, "nobody@example.com", PASSWORD) is None
    assert await _login(app, "ada@example.com", "not the password") is None
    assert await _login(app, "grace@example.com", PASSWORD) is None
    assert await _login(app, "ada@example.com", "p" * 10_000) is None
    assert (await _login(app, "ada@example.com", PASSWORD)).id == uuid.UUID(active["id"])


async def test_an_unknown_email_costs_one_argon2_verification_like_a_wrong_password(
    app, register, monkeypatch
):
    """Similar time comes from the same work, counted here rather than timed (no timing
    assertions in tests): one argon2id verification for an unknown email and a wrong password."""
    from pwdlib import PasswordHash

    await register("ada@example.com")
    verified: list[str] = []
    original_verify = PasswordHash.verify
    original_update = PasswordHash.verify_and_update

    def verify(self, password, hash):  # noqa: A002 - pwdlib's parameter name
        verified.append(hash)
        return original_verify(self, password, hash)

    def verify_and_update(self, password, hash):  # noqa: A002
        verified.append(hash)
        return original_update(self, password, hash)

    monkeypatch.setattr(PasswordHash, "verify", verify)
    monkeypatch.setattr(PasswordHash, "verify_and_update", verify_and_update)

    assert await _login(app, "nobody@example.com", "not the password") is None
    unknown = list(verified)
    verified.clear()
    assert await _login(app, "ada@example.com", "not the password") is None

    assert len(unknown) == len(verified) == 1
    assert unknown[0].startswith("$argon2id$") and verified[0].startswith("$argon2id$")
    assert unknown[0].split("$")[3] == verified[0].split("$")[3]  # same m, t, p parameters


async def test_logging_in_rehashes_a_password_hashed_with_other_parameters(
    users_app, mosaic_client
):
    before = await users_app()
    after = await users_app(argon2_time_cost=3)
    client = await mosaic_client(before)
    await client.post("/api/v1/users", json={"email": "ada@example.com", "password": PASSWORD})
    await mosaic_client(after)  # the deployment restarted with the new parameters

    async def stored_hash():
        async with kernel_of(after).database.unit_of_work() as uow:
            return await uow.session.scalar(text("SELECT password_hash FROM users_users"))

    old = await stored_hash()
    assert await _login(after, "ada@example.com", "wrong password") is None
    assert await stored_hash() == old  # a failed login changes nothing
    assert await _login(after, "ada@example.com", PASSWORD) is not None
    new = await stored_hash()

    assert ",t=2," in old
    assert ",t=3," in new
    assert await _login(after, "ada@example.com", PASSWORD) is not None
    assert await stored_hash() == new  # already up to date: not rehashed again


async def test_get_active_user_is_one_select(app, client, register, admin):
    account = await register()
    user_id = uuid.UUID(account["id"])
    engine = kernel_of(app).database.engine

    async with kernel_of(app).database.unit_of_work() as uow:
        with count_statements(engine) as statements:
            view = await get_active_user(uow.session, user_id=user_id)
        missing = await get_active_user(uow.session, user_id=uuid.uuid4())

    assert view is not None and view.id == user_id
    assert missing is None
    assert len(statements) == 1, statements

    await client.patch(f"/api/v1/users/{account['id']}", headers=admin, json={"is_active": False})
    async with kernel_of(app).database.unit_of_work() as uow:
        assert await get_active_user(uow.session, user_id=user_id) is None


async def test_user_id_column_backs_foreign_keys_that_cascade(app, client, register, admin):
    assert user_id_column().table.name == "users_users"
    notes = Table(
        "other_notes",
        new_metadata(),
        Column("id", Uuid(), primary_key=True),
        Column("user_id", ForeignKey(user_id_column(), ondelete="CASCADE"), nullable=False),
    )
    account = await register()
    engine = kernel_of(app).database.engine
    async with engine.begin() as connection:
        await connection.run_sync(notes.create)
        await connection.execute(
            insert(notes).values(id=uuid.uuid4(), user_id=uuid.UUID(account["id"]))
        )

    await client.delete(f"/api/v1/users/{account['id']}", headers=admin)

    async with engine.connect() as connection:
        assert (await connection.execute(select(notes))).all() == []


def test_the_public_api_is_what_other_modules_may_use():
    import modules.users.api as api

    # Its other events reach modules that listen to a base class (audit hears every event).
    listened_to = {"UserDeactivated", "UserDeleted"}
    assert set(api.__all__) == imported_by_other_modules(api) | listened_to
    assert all(hasattr(api, name) for name in api.__all__)


async def test_an_account_opened_for_an_identity_proven_elsewhere(app):
    from modules.users.api import EmailTaken, account_by_email, create_account

    async with kernel_of(app).database.unit_of_work() as uow:
        opened = await create_account(
            uow,
            email=" Ada@Example.com",
            display_name="A" * 300,
            email_verified=True,
            passwords=configured_passwords(app),
        )
    async with kernel_of(app).database.unit_of_work() as uow:
        found = await account_by_email(uow.session, email="ADA@example.com")
        missing = await account_by_email(uow.session, email="not an email")
        with pytest.raises(EmailTaken):
            await create_account(
                uow,
                email="ada@example.com",
                display_name=None,
                email_verified=False,
                passwords=configured_passwords(app),
            )

    assert found == opened
    assert (opened.email, opened.email_verified, opened.roles) == ("ada@example.com", True, ())
    assert opened.display_name == "A" * 100
    assert missing is None
    # Its password is random and never told: no password logs in.
    assert await _login(app, "ada@example.com", PASSWORD) is None
