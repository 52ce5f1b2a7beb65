"""One provider as this deployment talks to it, over authlib's httpx client.

Its discovery document and its keys are fetched on first use and kept per URL for the life of
the process (:class:`ProviderDocuments`): a provider that is down then fails only the sign-ins
that need it, never the application's start. A token signed with a key id the kept set does
not hold makes the set be fetched again, at most once a minute, so a key rotation is followed.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from typing import Any

import httpx
from authlib.deprecate import AuthlibDeprecationWarning  # type: ignore[import-untyped]
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from modules.oidc.config import ProviderSettings
from modules.oidc.errors import (
    InvalidIdToken,
    ProviderUnavailable,
    TokenExchangeFailed,
)

with warnings.catch_warnings():
    # authlib prefers the httpx2 package and deprecates falling back to httpx, which is what
    # this project uses; the warning would only be noise in every run.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import (  # type: ignore[import-untyped]
        AsyncOAuth2Client,
        OAuthError,
    )

METADATA_TTL = 3600.0
KEYS_REFRESH_INTERVAL = 60.0
RETRY_AFTER = 30
_REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class ProviderDocuments:
    """The discovery documents and key sets fetched so far, by URL, with when they were."""

    def __init__(self) -> None:
        self.metadata: dict[str, tuple[float, dict[str, Any]]] = {}
        self.keys: dict[str, tuple[float, KeySet]] = {}


DOCUMENTS = ProviderDocuments()


def _unavailable(name: str, what: str) -> ProviderUnavailable:
    return ProviderUnavailable(
        f"The provider '{name}' could not be reached or answered badly ({what}); try again later.",
        retry_after=RETRY_AFTER,
    )


class Provider:
    """A configured provider: its discovery document, keys and token endpoint."""

    def __init__(
        self,
        name: str,
        settings: ProviderSettings,
        *,
        timeout: float,
        documents: ProviderDocuments = DOCUMENTS,
    ) -> None:
        self.name = name
        self.settings = settings
        self.timeout = timeout
        self._documents = documents

    @property
    def display_name(self) -> str:
        """How users see the provider named."""
        return self.settings.display_name or self.name

    def _client(self, metadata: Mapping[str, Any] | None = None) -> AsyncOAuth2Client:
        secret = self.settings.client_secret
        methods = (metadata or {}).get("token_endpoint_auth_methods_supported") or []
        # client_secret_basic is the default of OpenID Connect Discovery; post only if it says.
        method = (
            "client_secret_post"
            if methods and "client_secret_basic" not in methods and "client_secret_post" in methods
            else "client_secret_basic"
        )
        return AsyncOAuth2Client(
            client_id=self.settings.client_id,
            client_secret=secret.get_secret_value() if secret is not None else None,
            token_endpoint_auth_method=method,
            scope=" ".join(self.settings.scopes),
            code_challenge_method="S256",
            timeout=self.timeout,
        )

    async def _get_json(self, url: str, what: str) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError):
            raise _unavailable(self.name, what) from None
        if not isinstance(document, dict):
            raise _unavailable(self.name, what)
        return document

    async def metadata(self) -> dict[str, Any]:
        """Returns the provider's discovery document (fetched at most once an hour)."""
        url = self.settings.metadata_url
        kept = self._documents.metadata.get(url)
        if kept is not None and time.monotonic() - kept[0] < METADATA_TTL:
            return kept[1]
        document = await self._get_json(url, "discovery document")
        if any(not isinstance(document.get(key), str) for key in _REQUIRED):
            raise _unavailable(self.name, "discovery document incomplete")
        # OpenID Connect Discovery §4.3: the document must name the issuer it was asked for.
        if document["issuer"] != self.settings.issuer:
            raise _unavailable(self.name, "discovery document of another issuer")
        self._documents.metadata[url] = (time.monotonic(), document)
        return document

    async def keys(self, *, refresh: bool = False) -> KeySet:
        """Returns the provider's public keys; ``refresh`` fetches them again unless that was
        done less than a minute ago."""
        url = (await self.metadata())["jwks_uri"]
        kept = self._documents.keys.get(url)
        if kept is not None and not (
            refresh and time.monotonic() - kept[0] >= KEYS_REFRESH_INTERVAL
        ):
            return kept[1]
        document = await self._get_json(url, "key set")
        try:
            keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError, KeyError):
            raise _unavailable(self.name, "unreadable key set") from None
        self._documents.keys[url] = (time.monotonic(), keys)
        return keys

    async def authorization_url(
        self, *, redirect_uri: str, state: str, nonce: str, code_verifier: str
    ) -> str:
        """Returns the URL sending the browser to the provider's authorization endpoint."""
        metadata = await self.metadata()
        async with self._client(metadata) as client:
            url, _ = client.create_authorization_url(
                metadata["authorization_endpoint"],
                state=state,
                code_verifier=code_verifier,
                redirect_uri=redirect_uri,
                nonce=nonce,
            )
        return str(url)

    async def exchange(self, *, code: str, redirect_uri: str, code_verifier: str) -> str:
        """Returns the ID token the provider gives for ``code``."""
        metadata = await self.metadata()
        try:
            async with self._client(metadata) as client:
                token = await client.fetch_token(
                    metadata["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    redirect_uri=redirect_uri,
                    code_verifier=code_verifier,
                )
        except OAuthError as exc:
            raise TokenExchangeFailed(
                f"The provider '{self.name}' refused the authorization code "
                f"({oauth_error_code(getattr(exc, 'error', None))})."
            ) from None
        except (httpx.HTTPError, ValueError):
            raise _unavailable(self.name, "token endpoint") from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise InvalidIdToken(f"The provider '{self.name}' answered without an ID token.")
        return id_token


def oauth_error_code(value: object) -> str:
    """Returns ``value`` if it looks like an OAuth error code (``access_denied``), else
    ``"error"``: what a provider sends is repeated to clients only in that shape."""
    code = str(value or "")
    return code if code.replace("_", "").isalpha() and len(code) <= 64 else "error"
