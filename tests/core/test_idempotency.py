"""The kernel's Idempotency-Key facility, on a route that opts in (``core.Idempotent``)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, update

from core.config.settings import Settings
from core.idempotency.models import IdempotencyRecord
from core.testing.auth import static_auth_plugin
from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from tests.core.test_problem_details import assert_problem
from tests.fixture_modules.ledger import CONTROL, Control, ledger
from tests.fixture_modules.notes.models import Note

ENTRIES = "/api/v1/ledger/entries"
HELD = "/api/v1/ledger/held"


@pytest.fixture(autouse=True)
def control(monkeypatch):
    fresh = Control()
    for name in ("gate", "entered", "fail_next", "runs"):
        monkeypatch.setattr(CONTROL, name, getattr(fresh, name))
    return CONTROL


@pytest.fixture
def plugins(notes):
    return {"notes": notes, "ledger": ledger, "testauth": static_auth_plugin()}


@pytest.fixture
async def app(mosaic_app, plugins):
    return await mosaic_app(plugins)


@pytest.fixture
async def client(app, mosaic_client, mosaic_token):
    client = await mosaic_client(app)
    client.headers["Authorization"] = f"Bearer {await mosaic_token(app, subject='alice')}"
    return client


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def count_notes(app) -> int:
    async with kernel_of(app).database.unit_of_work() as uow:
        return await uow.session.scalar(select(func.count()).select_from(Note)) or 0


async def records(app) -> list[IdempotencyRecord]:
    async with kernel_of(app).database.unit_of_work() as uow:
        return list(await uow.session.scalars(select(IdempotencyRecord)))


async def test_a_retry_replays_the_first_response_without_running_again(app, client, control):
    first = await client.post(ENTRIES, json={"text": "once"}, headers=keyed('"k-1"'))
    again = await client.post(ENTRIES, json={"text": "once"}, headers=keyed('"k-1"'))

    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert control.runs == 1
    assert await count_notes(app) == 1
    [record] = await records(app)
    assert (record.state, record.route) == ("completed", "POST /api/v1/ledger/entries")


async def test_the_quoted_and_the_bare_key_are_one_key(app, client):
    first = await client.post(ENTRIES, json={"text": "x"}, headers=keyed('"a-b_c.9"'))
    again = await client.post(ENTRIES, json={"text": "x"}, headers=keyed("a-b_c.9"))

    assert first.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_notes(app) == 1


async def test_a_missing_key_is_400_and_nothing_runs(app, client, control):
    response = await client.post(ENTRIES, json={"text": "x"})

    await assert_problem(client, response, 400, "core.idempotency_key_missing")
    assert control.runs == 0
    assert await records(app) == []


@pytest.mark.parametrize(
    "value", ['""', '"unterminated', 'a"b', "with space", '"tab\tinside"', '"' + "k" * 256 + '"']
)
async def test_a_malformed_or_over_long_key_is_400(app, client, control, value):
    response = await client.post(ENTRIES, json={"text": "x"}, headers=keyed(value))

    await assert_problem(client, response, 400, "core.idempotency_key_malformed")
    assert control.runs == 0


async def test_the_longest_key_and_escapes_are_accepted(client):
    longest = '"' + "k" * 254 + '\\""'
    response = await client.post(ENTRIES, json={"text": "x"}, headers=keyed(longest))

    assert response.status_code == 201, response.text


async def test_an_anonymous_caller_is_401_before_any_key_is_claimed(app, mosaic_client):
    client = await mosaic_client(app)

    response = await client.post(ENTRIES, json={"text": "x"}, headers=keyed('"k"'))

    await assert_problem(client, response, 401, "core.unauthorized")
    assert await records(app) == []


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        (ENTRIES, b'{"text": "other"}', "application/json"),
        (ENTRIES + "?x=1", b'{"text": "same"}', "application/json"),
        (ENTRIES, b'{"text": "same"}', "application/json; charset=utf-8"),
        (HELD, b'{"text": "same"}', "application/json"),
    ],
)
async def test_the_same_key_for_another_request_is_422(app, client, path, body, content_type):
    first = await client.post(
        ENTRIES,
        content=b'{"text": "same"}',
        headers={**keyed('"k"'), "Content-Type": "application/json"},
    )
    other = await client.post(
        path, content=body, headers={**keyed('"k"'), "Content-Type": content_type}
    )

    assert first.status_code == 201
    await assert_problem(client, other, 422, "core.idempotency_key_reused")
    assert await count_notes(app) == 1


async def test_keys_are_scoped_per_caller(app, client, mosaic_client, mosaic_token):
    bob = await mosaic_client(app)
    bob.headers["Authorization"] = f"Bearer {await mosaic_token(app, subject='bob')}"

    mine = await client.post(ENTRIES, json={"text": "x"}, headers=keyed('"shared"'))
    his = await bob.post(ENTRIES, json={"text": "x"}, headers=keyed('"shared"'))

    assert (mine.status_code, his.status_code) == (201, 201)
    assert "idempotent-replayed" not in his.headers
    assert mine.json()["id"] != his.json()["id"]
    assert await count_notes(app) == 2


@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [
        ("reject", 409, "notes.note_rejected"),
        ("crash", 500, "core.internal_error"),
    ],
)
async def test_a_request_that_rolled_back_gives_its_key_back(
    app, client, control, failure, status, code
):
    control.fail_next = failure

    failed = await client.post(ENTRIES, json={"text": "x"}, headers=keyed('"k"'))
    retried = await client.post(ENTRIES, json={"text": "x"}, headers=keyed('"k"'))

    await assert_problem(client, failed, status, code)
    assert retried.status_code == 201, retried.text
    assert "idempotent-replayed" not in retried.headers
    assert control.runs == 2
    assert await count_notes(app) == 1


async def test_an_invalid_body_gives_its_key_back(app, client):
    invalid = await client.post(ENTRIES, json={"text": ""}, headers=keyed('"k"'))

    await assert_problem(client, invalid, 422, "core.validation_failed")
    assert await records(app) == []


async def test_concurrent_requests_with_one_key_run_once(app, client, control):
    """One wins the claim; the others are told 409 while it runs, then get its response."""
    control.gate = asyncio.Event()
    attempts = 5
    send = [
        asyncio.create_task(client.post(HELD, json={"text": "race"}, headers=keyed('"race"')))
        for _ in range(attempts)
    ]
    refused: list[httpx.Response] = []
    pending = set(send)
    while len(refused) < attempts - 1:
        done, pending = await asyncio.wait(pending, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        assert done, "the requests neither finished nor waited"
        refused += [task.result() for task in done]
    assert control.entered.qsize() == 1  # only the winner reached the route
    control.gate.set()
    [winner] = [await task for task in pending]
    replayed = await client.post(HELD, json={"text": "race"}, headers=keyed('"race"'))

    assert winner.status_code == 201, winner.text
    for response in refused:
        await assert_problem(client, response, 409, "core.idempotency_in_flight")
        assert response.headers["retry-after"] == "1"
    assert replayed.status_code == 201
    assert replayed.content == winner.content
    assert replayed.headers["location"] == winner.headers["location"]
    assert control.runs == 1
    assert await count_notes(app) == 1


async def test_an_expired_claim_is_taken_over_and_its_first_holder_writes_nothing(
    mosaic_app, plugins, mosaic_client, mosaic_token, control
):
    app = await mosaic_app(plugins, env={"idempotency_lease": 0.2})
    client = await mosaic_client(app)
    client.headers["Authorization"] = f"Bearer {await mosaic_token(app)}"
    control.gate = gate = asyncio.Event()
    stuck = asyncio.create_task(client.post(HELD, json={"text": "t"}, headers=keyed('"k"')))
    await asyncio.wait_for(control.entered.get(), timeout=30)
    await asyncio.sleep(0.3)  # the first holder's lease runs out

    control.gate = None  # the retry runs straight through
    retried = await client.post(HELD, json={"text": "t"}, headers=keyed('"k"'))
    assert retried.status_code == 201, retried.text
    gate.set()
    late = await stuck

    await assert_problem(client, late, 409, "core.idempotency_in_flight")
    assert await count_notes(app) == 1
    replayed = await client.post(HELD, json={"text": "t"}, headers=keyed('"k"'))
    assert replayed.content == retried.content


async def test_a_committed_request_without_a_stored_response_is_never_run_again(
    app, client, control
):
    """A worker that stopped between the commit and storing the response (simulated)."""
    await client.post(ENTRIES, json={"text": "x"}, headers=keyed('"k"'))
    lease_until = datetime.now(UTC) + timedelta(minutes=1)
    await _set_record(app, state="committed", status=None, body=None, lease_until=lease_until)

    while_leased = await client.post(ENTRIES, json={"text": "x"}, headers=keyed('"k"'))
    await _set_record(app, lease_until=datetime.now(UTC) - timedelta(seconds=1))
    after_lease = await client.post(ENTRIES, json={"text": "x"}, headers=keyed('"k"'))

    await assert_problem(client, while_leased, 409, "core.idempotency_in_flight")
    await assert_problem(client, after_lease, 409, "core.idempotency_response_lost")
    assert control.runs == 1


async def _set_record(app, **values) -> None:
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(update(IdempotencyRecord).values(**values))


async def test_the_kernel_job_prunes_keys_past_their_retention(app, client):
    for key in ("old", "new"):
        await client.post(ENTRIES, json={"text": key}, headers=keyed(key))
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.key == "old")
            .values(created_at=datetime.now(UTC) - timedelta(hours=24, minutes=1))
        )
    kernel = kernel_of(app)
    [job] = [job for job in kernel.jobs.jobs if job.name == "core.prune_idempotency_keys"]

    assert await kernel.jobs.run_once(job)

    assert [record.key for record in await records(app)] == ["new"]
    again = await client.post(ENTRIES, json={"text": "old"}, headers=keyed("old"))
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers


async def test_openapi_documents_the_header_as_required_and_every_refusal(app, client):
    operation = (await client.get("/openapi.json")).json()["paths"][ENTRIES]["post"]

    [header] = [p for p in operation["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key"
    assert header["required"] is True
    assert header["schema"]["type"] == "string"
    responses = operation["responses"]
    for status, codes in {
        "400": ["core.idempotency_key_missing", "core.idempotency_key_malformed"],
        "401": ["core.unauthorized"],
        "409": ["core.idempotency_in_flight", "core.idempotency_response_lost"],
        "422": ["core.idempotency_key_reused"],
    }.items():
        for code in codes:
            assert f"`{code}`" in responses[status]["description"], (status, code)


async def test_the_error_catalogue_lists_the_idempotency_codes(client):
    listed = {entry["code"]: entry for entry in (await client.get("/api/v1/errors")).json()}

    assert {code: listed[code]["status"] for code in listed if "idempotency" in code} == {
        "core.idempotency_key_missing": 400,
        "core.idempotency_key_malformed": 400,
        "core.idempotency_key_reused": 422,
        "core.idempotency_in_flight": 409,
        "core.idempotency_response_lost": 409,
    }


def idempotency_statements(log) -> list[str]:
    return [s.split()[0].upper() for s in log.statements if "core_idempotency_keys" in s]


async def test_an_idempotent_request_costs_three_statements_and_a_replay_two(app, client):
    """Claim (INSERT), commit mark (UPDATE), stored response (UPDATE); a replay reads it back."""
    engine = kernel_of(app).database.engine
    with count_statements(engine) as plain:
        assert (await client.post("/api/v1/notes", json={"text": "x"})).status_code == 201
    counts = []
    for key in ("first", "second", "third"):
        with count_statements(engine) as log:
            response = await client.post(ENTRIES, json={"text": "x"}, headers=keyed(key))
        assert response.status_code == 201
        assert idempotency_statements(log) == ["INSERT", "UPDATE", "UPDATE"], log
        counts.append(len(log))
    with count_statements(engine) as replay:
        again = await client.post(ENTRIES, json={"text": "x"}, headers=keyed("first"))

    assert again.headers["idempotent-replayed"] == "true"
    assert counts == [len(plain) + 3] * 3
    assert idempotency_statements(replay) == ["INSERT", "SELECT"]
    assert len(replay) == 2, replay


def test_keys_are_kept_at_least_a_day():
    assert Settings(idempotency_retention_hours=24).idempotency_retention_hours == 24
    with pytest.raises(ValidationError, match="idempotency_retention_hours"):
        Settings(idempotency_retention_hours=23)
