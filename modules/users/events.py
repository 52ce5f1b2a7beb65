"""Events of the users module: what other modules may react to (through ``modules.users.api``).

::

    CredentialsChanged            (not published itself: subscribe to it to hear all three)
     ├── PasswordChanged          users.password_changed.v1
     ├── UserDeactivated          users.deactivated.v1
     └── UserDeleted              users.deleted.v1
"""

from __future__ import annotations

import uuid

from core import Event


class CredentialsChanged(Event):
    """What an account could sign in with changed: sessions opened before may no longer hold."""

    user_id: uuid.UUID


class PasswordChanged(CredentialsChanged):
    """An account's owner changed its password; ``keep_session`` is the session they did it
    from, which stays open (``None``: end every session)."""

    event_name = "users.password_changed"
    keep_session: str | None = None


class UserDeactivated(CredentialsChanged):
    """An administrator deactivated an account: it can no longer sign in."""

    event_name = "users.deactivated"


class UserDeleted(CredentialsChanged):
    """An administrator deleted an account (published before the row goes, in the same
    transaction)."""

    event_name = "users.deleted"


EVENTS = (PasswordChanged, UserDeactivated, UserDeleted)
