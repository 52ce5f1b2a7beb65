import pytest
from sqlalchemy import select

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from tests.core.test_problem_details import assert_problem
from tests.fixture_modules.notes.models import Note


@pytest.fixture
async def app(mosaic_app, notes):
    return await mosaic_app({"notes": notes})


async def stored_texts(app):
    async with kernel_of(app).database.unit_of_work() as uow:
        return list(await uow.session.scalars(select(Note.text).order_by(Note.id)))


async def counted(client):
    response = await client.get("/api/v1/notes/count")
    assert response.status_code == 200
    return response.json()["count"]


async def test_successful_write_is_committed(app, client):
    response = await client.post("/api/v1/notes", json={"text": "kept"})
    assert response.status_code == 201, response.text
    assert response.json() == {"id": response.json()["id"], "text": "kept"}
    assert await stored_texts(app) == ["kept"]
    assert await counted(client) == 1


async def test_registered_error_after_a_write_rolls_it_back(app, client):
    response = await client.post("/api/v1/notes/write-then-fail", json={"text": "lost"})
    await assert_problem(client, response, 409, "notes.note_rejected")
    assert await counted(client) == 0
    assert await stored_texts(app) == []


async def test_unhandled_error_after_a_write_rolls_it_back(app, client):
    response = await client.post("/api/v1/notes/write-then-crash", json={"text": "lost"})
    await assert_problem(client, response, 500, "core.internal_error")
    assert await counted(client) == 0
    assert await stored_texts(app) == []


async def test_a_failed_request_leaves_earlier_writes_alone(app, client):
    assert (await client.post("/api/v1/notes", json={"text": "kept"})).status_code == 201
    await client.post("/api/v1/notes/write-then-fail", json={"text": "lost"})
    await client.post("/api/v1/notes/write-then-crash", json={"text": "lost"})
    assert await stored_texts(app) == ["kept"]


async def test_reading_a_note_issues_one_statement(app, client):
    created = (await client.post("/api/v1/notes", json={"text": "hi"})).json()
    with count_statements(kernel_of(app).database.engine) as log:
        response = await client.get(f"/api/v1/notes/{created['id']}")
    assert response.json() == created
    assert len(log) == 1, log
    assert log.statements[0].lstrip().upper().startswith("SELECT")
    assert "notes_notes" in log.statements[0]
