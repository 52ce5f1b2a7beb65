"""Log records as one JSON object per line (or readable text in development), uvicorn's included.

Every record gets the ``request_id`` of the request being served, when there is one, and keeps
the fields a caller passed in ``extra=`` as top-level members::

    {"time": "2026-01-02T03:04:05.678Z", "level": "INFO", "logger": "mosaic.access",
     "message": "GET /api/v1/notes/3 200 4.1ms", "request_id": "…", "route": "…", …}

:func:`configure_logging` installs the process's handler; :func:`uvicorn_log_config` is the same
set-up as a ``logging.config.dictConfig`` document, for ``uvicorn.run(log_config=…)``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

from core.config.settings import Settings
from core.http.request_id import request_id_var

# uvicorn's own loggers; their records go to the root handler, so they are formatted like ours.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")
# Replaced by ``mosaic.access``, which knows the route, the user and the request id.
UVICORN_ACCESS_LOGGER = "uvicorn.access"
# Libraries that say at INFO what only matters when debugging them. A server runs no migrations,
# but its readiness check reads where they stand, and alembic announces its context at INFO.
QUIET_LOGGERS = {"alembic.runtime.plugins": "WARNING", "alembic.runtime.migration": "WARNING"}

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = {
    *vars(logging.LogRecord("", 0, "", 0, "", (), None)),
    "message",
    "asctime",
    # uvicorn repeats its message with terminal colours in this extra.
    "color_message",
}
_MARK = "_mosaic_handler"


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to records that do not carry one."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = request_id_var.get()
        if request_id is not None and getattr(record, "request_id", None) is None:
            record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object on one line; tracebacks become a string member."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        document.update(_extras(record))
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            document["stack"] = self.formatStack(record.stack_info)
        return json.dumps(document, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """A readable line: time, level, logger, message, then the extra fields as ``key=value``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        line = super().formatMessage(record)
        extras = _extras(record).items()
        fields = " ".join(f"{key}={value}" for key, value in extras if value is not None)
        return f"{line} [{fields}]" if fields else line


def make_handler(*, json_lines: bool, stream: IO[str] | None = None) -> logging.Handler:
    """Returns the handler Mosaic logs through (stderr by default, so stdout stays for output)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    handler.addFilter(RequestIdFilter())
    setattr(handler, _MARK, True)
    return handler


def configure_logging(settings: Settings, *, stream: IO[str] | None = None) -> logging.Handler:
    """Installs Mosaic's handler on the root logger, replacing one installed earlier; returns it.

    Handlers that others installed (pytest's, an embedding application's) are left in place.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    handler = make_handler(json_lines=settings.logs_as_json, stream=stream)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    access = logging.getLogger(UVICORN_ACCESS_LOGGER)
    access.handlers.clear()
    access.propagate = False
    for name, level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
    return handler


def uvicorn_log_config(settings: Settings) -> dict[str, Any]:
    """The :func:`configure_logging` set-up as a ``dictConfig`` document for uvicorn.

    uvicorn applies it in its own process and in every worker before the application loads, so
    the lines it writes while starting are formatted like the rest.
    """
    handler = {"()": f"{__name__}.make_handler", "json_lines": settings.logs_as_json}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"mosaic": handler},
        "root": {"handlers": ["mosaic"], "level": settings.log_level},
        "loggers": {
            **{name: {"handlers": [], "propagate": True} for name in UVICORN_LOGGERS},
            UVICORN_ACCESS_LOGGER: {"handlers": [], "propagate": False},
            **{name: {"level": level} for name, level in QUIET_LOGGERS.items()},
        },
    }


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD and not key.startswith("_")
    }
