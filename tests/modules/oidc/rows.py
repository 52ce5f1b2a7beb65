"""Reading what the oidc and users modules stored, straight from the test database."""

from __future__ import annotations

from sqlalchemy import text

from core.testing.kernel import kernel_of


async def rows(app, table: str) -> list[dict[str, object]]:
    """Every row of ``table``, as dictionaries."""
    async with kernel_of(app).database.engine.connect() as connection:
        result = await connection.execute(text(f"SELECT * FROM {table}"))
        return [dict(row._mapping) for row in result]


async def execute(app, statement: str, **parameters: object) -> None:
    """Runs one statement in a transaction of its own."""
    async with kernel_of(app).database.engine.begin() as connection:
        await connection.execute(text(statement), parameters)


async def verified_account(app, email: str) -> str:
    """Opens an account whose email is verified, as the users module's public API does;
    returns its id."""
    from modules.users.api import create_account
    from modules.users.config import UsersSettings
    from modules.users.passwords import passwords_for

    passwords = passwords_for(kernel_of(app).settings_of(UsersSettings))
    async with kernel_of(app).database.unit_of_work() as uow:
        user = await create_account(
            uow, email=email, display_name=None, email_verified=True, passwords=passwords
        )
    return str(user.id)
