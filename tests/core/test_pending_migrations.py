"""A module whose tables were never migrated answers 503 core.migrations_pending, not 500."""

from __future__ import annotations

from sqlalchemy import text

from core.testing.kernel import kernel_of


async def test_a_missing_table_is_503_naming_the_command(mosaic_app, mosaic_client, notes):
    app = await mosaic_app({"notes": notes})
    client = await mosaic_client(app)
    async with kernel_of(app).database.engine.begin() as connection:
        await connection.execute(text("DROP TABLE notes_links"))
        await connection.execute(text("DROP TABLE notes_notes"))

    response = await client.get("/api/v1/notes/1")

    assert response.status_code == 503
    assert response.json()["code"] == "core.migrations_pending"
    assert "mosaic db upgrade" in response.json()["detail"]
    assert int(response.headers["retry-after"]) > 0
    assert "notes_notes" not in response.text  # no SQL reaches the client
