"""Password hashing: argon2id with the module's parameters, always off the event loop.

Whoever hashes or verifies is handed the :class:`Passwords` of the deployment's settings
(:func:`passwords_for`): routes through a dependency (``PasswordsDep``, public to other modules
as ``AccountPasswords``), commands from the kernel they receive.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher

from modules.users.config import UsersSettings

PASSWORD_MIN_LENGTH = 8
# Argon2 accepts anything, so the bound is ours: long enough for any passphrase, short enough
# that a request cannot make a hash expensive. Checked by the schemas before any hashing.
PASSWORD_MAX_LENGTH = 128

logger = logging.getLogger("mosaic.users")


class Passwords:
    """Hashes and verifies passwords with one set of argon2id parameters."""

    def __init__(self, *, memory_cost: int, time_cost: int, parallelism: int) -> None:
        hasher = Argon2Hasher(memory_cost=memory_cost, time_cost=time_cost, parallelism=parallelism)
        self._hash = PasswordHash((hasher,))
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        """Returns the encoded hash of ``password``."""
        return await asyncio.to_thread(self._hash.hash, password)

    async def verify(self, password: str, encoded: str) -> tuple[bool, str | None]:
        """Returns whether ``password`` matches, and a new hash when the parameters changed."""
        try:
            return await asyncio.to_thread(self._hash.verify_and_update, password, encoded)
        except UnknownHashError:
            logger.warning("a stored password hash is not argon2; the login is refused")
            return False, None

    async def verify_nothing(self, password: str) -> None:
        """Spends the time of a verification against no account, so an unknown email answers
        as slowly as a known one."""
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(secrets.token_urlsafe(16))
        await asyncio.to_thread(self._hash.verify, password, self._dummy_hash)

    async def warm_up(self) -> None:
        """Computes the dummy hash now, so the first unknown email is not slower than the rest."""
        await self.verify_nothing("")


@lru_cache(maxsize=8)
def _passwords(memory_cost: int, time_cost: int, parallelism: int) -> Passwords:
    return Passwords(memory_cost=memory_cost, time_cost=time_cost, parallelism=parallelism)


def passwords_for(settings: UsersSettings) -> Passwords:
    """Returns the (shared) :class:`Passwords` of ``settings``' argon2 parameters."""
    return _passwords(
        settings.argon2_memory_cost, settings.argon2_time_cost, settings.argon2_parallelism
    )
