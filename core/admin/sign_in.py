"""Signing in to the console with the service's own accounts.

The session cookie (``mosaic_admin``, signed with a key derived from ``MOSAIC_SECRET_KEY``,
HttpOnly, SameSite=Lax, Secure in production, scoped to the console's path) holds the token pair
of an ordinary password login (:mod:`core.admin.grant`). Every request verifies the access token
with the kernel's authenticator, so a deactivated account, a revoked session or a withdrawn role
takes effect at once; an expired access token is renewed with the refresh token, as any API
client would.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time

from sqladmin.authentication import AuthenticationBackend
from starlette.requests import Request
from starlette.types import ASGIApp

from core.admin.grant import GrantRefused, Tokens, end_session, grant
from core.auth.authenticator import Authenticator
from core.auth.errors import InvalidToken
from core.auth.principal import Principal
from core.kernel.kernel import Kernel

COOKIE = "mosaic_admin"
_ACCESS = "access"
_REFRESH = "refresh"
# Field lengths the login form accepts (an email address, and the longest password worth hashing).
_MAX_EMAIL = 320
_MAX_PASSWORD = 4096
# How long a renewal's answer serves the other requests that carry the same refresh token: those
# sent alongside it (a page and its assets) or before the browser stored the new cookie.
RENEWAL_REUSE_SECONDS = 30.0
logger = logging.getLogger("mosaic.admin")


def session_key(secret_key: str) -> str:
    """The cookie's signing key: derived, so a console cookie is never valid as anything else."""
    return hmac.new(secret_key.encode(), b"mosaic admin session", hashlib.sha256).hexdigest()


def principal_of(request: Request) -> Principal | None:
    """The signed-in person of ``request`` (set once it was authenticated)."""
    principal = getattr(request.state, "mosaic_principal", None)
    return principal if isinstance(principal, Principal) else None


class SignIn(AuthenticationBackend):
    """sqladmin's authentication backend over the kernel's authenticator and token endpoint."""

    def __init__(
        self, kernel: Kernel, authenticator: Authenticator, app: ASGIApp, path: str
    ) -> None:
        settings = kernel.settings
        super().__init__(
            secret_key=session_key(settings.secret_key.get_secret_value()),
            session_cookie=COOKIE,
            path=path,
            same_site="lax",
            https_only=settings.env == "production",
            max_age=None,
        )
        self.kernel = kernel
        self.authenticator = authenticator
        self.app = app
        # Renewals by digest of the refresh token they used: when it started, and its answer.
        self._renewals: dict[bytes, tuple[float, asyncio.Future[Tokens | None]]] = {}

    async def login(self, request: Request) -> bool:
        form = await request.form(max_files=0, max_fields=10)
        email, password = form.get("username"), form.get("password")
        if not isinstance(email, str) or not isinstance(password, str):
            return False
        if not email or not password or len(email) > _MAX_EMAIL or len(password) > _MAX_PASSWORD:
            return False
        answer = await self._grant(
            request, {"grant_type": "password", "username": email, "password": password}
        )
        if answer is None:
            return False
        request.session.clear()
        request.session.update({_ACCESS: answer.access, _REFRESH: answer.refresh})
        return True

    async def logout(self, request: Request) -> bool:
        # Ending the session where the tokens were issued, not only forgetting the cookie: a copy
        # of the cookie (or of its tokens) must stop working once the person signs out.
        if await self.authenticate(request):
            access = request.session[_ACCESS]
            if not await end_session(self.app, request, self.authenticator.logout_url, access):
                logger.warning("admin sign-out: the session could not be ended")
        request.session.clear()
        return False

    async def authenticate(self, request: Request) -> bool:
        access, refresh = request.session.get(_ACCESS), request.session.get(_REFRESH)
        if not isinstance(access, str) or not isinstance(refresh, str):
            return False
        principal = await self._verify(access)
        if principal is None and refresh:
            renewed = await self._renew(request, refresh)
            if renewed is not None:
                request.session.update({_ACCESS: renewed.access, _REFRESH: renewed.refresh})
                principal = await self._verify(renewed.access)
        if principal is None:
            request.session.clear()
            return False
        request.state.mosaic_principal = principal
        return True

    async def get_user_id(self, request: Request) -> str | None:
        principal = principal_of(request)
        return principal.subject if principal is not None else None

    async def _verify(self, access: str) -> Principal | None:
        async with self.kernel.database.unit_of_work() as uow:
            try:
                return await self.authenticator.authenticate(access, uow.session)
            except InvalidToken:
                return None

    async def _renew(self, request: Request, refresh: str) -> Tokens | None:
        """The pair that replaces ``refresh``, asked for once per worker.

        A refresh token is single use: presented twice, the auth module takes it for a leak and
        ends the session. Requests of one browser that carry the same expired pair would sign
        the person out; they share one renewal instead. Across workers the race remains, and
        the person signs in again.
        """
        now = time.monotonic()
        for key, (started, _) in list(self._renewals.items()):
            if now - started > RENEWAL_REUSE_SECONDS:
                del self._renewals[key]
        key = hashlib.sha256(refresh.encode()).digest()
        if key not in self._renewals:
            form = {"grant_type": "refresh_token", "refresh_token": refresh}
            self._renewals[key] = (now, asyncio.ensure_future(self._grant(request, form)))
        return await asyncio.shield(self._renewals[key][1])

    async def _grant(self, request: Request, form: dict[str, str]) -> Tokens | None:
        answer = await grant(self.app, request, self.authenticator.token_url, form)
        if isinstance(answer, GrantRefused):
            logger.info("admin sign-in refused (%s): %s", answer.status, answer.detail)
            return None
        return answer
