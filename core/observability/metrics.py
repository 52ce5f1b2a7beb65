"""Prometheus metrics of the HTTP service and its database pool, served at ``GET /metrics``.

One process keeps its metrics in memory. Several worker processes (``mosaic serve --workers N``)
each write theirs to files in ``PROMETHEUS_MULTIPROC_DIR`` — prometheus-client's multiprocess
mode, chosen by that variable when prometheus-client is imported — and whichever worker answers
a scrape adds up every worker's files, so a scrape sees the whole server, not one worker.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from core.kernel.access import kernel_of

if TYPE_CHECKING:
    from core.events.event import Envelope
    from core.events.models import Publication

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
PATH = "/metrics"
# A request no route matched (404, or refused before routing): one series, whatever the path.
UNMATCHED_ROUTE = "<unmatched>"
# Methods are labels; anything a client makes up is counted as one value, not one series each.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY"})
_LABELS = ("method", "route", "status")


class Metrics:
    """The service's instruments, in a registry of their own (one per application)."""

    def __init__(self, *, multiprocess_dir: Path | None = None) -> None:
        self.multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry(auto_describe=True)
        self._watched: set[AsyncEngine] = set()
        self.requests = Counter(
            "mosaic_http_requests",
            "HTTP requests answered, by method, route template and status.",
            _LABELS,
            registry=self.registry,
        )
        self.duration = Histogram(
            "mosaic_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status.",
            _LABELS,
            registry=self.registry,
        )
        # "livesum": the sum over the workers alive now; an exited worker's requests are over.
        self.in_progress = Gauge(
            "mosaic_http_requests_in_progress",
            "HTTP requests being answered.",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.pool_checked_out = Gauge(
            "mosaic_db_pool_checked_out_connections",
            "Database connections lent to requests and jobs right now.",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.pool_size = Gauge(
            "mosaic_db_pool_size_connections",
            "Connections the database pool keeps (MOSAIC_DB_POOL_SIZE per worker).",
            registry=self.registry,
            multiprocess_mode="livesum",
        )

        self.events_published = Counter(
            "mosaic_events_published",
            "Events committed, by event type.",
            ("type",),
            registry=self.registry,
        )
        self.events_delivered = Counter(
            "mosaic_events_delivered",
            "Publications delivered to a listener (or the broker), by listener.",
            ("listener",),
            registry=self.registry,
        )
        self.events_failed = Counter(
            "mosaic_events_failed",
            "Failed delivery attempts (retried or abandoned), by listener.",
            ("listener",),
            registry=self.registry,
        )
        self.events_incomplete = Gauge(
            "mosaic_events_incomplete_publications",
            "Publications waiting for delivery, abandoned ones excluded (read at scrape time).",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )
        self.events_lag = Histogram(
            "mosaic_events_delivery_lag_seconds",
            "Time from an event's commit to its delivery, by listener.",
            ("listener",),
            registry=self.registry,
            buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600, float("inf")),
        )

    def events_committed(self, envelopes: Sequence[Envelope]) -> None:
        """Counts the events a Unit of Work committed."""
        for envelope in envelopes:
            self.events_published.labels(envelope.type).inc()

    def event_delivered(self, publication: Publication, lag: float) -> None:
        """Counts one delivery and its lag."""
        self.events_delivered.labels(publication.listener).inc()
        self.events_lag.labels(publication.listener).observe(max(lag, 0.0))

    def event_failed(self, publication: Publication) -> None:
        """Counts one failed delivery attempt."""
        self.events_failed.labels(publication.listener).inc()

    @classmethod
    def from_environment(cls) -> Metrics:
        """Returns the metrics, in multiprocess mode when ``PROMETHEUS_MULTIPROC_DIR`` is set."""
        directory = os.environ.get(MULTIPROCESS_ENV)
        return cls(multiprocess_dir=Path(directory) if directory else None)

    def observe(self, *, method: str, route: str | None, status: int, seconds: float) -> None:
        """Counts one answered request under its route template (never its raw path)."""
        labels = (
            method if method in _METHODS else "other",
            route or UNMATCHED_ROUTE,
            str(status),
        )
        self.requests.labels(*labels).inc()
        self.duration.labels(*labels).observe(seconds)

    def watch_pool(self, engine: AsyncEngine) -> None:
        """Keeps the pool gauges current as connections are lent and returned.

        A scrape reads the pool of the worker that answers it (:meth:`read_pool`); the other
        workers' gauges are the ones these events keep up to date.
        """

        if engine in self._watched:
            return
        self._watched.add(engine)

        def lent(*_: Any) -> None:
            self.pool_checked_out.inc()

        def returned(*_: Any) -> None:
            self.pool_checked_out.dec()

        event.listen(engine.sync_engine, "checkout", lent)
        event.listen(engine.sync_engine, "checkin", returned)
        self.read_pool(engine)

    def read_pool(self, engine: AsyncEngine) -> None:
        """Sets the pool gauges from the pool itself (SQLite's single-connection pools have no
        size: the gauge stays 0)."""
        pool = engine.sync_engine.pool
        checked_out = getattr(pool, "checkedout", None)
        size = getattr(pool, "size", None)
        if callable(checked_out):
            self.pool_checked_out.set(checked_out())
        if callable(size):
            self.pool_size.set(size())

    def exposition(self) -> bytes:
        """Returns the text exposition of every worker's metrics."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        # prometheus-client's multiprocess helpers are not annotated.
        multiprocess.MultiProcessCollector(  # type: ignore[no-untyped-call]
            registry, path=str(self.multiprocess_dir)
        )
        return generate_latest(registry)

    def close(self) -> None:
        """Marks this worker as gone, so its live gauges stop counting (multiprocess mode)."""
        if self.multiprocess_dir is not None:
            multiprocess.mark_process_dead(  # type: ignore[no-untyped-call]
                os.getpid(), str(self.multiprocess_dir)
            )


router = APIRouter()


@router.get(PATH, include_in_schema=False)
async def metrics(request: Request) -> Response:
    """The Prometheus exposition of the service's metrics."""
    instruments: Metrics = request.app.state.metrics
    kernel = kernel_of(request)
    instruments.read_pool(kernel.database.engine)
    if kernel.dispatcher.listeners:  # nothing to count where nothing is ever delivered
        from core.events.repository import incomplete_count

        async with kernel.database.unit_of_work() as uow:
            instruments.events_incomplete.set(await incomplete_count(uow.session))
    return Response(instruments.exposition(), media_type=CONTENT_TYPE_LATEST)
