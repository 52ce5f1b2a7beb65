"""Who is calling: the subject of a verified token and what it may do."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller.

    ``subject`` is the token's ``sub`` (a user id for the users module); ``session`` identifies
    the login session the token belongs to, when the issuer tracks sessions.
    """

    subject: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    session: str | None = None

    def can(self, *permissions: str) -> bool:
        """Whether the principal holds every one of ``permissions``."""
        return self.permissions.issuperset(permissions)
