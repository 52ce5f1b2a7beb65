"""The contract every Mosaic module is held to, applied to audit."""

from __future__ import annotations

from core.testing.contract import ModuleContract


class TestAuditContract(ModuleContract):
    module = "audit"
