"""A real OpenID Connect provider on the loopback, for the sign-in tests.

A small Starlette application (discovery, JWKS, authorize, token) signing its ID tokens with
joserfc, served by uvicorn in a thread on a free port, so the application under test reaches it
over HTTP exactly as it would a real provider. The authorize endpoint signs in ``user`` at once
(no login page); ``fault`` makes the next ID tokens wrong in one chosen way.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

CLIENT_ID = "mosaic-test-client"
CLIENT_SECRET = "a-loopback-client-secret-for-tests"
KEY = RSAKey.generate_key(2048, parameters={"kid": "provider-key-1", "use": "sig"})
ROGUE_KEY = RSAKey.generate_key(2048, parameters={"kid": "rogue-key", "use": "sig"})
NEXT_KEY = RSAKey.generate_key(2048, parameters={"kid": "provider-key-2", "use": "sig"})


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str
    claims: dict[str, Any]
    used: bool = False


@dataclass
class LoopbackProvider:
    """The provider's state: who signs in next, what goes wrong, what it was asked."""

    user: dict[str, Any] = field(
        default_factory=lambda: {
            "sub": "subject-1",
            "email": "ada@example.com",
            "email_verified": True,
            "name": "Ada Lovelace",
        }
    )
    fault: str | None = None
    signing_key: RSAKey = field(default_factory=lambda: KEY)
    published: list[RSAKey] = field(default_factory=lambda: [KEY])
    deny: bool = False
    grants: dict[str, Grant] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- endpoints -----------------------------------------------------------------------

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            }
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet(list(self.published)).as_dict(private=False))

    async def authorize(self, request: Request) -> Response:
        query = dict(request.query_params)
        self.authorize_requests.append(query)
        problems = [
            query.get("response_type") != "code",
            query.get("client_id") != CLIENT_ID,
            query.get("code_challenge_method") != "S256",
            not query.get("code_challenge"),
            not query.get("state"),
            not query.get("nonce"),
            "openid" not in query.get("scope", "").split(),
        ]
        if any(problems):
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        back = {"state": query["state"]}
        if self.deny:
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(24)
            self.grants[code] = Grant(
                client_id=query["client_id"],
                redirect_uri=query["redirect_uri"],
                code_challenge=query["code_challenge"],
                nonce=query["nonce"],
                claims=dict(self.user),
            )
            back["code"] = code
        return RedirectResponse(f"{query['redirect_uri']}?{urlencode(back)}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = {key: str(value) for key, value in (await request.form()).items()}
        self.token_requests.append(form)
        if _basic_credentials(request) != (CLIENT_ID, CLIENT_SECRET):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self.grants.get(form.get("code", ""))
        if grant is None or grant.used or form.get("grant_type") != "authorization_code":
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        grant.used = True  # RFC 6749 §4.1.2: a code is used once
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if challenge.rstrip(b"=").decode() != grant.code_challenge:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if form.get("redirect_uri") != grant.redirect_uri:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant),
            },
            headers={"Cache-Control": "no-store"},
        )

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            **grant.claims,
        }
        key = self.signing_key
        if self.fault == "bad_nonce":
            claims["nonce"] = "not-the-nonce-of-this-sign-in"
        elif self.fault == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif self.fault == "wrong_audience":
            claims["aud"] = "another-client"
        elif self.fault == "wrong_issuer":
            claims["iss"] = "http://127.0.0.1:1"
        elif self.fault == "unknown_key":
            key = ROGUE_KEY
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def rotate(self) -> None:
        """Publishes a new key and signs with it from now on."""
        self.published.append(NEXT_KEY)
        self.signing_key = NEXT_KEY

    def app(self) -> Starlette:
        provider = self

        class Recorder:
            """Notes the path of every request the provider serves."""

            def __init__(self, app: ASGIApp) -> None:
                self.app = app

            async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
                if scope["type"] == "http":
                    provider.requests.append(scope["path"])
                await self.app(scope, receive, send)

        return Starlette(
            middleware=[Middleware(Recorder)],
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/jwks", self.jwks),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
            ],
        )


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    user, _, password = base64.b64decode(value).decode().partition(":")
    return unquote(user), unquote(password)


class ProviderServer:
    """Serves a :class:`LoopbackProvider` with uvicorn in a thread of its own."""

    def __init__(self, provider: LoopbackProvider) -> None:
        self.provider = provider
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        provider.port = self._socket.getsockname()[1]
        config = uvicorn.Config(
            provider.app(), log_config=None, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the loopback OpenID Connect provider did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
