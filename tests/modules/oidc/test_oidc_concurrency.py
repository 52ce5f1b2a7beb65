"""A state is spent once, and an identity linked once, however many callbacks race."""

from __future__ import annotations

import asyncio

from tests.modules.oidc.conftest import start
from tests.modules.oidc.rows import rows


async def test_concurrent_callbacks_with_one_state_sign_in_once(app, client, provider):
    dance = await start(client)

    answers = await asyncio.gather(*(client.get(dance.callback_url) for _ in range(4)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 400, 400, 400]
    assert {a.json()["code"] for a in answers if a.status_code == 400} == {"oidc.invalid_state"}
    assert len(provider.token_requests) == 1
    assert len(await rows(app, "auth_sessions")) == 1


async def test_concurrent_first_sign_ins_of_one_identity_open_one_account(
    app, mosaic_client, provider
):
    browsers = [await mosaic_client(app) for _ in range(3)]
    dances = [await start(browser) for browser in browsers]

    answers = await asyncio.gather(
        *(browser.get(dance.callback_url) for browser, dance in zip(browsers, dances, strict=True))
    )

    assert 200 in [answer.status_code for answer in answers]
    # A loser either finds the link already made, or is told to sign in again.
    for answer in answers:
        assert answer.status_code == 200 or answer.json()["code"] in {
            "oidc.sign_in_conflict",
            "users.email_taken",
        }, answer.text
    assert len(await rows(app, "users_users")) == 1
    assert len(await rows(app, "oidc_links")) == 1
