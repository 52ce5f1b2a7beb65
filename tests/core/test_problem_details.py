import logging
from typing import Any

import httpx
import pytest

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "code", "request_id"}
MULTIPART = b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nhi\r\n--b--\r\n'


async def assert_problem(
    client: httpx.AsyncClient, response: httpx.Response, status: int, code: str
) -> dict[str, Any]:
    """Asserts ``response`` is the ``code`` problem document, and returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    members = PROBLEM_MEMBERS | ({"errors"} if code == "core.validation_failed" else set())
    assert set(problem) == members
    assert problem["status"] == status
    assert problem["code"] == code
    assert problem["instance"] == response.request.url.path
    assert problem["request_id"] == response.headers["x-request-id"]
    assert problem["title"]
    assert problem["detail"]
    assert problem["type"] == f"http://testserver/api/v1/errors/{code}"
    entry = await client.get(problem["type"])
    assert entry.status_code == 200, entry.text
    assert entry.json()["code"] == code
    assert entry.json()["title"] == problem["title"]
    if code != "core.http_error":
        assert entry.json()["status"] == status
    return problem


@pytest.fixture
async def client(mosaic_app, mosaic_client, notes):
    return await mosaic_client(await mosaic_app({"notes": notes}))


async def test_module_error_is_a_problem(client):
    response = await client.get("/api/v1/notes/999")
    problem = await assert_problem(client, response, 404, "notes.note_not_found")
    assert problem["detail"] == "No note has id 999."
    assert problem["title"] == "Note not found"


async def test_error_raised_in_a_dependency_is_a_problem(client):
    response = await client.post("/api/v1/notes?refuse=true", json={"text": "hi"})
    problem = await assert_problem(client, response, 409, "notes.note_rejected")
    assert problem["detail"] == "refused by a dependency"


async def test_unknown_route(client):
    response = await client.get("/api/v1/nowhere")
    await assert_problem(client, response, 404, "core.not_found")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [("PUT", "/api/v1/notes/1", "DELETE, GET"), ("GET", "/api/v1/notes", "POST")],
)
async def test_wrong_method_lists_every_allowed_method(client, method, path, allow):
    response = await client.request(method, path)
    await assert_problem(client, response, 405, "core.method_not_allowed")
    assert response.headers["allow"] == allow


async def test_request_too_large(client):
    response = await client.post("/api/v1/notes/too-large")
    await assert_problem(client, response, 413, "core.request_too_large")


@pytest.mark.parametrize(
    ("path", "content_type", "content"),
    [
        ("/api/v1/notes", "text/plain", b"hi"),
        ("/api/v1/notes", "application/x-www-form-urlencoded", b"text=hi"),
        ("/api/v1/notes", "multipart/form-data; boundary=b", MULTIPART),
        ("/api/v1/notes", None, b'{"text": "hi"}'),
        ("/api/v1/notes/form", "application/json", b'{"text": "hi"}'),
    ],
    ids=["text", "form-to-json", "multipart-to-json", "no-type", "json-to-form"],
)
async def test_body_of_a_media_type_the_route_does_not_take(client, path, content_type, content):
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post(path, content=content, headers=headers)
    await assert_problem(client, response, 415, "core.unsupported_media_type")


@pytest.mark.parametrize(
    ("path", "content_type", "content"),
    [
        ("/api/v1/notes", "application/json; charset=utf-8", b'{"text": ""}'),
        ("/api/v1/notes", "application/merge-patch+json", b'{"text": ""}'),
        ("/api/v1/notes/form", "application/x-www-form-urlencoded", b"text="),
        ("/api/v1/notes/form", "multipart/form-data; boundary=b", MULTIPART.replace(b"hi", b"")),
    ],
    ids=["json-charset", "plus-json", "form", "multipart"],
)
async def test_body_of_an_accepted_media_type_is_validated(client, path, content_type, content):
    response = await client.post(path, content=content, headers={"content-type": content_type})
    problem = await assert_problem(client, response, 422, "core.validation_failed")
    assert [(e["location"], e["pointer"]) for e in problem["errors"]] == [("body", "/text")]


async def test_form_route_takes_a_form(client):
    response = await client.post("/api/v1/notes/form", data={"text": "hi"})
    assert response.status_code == 200, response.text


async def test_malformed_json(client):
    response = await client.post(
        "/api/v1/notes", content=b'{"text": ', headers={"content-type": "application/json"}
    )
    await assert_problem(client, response, 400, "core.malformed_json")


async def test_validation_points_at_every_invalid_field(client):
    response = await client.post("/api/v1/notes?refuse=maybe", json={"text": "", "a/b~c": 1})
    problem = await assert_problem(client, response, 422, "core.validation_failed")
    errors = sorted(problem["errors"], key=lambda error: error["pointer"])
    assert [(error["location"], error["pointer"], error["code"]) for error in errors] == [
        ("body", "/a~1b~0c", "extra_forbidden"),
        ("query", "/refuse", "bool_parsing"),
        ("body", "/text", "string_too_short"),
    ]
    assert all(set(error) == {"pointer", "location", "code", "message"} for error in errors)
    assert all(error["message"] for error in errors)


async def test_invalid_path_parameter(client):
    response = await client.get("/api/v1/notes/abc")
    problem = await assert_problem(client, response, 422, "core.validation_failed")
    assert [(e["location"], e["pointer"], e["code"]) for e in problem["errors"]] == [
        ("path", "/note_id", "int_parsing")
    ]


async def test_missing_body_is_a_validation_failure(client):
    response = await client.post("/api/v1/notes")
    problem = await assert_problem(client, response, 422, "core.validation_failed")
    assert [(e["location"], e["pointer"], e["code"]) for e in problem["errors"]] == [
        ("body", "", "missing")
    ]


async def test_other_http_status_keeps_status_and_headers(client):
    response = await client.get("/api/v1/notes/teapot")
    problem = await assert_problem(client, response, 418, "core.http_error")
    assert problem["detail"] == "I am a teapot"
    assert response.headers["x-brew"] == "tea"


async def test_throttled_keeps_retry_after(client):
    response = await client.get("/api/v1/notes/throttled")
    await assert_problem(client, response, 429, "core.too_many_requests")
    assert response.headers["retry-after"] == "7"


async def test_unhandled_error_reveals_nothing_and_is_logged(client, caplog):
    caplog.set_level(logging.ERROR, logger="mosaic.errors")
    response = await client.post("/api/v1/notes/write-then-crash", json={"text": "hi"})
    problem = await assert_problem(client, response, 500, "core.internal_error")
    for secret in ("Traceback", "RuntimeError", "hunter2", "SELECT", "router.py"):
        assert secret not in response.text
    request_id = response.headers["x-request-id"]
    [record] = [r for r in caplog.records if r.name == "mosaic.errors"]
    assert record.levelno == logging.ERROR
    assert record.request_id == request_id == problem["request_id"]
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError
    assert "hunter2" in caplog.text
    assert "Traceback" in caplog.text


async def test_catalogue_lists_kernel_and_module_codes(client):
    response = await client.get("/api/v1/errors")
    assert response.status_code == 200
    modules = {entry["code"]: entry["module"] for entry in response.json()}
    assert modules["core.internal_error"] == "core"
    assert modules["core.validation_failed"] == "core"
    assert modules["core.invalid_cursor"] == "core"  # every listing's, whatever its module
    assert modules["notes.note_not_found"] == "notes"
    assert modules["notes.note_rejected"] == "notes"


async def test_catalogue_describes_one_code(client):
    response = await client.get("/api/v1/errors/notes.note_not_found")
    assert response.status_code == 200
    assert response.json() == {
        "code": "notes.note_not_found",
        "status": 404,
        "title": "Note not found",
        "description": "No note has this id.",
        "module": "notes",
    }


async def test_catalogue_unknown_code(client):
    response = await client.get("/api/v1/errors/notes.nothing_like_this")
    await assert_problem(client, response, 404, "core.error_code_not_found")


async def test_disabled_module_codes_are_absent(mosaic_app, mosaic_client, notes):
    client = await mosaic_client(await mosaic_app({"notes": notes}, enabled=[]))
    codes = {entry["code"] for entry in (await client.get("/api/v1/errors")).json()}
    assert "core.internal_error" in codes
    assert not any(code.startswith("notes.") for code in codes)
    response = await client.get("/api/v1/errors/notes.note_not_found")
    await assert_problem(client, response, 404, "core.error_code_not_found")
