"""The contract every Mosaic module is held to, applied to oidc."""

from __future__ import annotations

from core.testing.contract import ModuleContract


class TestOidcContract(ModuleContract):
    module = "oidc"
