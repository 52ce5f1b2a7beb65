"""The contract every Mosaic module is held to, applied to auth (with users, its dependency)."""

from __future__ import annotations

from core.testing.contract import ModuleContract


class TestAuthContract(ModuleContract):
    module = "auth"
