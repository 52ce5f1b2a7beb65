"""The oidc module's public API: other modules need nothing from it."""

__all__: list[str] = []
