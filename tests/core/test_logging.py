"""Structured logs: one JSON line per request, and every other record as JSON too."""

import io
import json
import logging
import logging.config

import pytest
from pydantic import SecretStr

from core.config.settings import Settings
from core.observability.logging import QUIET_LOGGERS, configure_logging, uvicorn_log_config
from core.testing.auth import static_auth_plugin
from tests.fixture_modules import probe

REQUEST_FIELDS = {
    "time",
    "level",
    "logger",
    "message",
    "method",
    "path",
    "route",
    "status",
    "duration_ms",
    "request_id",
    "user_id",
    "client",
}


@pytest.fixture
def log_lines():
    """Mosaic's JSON logging into a buffer; returns a function parsing the lines so far."""
    root = logging.getLogger()
    level = root.level
    buffer = io.StringIO()
    handler = configure_logging(Settings(log_format="json"), stream=buffer)

    def lines():
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)


@pytest.fixture
async def app(mosaic_app, notes):
    return await mosaic_app({"notes": notes, "probe": probe, "testauth": static_auth_plugin()})


def access(lines):
    return [line for line in lines if line["logger"] == "mosaic.access"]


async def test_a_request_is_one_json_line_with_every_field(app, client, mosaic_token, log_lines):
    token = await mosaic_token(app, subject="alice")

    response = await client.get("/api/v1/probe/me", headers={"Authorization": f"Bearer {token}"})

    [line] = access(log_lines())
    assert set(line) == REQUEST_FIELDS
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/probe/me"
    assert line["route"] == "/api/v1/probe/me"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["user_id"] == "alice"
    assert line["message"].startswith("GET /api/v1/probe/me 200 ")


async def test_the_route_is_the_template_and_the_query_is_left_out(client, log_lines):
    await client.get("/api/v1/notes/42?secret=hunter2")

    [line] = access(log_lines())
    assert line["route"] == "/api/v1/notes/{note_id}"
    assert line["path"] == "/api/v1/notes/42"
    assert line["status"] == 404
    assert line["user_id"] is None
    assert "hunter2" not in json.dumps(line)


async def test_an_unmatched_request_has_no_route(client, log_lines):
    await client.get("/api/v1/nowhere")

    [line] = access(log_lines())
    assert line["route"] is None
    assert line["status"] == 404


async def test_a_500_logs_its_traceback_with_the_request_id(client, log_lines):
    response = await client.post(
        "/api/v1/notes/write-then-crash", json={"text": "hi"}, headers={"X-Request-ID": "ticket-7"}
    )

    assert response.status_code == 500
    [error] = [line for line in log_lines() if line["logger"] == "mosaic.errors"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == "ticket-7"
    assert error["exception"].startswith("Traceback")
    assert "RuntimeError: secret detail" in error["exception"]
    [line] = access(log_lines())
    assert (line["status"], line["request_id"]) == (500, "ticket-7")


async def test_any_record_logged_while_serving_carries_the_request_id(client, log_lines):
    await client.get("/api/v1/notes/count", headers={"X-Request-ID": "ticket-8"})
    logging.getLogger("some.library").warning("outside any request: %s", "no id")

    lines = log_lines()
    assert all(line["request_id"] == "ticket-8" for line in access(lines))
    [other] = [line for line in lines if line["logger"] == "some.library"]
    assert other["message"] == "outside any request: no id"
    assert "request_id" not in other


async def test_the_readiness_probe_writes_only_its_request_line(client, log_lines):
    response = await client.get("/health/ready")

    assert response.status_code == 200
    server_side = [line["logger"] for line in log_lines() if line["logger"] != "httpx"]
    assert server_side == ["mosaic.access"]


def test_text_in_development_json_in_production():
    secret = SecretStr("k3y-" + "0123456789abcdefghijklmnopqrstuvwxyz")

    def production(**overrides):
        return Settings(env="production", secret_key=secret, trusted_hosts=("*",), **overrides)

    assert not Settings(env="development").logs_as_json
    assert production().logs_as_json
    assert Settings(env="development", log_format="json").logs_as_json
    assert not production(log_format="text").logs_as_json


def test_text_lines_keep_the_fields():
    buffer = io.StringIO()
    handler = configure_logging(Settings(log_format="text", log_level="WARNING"), stream=buffer)
    try:
        logging.getLogger("mosaic.test").info("dropped below the level")
        logging.getLogger("mosaic.test").warning("kept", extra={"route": "/x", "user_id": None})
    finally:
        logging.getLogger().removeHandler(handler)

    [line] = buffer.getvalue().splitlines()
    assert line.endswith("WARNING mosaic.test: kept [route=/x]")


def test_uvicorn_logs_through_the_same_handler(tmp_path):
    config = uvicorn_log_config(Settings(log_format="json", log_level="DEBUG"))

    assert config["root"] == {"handlers": ["mosaic"], "level": "DEBUG"}
    assert config["handlers"]["mosaic"]["json_lines"] is True
    assert config["loggers"]["uvicorn.error"] == {"handlers": [], "propagate": True}
    # uvicorn's access log is replaced by ours, not doubled.
    assert config["loggers"]["uvicorn.access"]["propagate"] is False
