import json

import pytest

PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
async def document(mosaic_app, mosaic_client, notes):
    client = await mosaic_client(await mosaic_app({"notes": notes}))
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def assert_documents(operation, status, *codes):
    response = operation["responses"][str(status)]
    assert response["content"] == PROBLEM_CONTENT
    for code in codes:
        assert f"`{code}`" in response["description"]


async def test_every_operation_documents_500(document):
    for name, operation in operations(document):
        assert "500" in operation["responses"], name
        assert_documents(operation, 500, "core.internal_error")


async def test_operations_with_parameters_document_422(document):
    with_parameters = [
        (name, operation)
        for name, operation in operations(document)
        if operation.get("parameters") or operation.get("requestBody")
    ]
    assert {name for name, _ in with_parameters} >= {
        "GET /api/v1/notes/{note_id}",
        "POST /api/v1/notes",
        "GET /api/v1/errors/{code}",
    }
    for name, operation in with_parameters:
        assert "422" in operation["responses"], name
        assert_documents(operation, 422, "core.validation_failed")


async def test_operations_without_parameters_do_not_document_422(document):
    assert "422" not in document["paths"]["/health/live"]["get"]["responses"]
    assert "422" not in document["paths"]["/api/v1/notes/count"]["get"]["responses"]


async def test_framework_validation_schema_is_gone(document):
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    assert '"ValidationError"' not in text
    schemas = document["components"]["schemas"]
    assert {f"#/components/schemas/{name}" for name in schemas} >= set(refs(document))
    assert set(schemas["Problem"]["required"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "code",
        "request_id",
    }


async def test_operations_with_a_json_body_document_400_and_415(document):
    with_body = [
        (name, operation)
        for name, operation in operations(document)
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]
    assert {name for name, _ in with_body} >= {
        "POST /api/v1/notes",
        "POST /api/v1/notes/write-then-fail",
    }
    for name, operation in with_body:
        assert {"400", "415"} <= set(operation["responses"]), name
        assert_documents(operation, 400, "core.malformed_json")
        assert_documents(operation, 415, "core.unsupported_media_type")


async def test_form_operations_document_415_but_not_malformed_json(document):
    operation = document["paths"]["/api/v1/notes/form"]["post"]
    assert "application/x-www-form-urlencoded" in operation["requestBody"]["content"]
    assert_documents(operation, 415, "core.unsupported_media_type")
    assert "400" not in operation["responses"]


async def test_operations_without_a_body_do_not_document_400_or_415(document):
    responses = document["paths"]["/api/v1/notes/{note_id}"]["get"]["responses"]
    assert "400" not in responses
    assert "415" not in responses


async def test_declared_module_errors_are_documented(document):
    notes = document["paths"]["/api/v1/notes/{note_id}"]
    assert_documents(notes["get"], 404, "notes.note_not_found")
    assert_documents(notes["delete"], 404, "notes.note_not_found")
    assert_documents(document["paths"]["/api/v1/notes"]["post"], 409, "notes.note_rejected")
    assert "409" not in notes["get"]["responses"]


@pytest.mark.parametrize(("enabled", "present"), [(["notes"], True), ([], False)])
async def test_enabled_modules_decide_the_paths(mosaic_app, notes, enabled, present):
    app = await mosaic_app({"notes": notes}, enabled=enabled)
    paths = app.openapi()["paths"]
    assert ("/api/v1/notes/{note_id}" in paths) is present
    assert any(path.startswith("/api/v1/notes") for path in paths) is present
    assert "/api/v1/errors/{code}" in paths
