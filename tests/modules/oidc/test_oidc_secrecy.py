"""No state, code, verifier, nonce or token of a sign-in is logged or stored in clear."""

from __future__ import annotations

import hashlib
import logging

from tests.modules.oidc.conftest import sign_in, start
from tests.modules.oidc.provider import CLIENT_SECRET
from tests.modules.oidc.rows import rows


async def test_the_secrets_of_a_sign_in_reach_neither_the_logs_nor_the_database(
    app, client, provider, caplog
):
    caplog.set_level(logging.DEBUG)
    done = await sign_in(client)
    refused = await start(client)
    await client.get(
        "/api/v1/oidc/acme/callback",
        params={"state": refused.returned["state"], "code": "not-a-code-the-provider-gave"},
    )
    asked = provider.authorize_requests[0]
    exchanged = provider.token_requests[0]
    cookie = done.login.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    pair = done.callback.json()
    secrets = {
        "state": done.returned["state"],
        "code": done.returned["code"],
        "refused state": refused.returned["state"],
        "nonce": asked["nonce"],
        "code challenge": asked["code_challenge"],
        "code verifier": exchanged["code_verifier"],
        "browser cookie": cookie,
        "browser binding": cookie.split(".")[0],
        "client secret": CLIENT_SECRET,
        "access token": pair["access_token"],
        "refresh token": pair["refresh_token"],
    }
    # The test's client logs the URLs it requests, and the callback URL carries the state and
    # the code by design: those lines are the client's (the application never requests its
    # own address). The browser's visit to the provider is not logged at all (see ``start``).
    records = [record for record in caplog.records if not _browser_request(record)]
    assert any(record.name == "mosaic.access" for record in records), "requests were logged"
    logged = "".join(f"{record.getMessage()} {record.__dict__!r}" for record in records)
    stored = repr(await rows(app, "oidc_sign_ins")) + repr(await rows(app, "oidc_links"))

    assert [name for name, value in secrets.items() if value in logged] == []
    assert [name for name, value in secrets.items() if value in stored] == []
    # What is kept of the state is its SHA-256: enough to recognise it, useless to replay it.
    state_hash = hashlib.sha256(done.returned["state"].encode()).hexdigest()
    assert state_hash in [row["state_hash"] for row in await rows(app, "oidc_sign_ins")]


def _browser_request(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return record.name == "httpx" and "//testserver/" in message
