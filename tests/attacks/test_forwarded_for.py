"""A client's address cannot be forged with ``X-Forwarded-For``.

The attack: behind nginx, with every proxy header believed, 35 failed logins each claiming
another address went unthrottled, and the access log recorded the forged addresses. Now the
header is read only from ``MOSAIC_TRUSTED_PROXIES`` (none by default), from the right.
"""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.attacks.server import serving
from tests.modules.auth.conftest import FAST_HASHING

PROXY = ("10.0.0.2", 41000)
CLIENT = "198.51.100.23"


@pytest.fixture
def access_log(caplog):
    caplog.set_level(logging.INFO, logger="mosaic.access")
    return caplog


@pytest.fixture
def client_seen(mosaic_app, mosaic_client, access_log):
    """Returns ``await client_seen(peer=..., headers=..., proxies=...)``: the client address the
    application logs for one request from ``peer``, trusting ``proxies``."""

    async def seen(*, peer, headers, proxies=()):
        app = await mosaic_app({}, env={"trusted_proxies": list(proxies)})
        client = await mosaic_client(app, client=peer)

        assert (await client.get("/health/live", headers=headers)).status_code == 200

        [record] = [r for r in access_log.records if r.name == "mosaic.access"]
        return record.client

    return seen


# In-process: what the application believes -----------------------------------------------------


@pytest.mark.parametrize("proxies", [(), ("10.0.0.0/8",)])
async def test_a_direct_client_is_its_connections_peer(client_seen, proxies):
    seen = await client_seen(
        peer=("203.0.113.9", 1234),
        headers={"X-Forwarded-For": "192.0.2.1"},
        proxies=proxies,
    )

    assert seen == "203.0.113.9"


async def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(
    client_seen,
):
    # The client wrote "192.0.2.1"; nginx appended the address it was reached from.
    seen = await client_seen(
        peer=PROXY,
        headers={"X-Forwarded-For": f"192.0.2.1, {CLIENT}"},
        proxies=["10.0.0.0/8"],
    )

    assert seen == CLIENT


async def test_several_trusted_hops_are_skipped(client_seen):
    seen = await client_seen(
        peer=PROXY,
        headers={"X-Forwarded-For": f"192.0.2.1, {CLIENT}, 172.16.0.4, 10.0.0.3"},
        proxies=["10.0.0.0/8", "172.16.0.4"],
    )

    assert seen == CLIENT


async def test_several_header_lines_make_one_list(mosaic_app, mosaic_client, access_log):
    app = await mosaic_app({}, env={"trusted_proxies": "10.0.0.0/8"})
    client = await mosaic_client(app, client=PROXY)

    headers = [("X-Forwarded-For", "192.0.2.1"), ("X-Forwarded-For", f"{CLIENT}, 10.0.0.3")]
    assert (await client.get("/health/live", headers=headers)).status_code == 200

    [record] = [r for r in access_log.records if r.name == "mosaic.access"]
    assert record.client == CLIENT


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("not-an-address", PROXY[0]),
        (f"{CLIENT}, <script>", PROXY[0]),
        (f"<script>, {CLIENT}", CLIENT),
        (f"{CLIENT}:4711", PROXY[0]),
        ("", PROXY[0]),
        (" , ,", PROXY[0]),
        ("10.0.0.7, 10.0.0.3", "10.0.0.7"),
        ("2001:db8::1", "2001:db8::1"),
        ("\u00e9\u00e9", PROXY[0]),
    ],
)
async def test_an_entry_that_is_no_address_ends_the_walk(client_seen, forwarded_for, expected):
    seen = await client_seen(
        peer=PROXY,
        headers={"X-Forwarded-For": forwarded_for.encode()},
        proxies=["10.0.0.0/8"],
    )

    assert seen == expected


async def test_a_trusted_proxy_seen_through_ipv6_is_trusted(client_seen):
    seen = await client_seen(
        peer=("::ffff:10.0.0.2", 41000),
        headers={"X-Forwarded-For": CLIENT},
        proxies=["10.0.0.0/8"],
    )

    assert seen == CLIENT


@pytest.mark.parametrize(("peer", "scheme"), [(PROXY, "https"), (("203.0.113.9", 1234), "http")])
async def test_the_scheme_is_forwarded_by_trusted_proxies_only(
    mosaic_app, mosaic_client, peer, scheme
):
    app = await mosaic_app({}, env={"trusted_proxies": "10.0.0.0/8"})
    client = await mosaic_client(app, client=peer)

    problem = (await client.get("/nowhere", headers={"X-Forwarded-Proto": "https"})).json()

    assert problem["type"].startswith(f"{scheme}://testserver/")


# Served: the attack, replayed against `mosaic serve` -------------------------------------------

ATTEMPTS = 35
PER_ADDRESS = 10
HASHING = "".join(f"{key} = {value}\n" for key, value in FAST_HASHING.items())
PLUGINS_TOML = f"""
[modules]
enabled = ["users", "auth"]

[modules.users]
{HASHING}
[modules.auth]
login_attempts_per_address = "{PER_ADDRESS}/15 minutes"
"""


def failed_logins(server, forwarded_for):
    with httpx.Client(base_url=server.base, timeout=10) as client:
        return [
            client.post(
                "/api/v1/auth/token",
                data={"grant_type": "password", "username": f"u{n}@example.com", "password": "x"},
                headers={"X-Forwarded-For": forwarded_for(n)},
            ).status_code
            for n in range(ATTEMPTS)
        ]


def logged_clients(server):
    return {r["client"] for r in server.records() if r.get("path") == "/api/v1/auth/token"}


# uvicorn's own reading of the header, widened by FORWARDED_ALLOW_IPS="*" as the deployment had
# it, must not come back.
SPOOFABLE = {"FORWARDED_ALLOW_IPS": "*"}


def test_forged_addresses_from_a_direct_client_are_throttled_as_one(tmp_path):
    with serving(tmp_path, PLUGINS_TOML, SPOOFABLE) as server:
        statuses = failed_logins(server, lambda n: f"203.0.113.{n}")

        assert statuses == [400] * PER_ADDRESS + [429] * (ATTEMPTS - PER_ADDRESS)
        assert logged_clients(server) == {"127.0.0.1"}


def test_forged_addresses_behind_the_proxy_are_throttled_as_the_real_client(tmp_path):
    # The test plays nginx on 127.0.0.1: it appends the address it was reached from.
    env = {**SPOOFABLE, "MOSAIC_TRUSTED_PROXIES": "127.0.0.1"}
    with serving(tmp_path, PLUGINS_TOML, env) as server:
        statuses = failed_logins(server, lambda n: f"203.0.113.{n}, {CLIENT}")

        assert statuses == [400] * PER_ADDRESS + [429] * (ATTEMPTS - PER_ADDRESS)
        assert logged_clients(server) == {CLIENT}
