"""The rules of signing in with a provider. Functions never commit; the Unit of Work does.

A sign-in has two halves. :func:`start_sign_in` records a pending sign-in and returns where to
send the browser. :func:`finish_sign_in`, at the callback, first spends that record
(:func:`use_sign_in`, in a unit of work of its own, so a failure later on cannot bring the
state back), then asks the provider for the ID token with no transaction open, and last
:func:`sign_in` finds or opens the account and its session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core import Kernel, utcnow
from core.db import UnitOfWork, flush_or_raise
from modules.auth.api import TokenPair, open_login_session
from modules.oidc import repository
from modules.oidc.errors import (
    AccountInactive,
    AccountNotVerified,
    EmailMissing,
    EmailNotVerified,
    InvalidState,
    ProviderError,
    SignInConflict,
)
from modules.oidc.id_token import Identity, verify_id_token
from modules.oidc.models import LINK_CONSTRAINT, Link, PendingSignIn
from modules.oidc.provider import Provider, oauth_error_code
from modules.oidc.state import SignInSecrets, digest, read_cookie
from modules.users.api import EmailNotVerified as LoginRefusedUnverified
from modules.users.api import (
    Passwords,
    RegistrationClosed,
    UserView,
    account_by_email,
    account_email,
    create_account,
    get_active_user,
)


@dataclass(frozen=True, slots=True)
class StartedSignIn:
    """Where to send the browser, and until when its binding cookie holds."""

    url: str
    secrets: SignInSecrets
    expires_at: datetime


async def start_sign_in(
    uow: UnitOfWork,
    *,
    provider: Provider,
    redirect_uri: str,
    key: bytes,
    ttl: int,
) -> StartedSignIn:
    """Returns a new sign-in at ``provider``: its authorization URL (PKCE S256, state, nonce)
    and secrets. Only the hashes of its state and browser binding are written."""
    secrets = SignInSecrets.new(key)
    url = await provider.authorization_url(
        redirect_uri=redirect_uri,
        state=secrets.state,
        nonce=secrets.nonce,
        code_verifier=secrets.code_verifier,
    )
    now = utcnow()
    expires_at = now + timedelta(seconds=ttl)
    uow.session.add(
        PendingSignIn(
            state_hash=digest(secrets.state),
            provider=provider.name,
            browser_hash=digest(secrets.browser),
            created_at=now,
            expires_at=expires_at,
        )
    )
    await uow.session.flush()
    return StartedSignIn(url=url, secrets=secrets, expires_at=expires_at)


async def use_sign_in(
    uow: UnitOfWork, *, provider: str, state: str, browser: str, key: bytes
) -> SignInSecrets:
    """Spends the pending sign-in with this state, started by the browser with this binding;
    returns its secrets. Unknown, expired, used, another provider's or another browser's:
    ``oidc.invalid_state``."""
    used = await repository.use_sign_in(
        uow.session,
        state_hash=digest(state),
        provider=provider,
        browser_hash=digest(browser),
        now=utcnow(),
    )
    if not used:
        raise InvalidState(
            "This sign-in is unknown, expired, already finished or was started in another "
            "browser; start again."
        )
    return SignInSecrets.of(key, state=state, browser=browser)


async def finish_sign_in(
    uow: UnitOfWork,
    *,
    kernel: Kernel,
    provider: Provider,
    redirect_uri: str,
    key: bytes,
    leeway: int,
    cookie: str | None,
    state: str | None,
    code: str | None,
    error: str | None,
    passwords: Passwords,
    registration_allowed: bool,
    verified_only: bool,
) -> TokenPair:
    """Returns a new session's tokens for whoever the provider's redirect back proves signed
    in: the state must be live and the browser's ``cookie`` the one that started it, the code
    must be exchanged for an ID token that passes every check, and :func:`sign_in` decides the
    account."""
    browser = read_cookie(key, cookie, provider=provider.name, now=utcnow())
    if not state or browser is None:
        raise InvalidState(
            "This sign-in has no state or was not started in this browser, or its cookie "
            "expired; start again."
        )
    # Committed now, in a unit of work of its own: whatever fails later, the state cannot be
    # played again, and no transaction is held open while the provider answers.
    async with kernel.database.unit_of_work() as spending:
        secrets = await use_sign_in(
            spending, provider=provider.name, state=state, browser=browser, key=key
        )
    if error is not None or not code:
        reason = oauth_error_code(error) if error is not None else "no code"
        raise ProviderError(f"The provider '{provider.name}' did not sign you in ({reason}).")
    id_token = await provider.exchange(
        code=code, redirect_uri=redirect_uri, code_verifier=secrets.code_verifier
    )
    identity = await verify_id_token(provider, id_token, nonce=secrets.nonce, leeway=leeway)
    return await sign_in(
        uow,
        kernel=kernel,
        provider=provider.name,
        identity=identity,
        passwords=passwords,
        registration_allowed=registration_allowed,
        verified_only=verified_only,
    )


async def sign_in(
    uow: UnitOfWork,
    *,
    kernel: Kernel,
    provider: str,
    identity: Identity,
    passwords: Passwords,
    registration_allowed: bool,
    verified_only: bool,
) -> TokenPair:
    """Returns a new session's tokens for the account ``identity`` signs into.

    An identity that signed in before finds its account by its subject. A first one is linked
    to the account with its email only when both the provider and the account have verified
    that email (so nobody takes over an account by claiming its address at a provider, nor
    inherits one somebody opened with an address they do not own); with no such account, one
    is opened, as registration would.
    """
    link = await repository.link_of(uow.session, provider=provider, subject=identity.subject)
    if link is not None:
        user = await get_active_user(uow.session, user_id=link.user_id)
        if user is None:
            raise AccountInactive("The account this identity signs into is deactivated.")
        link.last_sign_in_at = utcnow()
    else:
        user = await _first_sign_in(
            uow,
            provider=provider,
            identity=identity,
            passwords=passwords,
            registration_allowed=registration_allowed,
        )
    if verified_only and not user.email_verified:
        raise LoginRefusedUnverified(
            "Verify your email first: ask for a link with POST /api/v1/users/verify/resend."
        )
    return await open_login_session(uow, kernel=kernel, user_id=user.id, roles=user.roles)


async def _first_sign_in(
    uow: UnitOfWork,
    *,
    provider: str,
    identity: Identity,
    passwords: Passwords,
    registration_allowed: bool,
) -> UserView:
    email = account_email(identity.email) if identity.email else None
    if email is None:
        raise EmailMissing("The provider shared no usable email address.")
    user = await account_by_email(uow.session, email=email)
    if user is not None:
        if not identity.email_verified:
            raise EmailNotVerified(
                "An account already uses this email and the provider does not say it is "
                "verified; log in with the account's password."
            )
        if not user.email_verified:
            raise AccountNotVerified(
                "An account already uses this email but has not verified it; verify it first."
            )
        if not user.is_active:
            raise AccountInactive("The account with this email is deactivated.")
    else:
        if not registration_allowed:
            raise RegistrationClosed("Registration is closed; ask an administrator for an account.")
        user = await create_account(
            uow,
            email=email,
            display_name=identity.name,
            email_verified=identity.email_verified,
            passwords=passwords,
        )
    uow.session.add(Link(provider=provider, subject=identity.subject, user_id=user.id))
    await flush_or_raise(
        uow.session,
        {LINK_CONSTRAINT: SignInConflict("This identity was linked a moment ago; sign in again.")},
    )
    return user


async def prune_sign_ins(uow: UnitOfWork, _settings: object = None) -> int:
    """Removes the sign-ins that can never finish (used or expired); returns how many. Run
    hourly by the kernel's job runner."""
    return await repository.prune_sign_ins(uow.session, now=utcnow())
