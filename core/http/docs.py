"""The pages a person reads: Swagger UI at ``/docs``, ReDoc at ``/redoc``, and what ``/`` answers.

The pages' scripts, styles and icon are those the ``fastapi-offline`` distribution ships inside
its wheel (pinned in the lock), served by the service under ``/docs/assets``: a machine without
internet shows the same pages as one with it, and no page asks a CDN or a font service for
anything. Each page carries a Content-Security-Policy naming the service's own origin and the
hash of each of its inline scripts, so nothing else runs or loads there.

``/`` sends a person to ``/docs`` in development; in production (or with the docs turned off)
it answers a small JSON index of the service: its name, version and links.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterable
from importlib.resources import files
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from core.config.settings import Settings

DOCS = "/docs"
REDOC = "/redoc"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"
ASSETS = "/docs/assets"
ASSETS_PACKAGE = ("fastapi_offline", "static")

# Swagger UI's settings: no validator badge (it would send the document to an online
# validator), and the operation ids shown, since generated clients are named after them.
SWAGGER_PARAMETERS = {"validatorUrl": None, "displayOperationId": True}

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

# What every page may use: its own origin. Styles are inline as both bundles write them.
_POLICY = (
    "default-src 'none'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'{servers}; "
    "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
# ReDoc's bundle compiles JSON schema checks into functions when it loads the document.
_REDOC_SCRIPTS = "'unsafe-eval'"
# ReDoc's sidebar shows Redocly's logo from their CDN, which the policy blocks (a failed request
# in every browser). The bundle is served with the logo pointing at an empty image instead: its
# own error handler then hides it, and the page asks no other host for anything.
_REDOC_BUNDLE = "redoc.standalone.js"
_REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


def install_pages(app: FastAPI, settings: Settings, *, version: str) -> None:
    """Adds ``/`` and, unless ``MOSAIC_DOCS_ENABLED`` is false, ``/docs`` and ``/redoc``."""
    servers = _origins(settings.servers)
    docs = settings.docs_enabled

    async def index(request: Request) -> Response:
        root = request.scope.get("root_path", "")
        if docs and settings.env == "development":
            return RedirectResponse(root + DOCS)
        links = {"openapi": f"{root}/openapi.json"}
        if docs:
            links |= {"docs": root + DOCS, "redoc": root + REDOC}
        links |= {"errors": f"{root}/api/v1/errors", "health": f"{root}/health/ready"}
        return JSONResponse({"name": settings.title, "version": version, "links": links})

    app.add_route("/", index, methods=["GET"], include_in_schema=False)
    if not docs:
        return

    async def swagger_ui(request: Request) -> Response:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json",
            title=f"{settings.title} - Swagger UI",
            oauth2_redirect_url=root + OAUTH2_REDIRECT,
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
            swagger_ui_parameters=SWAGGER_PARAMETERS,
        )
        return _with_policy(page, servers=servers)

    async def oauth2_redirect(_request: Request) -> Response:
        return _with_policy(get_swagger_ui_oauth2_redirect_html(), servers=servers)

    async def redoc(request: Request) -> Response:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}/openapi.json",
            title=f"{settings.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS}/favicon.png",
            with_google_fonts=False,
        )
        return _with_policy(page, servers=servers, scripts=_REDOC_SCRIPTS)

    app.add_route(DOCS, swagger_ui, methods=["GET"], include_in_schema=False)
    app.add_route(OAUTH2_REDIRECT, oauth2_redirect, methods=["GET"], include_in_schema=False)
    app.add_route(REDOC, redoc, methods=["GET"], include_in_schema=False)
    app.add_route(
        f"{ASSETS}/{_REDOC_BUNDLE}", redoc_bundle, methods=["GET"], include_in_schema=False
    )
    app.mount(ASSETS, StaticFiles(packages=[ASSETS_PACKAGE]), name="docs-assets")


async def redoc_bundle(_request: Request) -> Response:
    """ReDoc's script, without the one image it would fetch from a CDN."""
    return Response(_redoc_bundle(), media_type="text/javascript")


@functools.cache
def _redoc_bundle() -> bytes:
    bundle = files(ASSETS_PACKAGE[0]).joinpath(ASSETS_PACKAGE[1], _REDOC_BUNDLE).read_bytes()
    return bundle.replace(_REDOC_LOGO, b"data:,")


def _with_policy(page: HTMLResponse, *, servers: str, scripts: str = "") -> HTMLResponse:
    """Returns ``page`` with a policy allowing its own inline scripts, and no other."""
    body = bytes(page.body).decode()
    hashes = [_hash(script) for script in _INLINE_SCRIPT.findall(body)]
    allowed = " ".join([*hashes, scripts]).strip()
    page.headers["Content-Security-Policy"] = _POLICY.format(scripts=allowed, servers=servers)
    return page


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _origins(servers: Iterable[str]) -> str:
    """The origins of the configured servers that are not the page's own, as CSP sources."""
    origins = {f"{url.scheme}://{url.netloc}" for url in map(urlsplit, servers) if url.netloc}
    return "".join(f" {origin}" for origin in sorted(origins))
