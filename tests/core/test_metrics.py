"""Prometheus metrics at ``GET /metrics``, in one process and across several workers."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.pool import QueuePool

from core.cli.serve import metrics_shared_by
from core.observability.metrics import MULTIPROCESS_ENV, UNMATCHED_ROUTE, Metrics
from core.testing.kernel import kernel_of
from tests.core.installed import ROOT

NOTE_ROUTE = "/api/v1/notes/{note_id}"


def samples(text):
    """``{(name, frozenset(labels)): value}`` of a text exposition."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped, name, **labels):
    return scraped.get((name, frozenset(labels.items())))


@pytest.fixture
async def app(mosaic_app, notes):
    return await mosaic_app({"notes": notes})


async def scrape(client):
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return samples(response.text)


async def test_requests_are_counted_by_route_template_and_status(client):
    for path in ("/api/v1/notes/1", "/api/v1/notes/2", "/api/v1/notes/count"):
        await client.get(path)
    await client.put("/api/v1/notes/1", json={})
    await client.get("/api/v1/nowhere/at/all")

    scraped = await scrape(client)

    counted = "mosaic_http_requests_total"
    assert value(scraped, counted, method="GET", route=NOTE_ROUTE, status="404") == 2
    assert value(scraped, counted, method="GET", route="/api/v1/notes/count", status="200") == 1
    assert value(scraped, counted, method="GET", route=UNMATCHED_ROUTE, status="404") == 1
    timed = "mosaic_http_request_duration_seconds_count"
    assert value(scraped, timed, method="GET", route=NOTE_ROUTE, status="404") == 2
    routes = {dict(labels).get("route") for _, labels in scraped}
    assert not {"/api/v1/notes/1", "/api/v1/notes/2", "/api/v1/nowhere/at/all"} & routes


@pytest.mark.parametrize("path", ["/docs", "/openapi.json", "/docs/oauth2-redirect"])
async def test_the_framework_pages_are_counted_under_their_own_route(client, path):
    assert (await client.get(path)).status_code == 200

    scraped = await scrape(client)

    counted = "mosaic_http_requests_total"
    assert value(scraped, counted, method="GET", route=path, status="200") == 1
    assert value(scraped, counted, method="GET", route=UNMATCHED_ROUTE, status="200") is None


async def test_a_500_is_counted_as_a_500(client):
    await client.post("/api/v1/notes/write-then-crash", json={"text": "hi"})

    scraped = await scrape(client)

    route = "/api/v1/notes/write-then-crash"
    assert value(scraped, "mosaic_http_requests_total", method="POST", route=route, status="500")


async def test_a_made_up_method_is_one_series(client):
    await client.request("BREW", "/api/v1/notes/1")
    await client.request("FETCH", "/api/v1/notes/1")

    scraped = await scrape(client)

    methods = {dict(labels).get("method") for _, labels in scraped}
    assert "other" in methods
    assert not {"BREW", "FETCH"} & methods


async def test_the_scrape_itself_is_in_flight(client):
    scraped = await scrape(client)

    assert value(scraped, "mosaic_http_requests_in_progress") == 1


async def test_the_pool_is_read_at_scrape_time(app, client):
    kernel = kernel_of(app)
    idle = await scrape(client)

    async with kernel.database.engine.connect() as connection:
        busy = await scrape(client)
        assert connection is not None

    assert value(idle, "mosaic_db_pool_checked_out_connections") == 0
    assert value(busy, "mosaic_db_pool_checked_out_connections") == 1
    pool = kernel.database.engine.sync_engine.pool
    assert isinstance(pool, QueuePool)
    size = pool.size()
    assert value(busy, "mosaic_db_pool_size_connections") == size > 0


async def test_metrics_stay_out_of_the_api_document(client):
    document = (await client.get("/openapi.json")).json()

    assert "/metrics" not in document["paths"]


async def test_metrics_can_be_turned_off(mosaic_app, mosaic_client, notes):
    client = await mosaic_client(await mosaic_app({"notes": notes}, env={"metrics_enabled": False}))

    response = await client.get("/metrics")

    assert response.status_code == 404
    assert (await client.get("/api/v1/notes/count")).status_code == 200


WORKER = textwrap.dedent(
    """
    import sys
    from core.observability.metrics import Metrics

    metrics = Metrics.from_environment()
    assert metrics.multiprocess_dir is not None
    metrics.observe(method="GET", route="/api/v1/notes/{note_id}", status=200, seconds=0.2)
    metrics.in_progress.inc()
    metrics.pool_size.set(10)
    if sys.argv[1] == "exited":
        metrics.close()
    """
)


def test_several_workers_are_added_up(tmp_path):
    env = {**os.environ, MULTIPROCESS_ENV: str(tmp_path), "PYTHONPATH": str(ROOT)}
    for state in ("serving", "exited"):
        subprocess.run([sys.executable, "-c", WORKER, state], env=env, check=True, timeout=60)

    scraped = samples(Metrics(multiprocess_dir=tmp_path).exposition().decode())

    labels = {"method": "GET", "route": NOTE_ROUTE, "status": "200"}
    assert value(scraped, "mosaic_http_requests_total", **labels) == 2
    assert value(scraped, "mosaic_http_request_duration_seconds_count", **labels) == 2
    seconds = value(scraped, "mosaic_http_request_duration_seconds_sum", **labels)
    assert seconds == pytest.approx(0.4)
    # Live gauges count the workers still serving, not the one that exited.
    assert value(scraped, "mosaic_http_requests_in_progress") == 1
    assert value(scraped, "mosaic_db_pool_size_connections") == 10


def test_serve_gives_several_workers_a_fresh_directory(monkeypatch):
    monkeypatch.delenv(MULTIPROCESS_ENV, raising=False)

    with metrics_shared_by(2):
        directory = Path(os.environ[MULTIPROCESS_ENV])
        assert directory.is_dir()
        assert list(directory.iterdir()) == []

    assert MULTIPROCESS_ENV not in os.environ
    assert not directory.exists()


def test_serve_keeps_a_directory_the_operator_chose(monkeypatch, tmp_path):
    monkeypatch.setenv(MULTIPROCESS_ENV, str(tmp_path))

    with metrics_shared_by(4):
        assert os.environ[MULTIPROCESS_ENV] == str(tmp_path)


def test_one_worker_keeps_its_metrics_in_memory(monkeypatch):
    monkeypatch.delenv(MULTIPROCESS_ENV, raising=False)

    with metrics_shared_by(1):
        assert MULTIPROCESS_ENV not in os.environ
