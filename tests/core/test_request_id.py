import re

import pytest

from tests.core.test_problem_details import assert_problem

VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


@pytest.fixture
async def client(mosaic_app, mosaic_client, notes):
    return await mosaic_client(await mosaic_app({"notes": notes}))


@pytest.mark.parametrize("sent", ["abc-123", "trace.v1:Z_9", "x" * 128])
async def test_a_valid_caller_id_is_echoed(client, sent):
    ok = await client.get("/api/v1/notes/count", headers={"X-Request-ID": sent})
    assert ok.status_code == 200
    assert ok.headers["x-request-id"] == sent
    missing = await client.get("/api/v1/notes/999", headers={"X-Request-ID": sent})
    problem = await assert_problem(client, missing, 404, "notes.note_not_found")
    assert problem["request_id"] == sent


@pytest.mark.parametrize(
    "sent", ["x" * 129, "two words", "line\nbreak", "forged\r\nX-Admin: yes", "", "é"]
)
async def test_an_invalid_caller_id_is_replaced(client, sent):
    response = await client.get("/api/v1/notes/count", headers=[(b"X-Request-ID", sent.encode())])
    assert response.status_code == 200
    generated = response.headers["x-request-id"]
    assert generated != sent
    assert VALID.fullmatch(generated)


async def test_each_request_gets_its_own_id(client):
    first = await client.get("/api/v1/notes/count")
    second = await client.get("/api/v1/notes/count")
    assert VALID.fullmatch(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/notes/count", 200),
        ("GET", "/health/live", 200),
        ("GET", "/api/v1/nowhere", 404),
        ("PUT", "/api/v1/notes/1", 405),
        ("POST", "/api/v1/notes/write-then-crash", 500),
    ],
)
async def test_every_response_carries_the_id(client, method, path, status):
    response = await client.request(method, path, json={"text": "hi"})
    assert response.status_code == status
    assert VALID.fullmatch(response.headers["x-request-id"])
    assert len(response.headers.get_list("x-request-id")) == 1
    if status >= 400:
        assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_an_unhandled_error_answers_with_the_caller_id(client):
    response = await client.post(
        "/api/v1/notes/write-then-crash", json={"text": "hi"}, headers={"X-Request-ID": "ticket-42"}
    )
    problem = await assert_problem(client, response, 500, "core.internal_error")
    assert problem["request_id"] == response.headers["x-request-id"] == "ticket-42"
