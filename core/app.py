"""``create_app``: one FastAPI application from the kernel and the enabled modules.

Middlewares, outermost first (see :func:`_middleware` for why in this order):

1. trusted proxies (when configured): the client's address and scheme behind them;
2. request id: every answer below carries ``X-Request-ID``, and every log line its id;
3. security headers: ``nosniff`` everywhere, ``no-store`` for authenticated requests;
4. request observer: the request log line and the metrics, the 500s included;
5. server errors: an unhandled exception becomes the 500 problem;
6. trusted hosts, 7. CORS, 8. body limit: requests refused before any route runs;
9. method not allowed: the 405 of the resource the path names, before a route takes it;
10. idempotency: the responses of the routes that take an ``Idempotency-Key``.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from starlette.middleware import Middleware

from core.admin.console import install_console
from core.config.plugins_file import PluginsConfig
from core.config.settings import Settings
from core.errors.openapi import install_openapi
from core.http import health
from core.http.body_limit import BodyLimitMiddleware
from core.http.cors import CorsMiddleware
from core.http.docs import install_pages
from core.http.exception_handlers import install_error_handlers
from core.http.methods import MethodNotAllowedMiddleware
from core.http.proxies import TrustedProxiesMiddleware
from core.http.request_id import RequestIdMiddleware
from core.http.routes import mount
from core.http.security_headers import SecurityHeadersMiddleware
from core.http.server_errors import ServerErrorMiddleware
from core.http.trusted_hosts import TrustedHostMiddleware
from core.idempotency.capture import IdempotencyMiddleware
from core.kernel.kernel import Kernel, load_or_exit
from core.observability import metrics as metrics_endpoint
from core.observability.logging import configure_logging
from core.observability.metrics import Metrics
from core.observability.request_observer import RequestObserverMiddleware

API_PREFIX = "/api/v1"
# The owner named in the operation ids of the kernel's own routes (`core_read_liveness`).
KERNEL = "core"
logger = logging.getLogger("mosaic")


def create_app(
    settings: Settings | None = None,
    *,
    config: PluginsConfig | None = None,
    plugins: Mapping[str, object] | None = None,
) -> FastAPI:
    """Returns the application serving the enabled modules (raises ``ConfigError`` if invalid)."""
    return build_app(Kernel.load(settings, config=config, plugins=plugins))


def create_app_from_environment() -> FastAPI:
    """The ``uvicorn --factory`` entry point: configuration from the environment, exit on error.

    Logging is configured here, once per worker process, before anything is served.
    """
    kernel = load_or_exit()
    configure_logging(kernel.settings)
    app = build_app(kernel)
    # What startup built (modules, routes, schemas, mappers) lives as long as the worker: moved
    # out of the collector's generations, it is no longer scanned by every full collection.
    gc.collect()
    gc.freeze()
    return app


def build_app(kernel: Kernel) -> FastAPI:
    """Returns the application for an already loaded kernel."""
    settings = kernel.settings
    metrics = Metrics.from_environment() if settings.metrics_enabled else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if metrics is not None:
                metrics.watch_pool(kernel.database.engine)
                stack.callback(metrics.close)
                kernel.publisher.on_commit.append(metrics.events_committed)
                stack.callback(kernel.publisher.on_commit.remove, metrics.events_committed)
                kernel.dispatcher.observers.append(metrics)
                stack.callback(kernel.dispatcher.observers.remove, metrics)
            stack.push_async_callback(kernel.database.dispose)
            for module_lifespan in kernel.plugins.hook.mosaic_register_lifespan(kernel=kernel):
                await stack.enter_async_context(module_lifespan)
            if kernel.broker is not None:
                # Registered before the dispatcher starts, so it is closed after it stopped.
                stack.push_async_callback(kernel.broker.close)
            if settings.events_dispatch:
                kernel.dispatcher.start()
                stack.push_async_callback(kernel.dispatcher.stop)
            if settings.jobs_enabled:
                kernel.jobs.start()
                stack.push_async_callback(kernel.jobs.stop)
            logger.info("mosaic started with modules: %s", ", ".join(kernel.enabled) or "none")
            yield

    version = settings.version or _version()
    app = FastAPI(
        title=settings.title,
        description=settings.description,
        version=version,
        servers=[{"url": url} for url in settings.servers] or None,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        # The kernel serves the pages itself, from packaged assets (core.http.docs).
        docs_url=None,
        redoc_url=None,
        middleware=_middleware(kernel, metrics),
    )
    app.state.kernel = kernel
    app.state.metrics = metrics
    for module in kernel.modules:
        for router in module.routers:
            mount(app, router, prefix=API_PREFIX, owner=module.name)
    mount(app, health.router, owner=KERNEL)
    if metrics is not None:
        mount(app, metrics_endpoint.router, owner=KERNEL)
    install_pages(app, settings, version=version)
    install_console(app, kernel)

    install_error_handlers(app, kernel.errors, outage=kernel.database.outage)
    install_openapi(app)
    return app


def _middleware(kernel: Kernel, metrics: Metrics | None) -> list[Middleware]:
    """The middleware stack, outermost first.

    The trusted proxies come first: the request log, the login throttle and the problem links
    all read the client's address or scheme, and must read the same ones. The request id comes
    next so every answer and log line below has it. Headers and the request log sit outside
    the server-error middleware so a 500 answer gets them too (they only read the request and
    decorate the answer, and cannot fail it). The refusals come next: they answer problem
    documents, which need the request id, and the server-error middleware catches their
    failures. Trusted hosts wraps CORS so a forged Host gets nothing else; CORS wraps the body
    limit so a 413 is readable by the page that caused it.
    """
    settings = kernel.settings
    proxies = settings.trusted_proxies
    return [
        *([Middleware(TrustedProxiesMiddleware, proxies=proxies)] if proxies else []),
        Middleware(RequestIdMiddleware),
        Middleware(SecurityHeadersMiddleware),
        Middleware(RequestObserverMiddleware, metrics=metrics),
        Middleware(ServerErrorMiddleware),
        Middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts),
        Middleware(CorsMiddleware, origins=settings.cors_origins),
        # The kernel gives the settings of the routes that declare their own limit.
        Middleware(BodyLimitMiddleware, max_body_size=settings.max_body_size, kernel=kernel),
        # Outside the routes whose templates could take the request.
        Middleware(MethodNotAllowedMiddleware),
        # Innermost: it stores a route's own response, without the headers added above it.
        Middleware(IdempotencyMiddleware),
    ]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mosaic")
    except PackageNotFoundError:
        return "0.0.0"
