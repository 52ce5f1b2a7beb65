"""``create_app``: one FastAPI application from the kernel and the enabled modules."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from core.config.plugins_file import PluginsConfig
from core.config.settings import Settings
from core.errors.handlers import install_error_handlers
from core.errors.openapi import install_openapi
from core.http import health
from core.http.request_id import RequestIdMiddleware
from core.http.server_errors import ServerErrorMiddleware
from core.kernel.kernel import Kernel, load_or_exit

API_PREFIX = "/api/v1"
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
    """The ``uvicorn --factory`` entry point: configuration from the environment, exit on error."""
    return build_app(load_or_exit())


def build_app(kernel: Kernel) -> FastAPI:
    """Returns the application for an already loaded kernel."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            stack.push_async_callback(kernel.database.dispose)
            for module in kernel.modules:
                if module.lifespan is not None:
                    await stack.enter_async_context(module.lifespan(kernel))
            logger.info("mosaic started with modules: %s", ", ".join(kernel.enabled) or "none")
            yield

    app = FastAPI(
        title=kernel.settings.title,
        version=_version(),
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.kernel = kernel
    for module in kernel.modules:
        for router in module.routers:
            app.include_router(router, prefix=API_PREFIX)
    app.include_router(health.router)

    install_error_handlers(app, kernel.errors)
    install_openapi(app)
    # Added last so they wrap everything: the request id is known to the 500 handler and is set
    # on its answer too.
    app.add_middleware(ServerErrorMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mosaic")
    except PackageNotFoundError:
        return "0.0.0"
