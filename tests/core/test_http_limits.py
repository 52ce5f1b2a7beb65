"""HTTP hardening: body size limit, CORS, trusted hosts, and the headers every answer carries."""

import re

import pytest

from core.config.errors import ConfigError
from core.config.settings import load_settings
from core.testing.auth import static_auth_plugin
from tests.core.test_problem_details import assert_problem
from tests.fixture_modules import probe

LIMIT = 1024
APP_ORIGIN = "https://app.example.com"


@pytest.fixture
def plugins(notes):
    return {"notes": notes, "probe": probe, "testauth": static_auth_plugin()}


@pytest.fixture
async def app(mosaic_app, plugins):
    return await mosaic_app(plugins, env={"max_body_size": LIMIT, "cors_origins": (APP_ORIGIN,)})


@pytest.fixture
async def client(app, mosaic_client):
    probe.RECEIVED.clear()
    return await mosaic_client(app)


class Chunks:
    """A request body sent in chunks without a Content-Length; counts what was pulled."""

    def __init__(self, count, size=512):
        self.count = count
        self.size = size
        self.sent = 0

    async def __aiter__(self):
        for _ in range(self.count):
            self.sent += 1
            yield b"x" * self.size


# Body size -----------------------------------------------------------------------------------


async def test_a_body_within_the_limit_reaches_the_route(client):
    response = await client.post("/api/v1/probe/upload", content=Chunks(2))

    assert response.status_code == 200
    assert response.json() == {"received": 1024}


async def test_an_announced_body_over_the_limit_is_refused_unread(client):
    response = await client.post("/api/v1/probe/upload", content=b"x" * (LIMIT + 1))

    problem = await assert_problem(client, response, 413, "core.request_too_large")
    assert problem["detail"] == (
        f"The request body exceeds the limit of {LIMIT} bytes set by MOSAIC_MAX_BODY_SIZE."
    )
    assert response.headers["connection"] == "close"
    assert probe.RECEIVED == []  # the route never ran


async def test_a_chunked_body_over_the_limit_is_cut_off(client):
    body = Chunks(100)

    response = await client.post("/api/v1/probe/upload", content=body)

    await assert_problem(client, response, 413, "core.request_too_large")
    assert "content-length" not in response.request.headers
    assert body.sent < body.count, "the whole body was read"
    assert probe.RECEIVED[0] <= LIMIT


async def test_a_chunked_json_body_over_the_limit_is_413_not_400(client):
    async def json_chunks():
        yield b'{"text": "'
        for _ in range(10):
            yield b"y" * 512
        yield b'"}'

    response = await client.post(
        "/api/v1/notes", content=json_chunks(), headers={"Content-Type": "application/json"}
    )

    await assert_problem(client, response, 413, "core.request_too_large")


async def test_the_default_limit_is_one_mebibyte(mosaic_app, mosaic_client, plugins):
    client = await mosaic_client(await mosaic_app(plugins))

    within = await client.post("/api/v1/probe/upload", content=b"x" * 1024 * 1024)
    over = await client.post("/api/v1/probe/upload", content=b"x" * (1024 * 1024 + 1))

    assert within.status_code == 200
    assert over.status_code == 413


# Body size a route declares (probe's settings: 4096 bytes for /upload/large, 100 for /small) ------

LARGE = (
    "The request body exceeds the limit of 4096 bytes set by large_upload_bytes in [modules.probe]"
)
SMALL = (
    "The request body exceeds the limit of 100 bytes set by small_upload_bytes in [modules.probe]"
)


@pytest.mark.parametrize("content", [b"x" * 3000, Chunks(6)], ids=["announced", "chunked"])
async def test_a_route_may_accept_more_than_the_kernel_limit(client, content):
    response = await client.post("/api/v1/probe/upload/large", content=content)

    assert response.status_code == 200, response.text
    assert response.json()["received"] > LIMIT


async def test_an_announced_body_over_the_route_limit_is_refused_unread(client):
    response = await client.post("/api/v1/probe/upload/large", content=b"x" * 4097)

    problem = await assert_problem(client, response, 413, "core.request_too_large")
    assert problem["detail"] == f"{LARGE} (MOSAIC_MODULES__PROBE__LARGE_UPLOAD_BYTES)."
    assert response.headers["connection"] == "close"
    assert probe.RECEIVED == []


