"""The audit module's public API: nothing yet; other modules feed it by publishing events."""

__all__: list[str] = []
