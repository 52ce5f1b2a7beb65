"""The auth module's public API. Other modules need nothing from it: they use
``core.auth.require`` and ``core.auth.CurrentPrincipal``."""

__all__: list[str] = []