async def test_a_chunked_body_over_the_route_limit_is_cut_off(client):
    body = Chunks(100)

    response = await client.post("/api/v1/probe/upload/large", content=body)

    problem = await assert_problem(client, response, 413, "core.request_too_large")
    assert problem["detail"].startswith(LARGE)
    assert body.sent < body.count, "the whole body was read"
    assert probe.RECEIVED[0] <= 4096


@pytest.mark.parametrize("content", [b"x" * 101, Chunks(1, size=101)], ids=["announced", "chunked"])
async def test_a_route_may_accept_less_than_the_kernel_limit(client, content):
    response = await client.post("/api/v1/probe/upload/small", content=content)

    problem = await assert_problem(client, response, 413, "core.request_too_large")
    assert problem["detail"].startswith(SMALL)


async def test_routes_without_their_own_limit_keep_the_kernel_limit(client):
    within = await client.post("/api/v1/probe/upload/small", content=b"x" * 100)
    over = await client.post("/api/v1/probe/upload", content=b"x" * 3000)

    assert within.status_code == 200
    problem = await assert_problem(client, over, 413, "core.request_too_large")
    assert problem["detail"].endswith("set by MOSAIC_MAX_BODY_SIZE.")


async def test_a_route_limit_follows_its_setting(mosaic_app, mosaic_client, plugins):
    app = await mosaic_app(plugins, settings={"probe": {"large_upload_bytes": 2000}})
    client = await mosaic_client(app)

    response = await client.post("/api/v1/probe/upload/large", content=b"x" * 3000)

    problem = await assert_problem(client, response, 413, "core.request_too_large")
    assert "limit of 2000 bytes set by large_upload_bytes" in problem["detail"]


# CORS ----------------------------------------------------------------------------------------


def preflight(origin, method="POST", headers="authorization, content-type"):
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    }


async def test_preflight_from_a_configured_origin_is_allowed(client):
    response = await client.options("/api/v1/notes", headers=preflight(APP_ORIGIN))

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == "authorization, content-type"
    assert "access-control-allow-credentials" not in response.headers


async def test_preflight_from_another_origin_is_a_problem(client):
    response = await client.options("/api/v1/notes", headers=preflight("https://evil.example"))

    problem = await assert_problem(client, response, 400, "core.cors_refused")
    assert problem["detail"] == "Disallowed CORS origin."
    assert "access-control-allow-origin" not in response.headers
    assert "Origin" in response.headers["vary"]


async def test_no_origin_is_allowed_by_default(mosaic_app, mosaic_client, plugins):
    client = await mosaic_client(await mosaic_app(plugins))

    response = await client.options("/api/v1/notes", headers=preflight(APP_ORIGIN))

    await assert_problem(client, response, 400, "core.cors_refused")


async def test_a_page_of_a_configured_origin_reads_the_answer_and_its_request_id(client):
    response = await client.get("/api/v1/notes/count", headers={"Origin": APP_ORIGIN})

    assert response.headers["access-control-allow-origin"] == APP_ORIGIN
    assert response.headers["access-control-expose-headers"] == "X-Request-ID"


async def test_a_413_is_readable_by_the_page_that_caused_it(client):
    response = await client.post(
        "/api/v1/probe/upload", content=b"x" * (LIMIT + 1), headers={"Origin": APP_ORIGIN}
    )

    assert response.status_code == 413
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN


# Trusted hosts -------------------------------------------------------------------------------


@pytest.fixture
async def guarded(mosaic_app, mosaic_client, plugins):
    hosts = ("testserver", "api.example.com", "*.tenants.example.com")
    return await mosaic_client(await mosaic_app(plugins, env={"trusted_hosts": hosts}))


@pytest.mark.parametrize(
    "host", ["api.example.com", "API.example.com:8443", "acme.tenants.example.com"]
)
async def test_a_trusted_host_is_served(guarded, host):
    response = await guarded.get("/api/v1/notes/count", headers={"Host": host})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "api.example.com.evil.example", "tenants.example.com"]
)
async def test_an_untrusted_host_is_a_problem_that_does_not_echo_it(guarded, host):
    response = await guarded.get("/api/v1/notes/count", headers={"Host": host})

    problem = await assert_problem(guarded, response, 400, "core.untrusted_host")
    assert host not in response.text
    assert problem["type"].startswith("http://testserver/")


async def test_probes_and_scrapers_are_served_whatever_the_host(guarded):
    for path in ("/health/live", "/metrics"):
        response = await guarded.get(path, headers={"Host": "10.0.0.7:8000"})
        assert response.status_code == 200, path


