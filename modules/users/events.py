"""Events of the users module: what other modules may react to (through ``modules.users.api``).

::

    CredentialsChanged            (not published itself: subscribe to it to hear all three)
     ├── PasswordChanged          users.password_changed.v1
     ├── UserDeactivated          users.deactivated.v1
     └── UserDeleted              users.deleted.v1
    VerificationRequested         users.verification_requested.v1
    PasswordResetRequested        users.password_reset_requested.v1

The two requests carry an email whether or not an account has it: the module itself answers
them after commit (mailing a link only when an account does), so the request that asked does the
same work either way and tells nobody which addresses have accounts.
"""

from __future__ import annotations

import uuid
from datetime import datetime

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


class VerificationRequested(Event):
    """Someone asked for a new verification mail for ``email`` (which an account may or may not
    have): if an active account has it unverified, it is mailed a link to ``page`` that holds
    until ``expires_at``."""

    event_name = "users.verification_requested"
    email: str
    page: str
    expires_at: datetime


class PasswordResetRequested(Event):
    """Someone asked to reset the password of ``email`` (which an account may or may not have):
    if an active account has it, it is mailed a link to ``page`` that holds until
    ``expires_at``."""

    event_name = "users.password_reset_requested"
    email: str
    page: str
    expires_at: datetime


EVENTS = (
    PasswordChanged,
    UserDeactivated,
    UserDeleted,
    VerificationRequested,
    PasswordResetRequested,
)
