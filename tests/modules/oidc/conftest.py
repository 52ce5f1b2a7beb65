"""An application with the users, auth and oidc modules, signing in at a loopback provider."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from modules.auth import plugin as auth_plugin
from modules.oidc import plugin as oidc_plugin
from modules.oidc.provider import DOCUMENTS
from modules.users import plugin as users_plugin
from tests.modules.auth.conftest import FAST_HASHING
from tests.modules.oidc.provider import CLIENT_ID, CLIENT_SECRET, LoopbackProvider, ProviderServer

PLUGINS = {"users": users_plugin, "auth": auth_plugin, "oidc": oidc_plugin}


@pytest.fixture
def provider():
    """A provider serving on a free loopback port for the test."""
    # The module keeps discovery documents and keys per URL for the life of the process; a
    # later test's provider may get a port an earlier one had, with other keys.
    DOCUMENTS.metadata.clear()
    DOCUMENTS.keys.clear()
    state = LoopbackProvider()
    server = ProviderServer(state)
    server.start()
    yield state
    server.stop()


def oidc_settings(issuer: str, name: str = "acme", **provider) -> dict[str, object]:
    """``[modules.oidc]`` with one provider at ``issuer``, and its secret as the environment
    variable hands it over."""
    return {
        "providers": {name: {"issuer": issuer, "client_id": CLIENT_ID, **provider}},
        f"providers__{name}__client_secret": CLIENT_SECRET,
    }


@pytest.fixture
def oidc_app(mosaic_app, provider):
    """Returns ``await oidc_app(users=..., **oidc_settings)``: the application, its one
    provider ``acme`` being the loopback one unless ``oidc_settings`` say otherwise."""

    async def factory(*, users=None, **settings):
        return await mosaic_app(
            PLUGINS,
            settings={
                "users": {**FAST_HASHING, **(users or {})},
                "oidc": {**oidc_settings(provider.issuer), **settings},
            },
        )

    return factory


@pytest.fixture
async def app(oidc_app):
    return await oidc_app()


@dataclass
class Started:
    """A sign-in's first steps as a browser lives them: the login, and the provider's answer."""

    login: httpx.Response
    authorize: httpx.Response

    @property
    def callback_url(self) -> str:
        """The path and query the provider sent the browser back to."""
        assert self.authorize.status_code == 302
        parts = urlsplit(self.authorize.headers["location"])
        return f"{parts.path}?{parts.query}"

    @property
    def returned(self) -> dict[str, str]:
        """The query parameters of the provider's redirect back (code, state or error)."""
        return {k: v[0] for k, v in parse_qs(urlsplit(self.callback_url).query).items()}


@dataclass
class Dance(Started):
    """A whole sign-in: its first steps and the callback's answer."""

    callback: httpx.Response


async def start(client: httpx.AsyncClient, name: str = "acme") -> Started:
    """Starts a sign-in and lets the provider answer; the browser has not gone back yet."""
    login = await client.get(f"/api/v1/oidc/{name}/login")
    assert login.status_code == 302, login.text
    with _unlogged("httpx", "httpcore.connection", "httpcore.http11"):
        async with httpx.AsyncClient() as browser:
            authorize = await browser.get(login.headers["location"])
    return Started(login=login, authorize=authorize)


@contextmanager
def _unlogged(*names: str) -> Iterator[None]:
    """Silences these loggers: the browser's visit to the provider logs the authorize URL and
    the redirect back, state, nonce and code included, which are the browser's lines, not the
    application's (whose logs the tests search for those secrets)."""
    loggers = [logging.getLogger(name) for name in names]
    before = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, disabled in zip(loggers, before, strict=True):
            logger.disabled = disabled


async def sign_in(client: httpx.AsyncClient, name: str = "acme") -> Dance:
    """The whole redirect dance: login, the provider's authorize, the callback."""
    started = await start(client, name)
    callback = await client.get(started.callback_url)
    return Dance(login=started.login, authorize=started.authorize, callback=callback)


async def me(client: httpx.AsyncClient, access: str) -> httpx.Response:
    return await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {access}"})