async def test_every_host_is_trusted_in_development(client):
    response = await client.get("/api/v1/notes/count", headers={"Host": "anything.example"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("api.example.com", ("api.example.com",)),
        ("api.example.com, *.Example.org", ("api.example.com", "*.example.org")),
        ('["api.example.com", "*"]', ("api.example.com", "*")),
        ("127.0.0.1, [::1]", ("127.0.0.1", "[::1]")),
    ],
)
def test_trusted_hosts_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("MOSAIC_TRUSTED_HOSTS", value)

    assert load_settings().allowed_hosts == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MOSAIC_TRUSTED_HOSTS", "api.*.com", "MOSAIC_TRUSTED_HOSTS: 'api.*.com' is not a host"),
        ("MOSAIC_TRUSTED_HOSTS", "api.example.com:443", "MOSAIC_TRUSTED_HOSTS: 'api.example"),
        ("MOSAIC_TRUSTED_HOSTS", " , ", "MOSAIC_TRUSTED_HOSTS: name at least one host"),
        (
            "MOSAIC_CORS_ORIGINS",
            "https://app.example.com/",
            "MOSAIC_CORS_ORIGINS: 'https://app.example.com/' is not an origin like",
        ),
        ("MOSAIC_CORS_ORIGINS", "app.example.com", "MOSAIC_CORS_ORIGINS: 'app.example.com'"),
        ("MOSAIC_MAX_BODY_SIZE", "0", "MOSAIC_MAX_BODY_SIZE: Input should be greater than"),
        ("MOSAIC_MAX_HEADER_SIZE", "100", "MOSAIC_MAX_HEADER_SIZE: Input should be greater"),
        ("MOSAIC_MAX_HEADERS", "0", "MOSAIC_MAX_HEADERS: Input should be greater than"),
        (
            "MOSAIC_TRUSTED_PROXIES",
            "nginx",
            "MOSAIC_TRUSTED_PROXIES: 'nginx' is not an IP address or a network like '10.0.0.0/8'",
        ),
        ("MOSAIC_TRUSTED_PROXIES", "*", "MOSAIC_TRUSTED_PROXIES: '*' is not an IP address"),
        (
            "MOSAIC_TRUSTED_PROXIES",
            "10.0.0.1/8",
            "MOSAIC_TRUSTED_PROXIES: '10.0.0.1/8' has host bits set: did you mean '10.0.0.0/8'?",
        ),
    ],
)
def test_invalid_limits_are_refused_naming_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)

    with pytest.raises(ConfigError, match="^" + re.escape(message)):
        load_settings()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ()),
        ("172.30.0.10", ("172.30.0.10/32",)),
        ("10.0.0.0/8, fd00::/8", ("10.0.0.0/8", "fd00::/8")),
        ('["::1"]', ("::1/128",)),
    ],
)
def test_trusted_proxies_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("MOSAIC_TRUSTED_PROXIES", value)

    assert tuple(str(network) for network in load_settings().trusted_proxies) == expected


def test_cors_origins_from_the_environment(monkeypatch):
    monkeypatch.setenv("MOSAIC_CORS_ORIGINS", "https://a.example, http://localhost:3000")

    assert load_settings().cors_origins == ("https://a.example", "http://localhost:3000")


# Headers on every answer ---------------------------------------------------------------------


async def test_an_authenticated_answer_is_not_stored(app, client, mosaic_token):
    token = await mosaic_token(app, subject="alice")

    response = await client.get("/api/v1/probe/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_refused_token_is_not_stored_either(client):
    response = await client.get("/api/v1/probe/me", headers={"Authorization": "Bearer forged"})

    assert response.status_code == 401
    assert response.headers["cache-control"] == "no-store"


async def test_a_route_keeps_its_own_cache_control(app, client, mosaic_token):
    token = await mosaic_token(app)

    response = await client.get(
        "/api/v1/probe/cached", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.headers.get_list("cache-control") == ["private, max-age=60"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/notes/count", 200),
        ("GET", "/api/v1/nowhere", 404),
        ("POST", "/api/v1/notes/write-then-crash", 500),
        ("GET", "/health/live", 200),
        ("GET", "/metrics", 200),
    ],
)
async def test_an_anonymous_answer_is_not_marked_but_never_sniffed(client, method, path, status):
    response = await client.request(method, path, json={"text": "hi"})

    assert response.status_code == status
    assert "cache-control" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"
