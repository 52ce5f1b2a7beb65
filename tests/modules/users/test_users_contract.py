"""The contract every Mosaic module is held to, applied to users."""

from __future__ import annotations

from core.testing.contract import ModuleContract


class TestUsersContract(ModuleContract):
    module = "users"
