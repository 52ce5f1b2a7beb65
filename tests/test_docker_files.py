"""The Docker files, checked without a Docker engine: they are validated here, not built.

``docker/compose.yaml`` is validated against the Compose Specification's JSON schema (the copy
check-jsonschema ships), then read for what the deployment relies on; the Dockerfile and
``.dockerignore`` are parsed as Docker reads them.
"""

import ipaddress
import re
import shlex
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import click
import pytest
from ruamel.yaml import YAML

from core.cli import cli
from core.config.settings import Settings
from tests.dockerfile import (
    DOCKERFILE,
    ROOT,
    ignored,
    instructions,
    serve_arguments,
    stages,
)

DOCKER = ROOT / "docker"
COMPOSE = DOCKER / "compose.yaml"


def validate_compose(path):
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", path],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def compose():
    return YAML(typ="safe").load(COMPOSE.read_text())


# compose.yaml --------------------------------------------------------------------------------


def test_compose_file_is_valid_against_the_compose_spec():
    result = validate_compose(COMPOSE)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_mistake(tmp_path):
    broken = tmp_path / "compose.yaml"
    mistaken = COMPOSE.read_text().replace(
        "condition: service_completed_successfully", "condition: done"
    )
    broken.write_text(mistaken)

    result = validate_compose(broken)

    assert result.returncode != 0
    assert "'done' is not one of" in result.stdout


def test_compose_runs_the_whole_deployment(compose):
    services = compose["services"]

    assert set(services) == {"postgres", "redis", "migrate", "app", "proxy"}
    assert services["postgres"]["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]


def test_migrations_run_once_before_any_replica(compose):
    migrate, app = compose["services"]["migrate"], compose["services"]["app"]

    assert migrate["command"] == ["mosaic", "db", "upgrade"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["image"] == migrate["image"]


def test_the_app_runs_several_replicas_behind_the_proxy(compose):
    app, proxy = compose["services"]["app"], compose["services"]["proxy"]

    assert app["deploy"]["replicas"] == 3
    assert "ports" not in app, "replicas are reached through the proxy only"
    assert app["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}
    assert (COMPOSE.parent / app["build"]["context"] / app["build"]["dockerfile"]).is_file()
    [mount] = proxy["volumes"]
    source, target = mount.split(":")[:2]
    assert (DOCKER / source).is_file()
    assert target == "/etc/nginx/nginx.conf"
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"


def test_the_proxy_spreads_requests_over_the_replicas_and_hides_metrics():
    config = (DOCKER / "nginx.conf").read_text()

    assert re.search(r"upstream mosaic \{[^}]*server app:8000 resolve;", config)
    assert "proxy_pass http://mosaic;" in config
    assert re.search(r"location = /metrics \{\s*return 404;", config)
    assert "proxy_set_header Host $host;" in config


def test_the_app_environment_follows_the_contract(compose):
    for name in ("migrate", "app"):
        env = compose["services"][name]["environment"]
        assert env["MOSAIC_ENV"] == "production"
        assert env["MOSAIC_DATABASE_URL"].startswith("postgresql+asyncpg://mosaic:${")
        assert env["MOSAIC_DATABASE_URL"].endswith("@postgres:5432/mosaic")
        assert env["MOSAIC_REDIS_URL"] == "redis://redis:6379/0"
        # Secrets come from docker/.env or the shell, and are required, never written here.
        assert re.fullmatch(r"\$\{MOSAIC_SECRET_KEY:\?[^}]+\}", env["MOSAIC_SECRET_KEY"])
        assert env["MOSAIC_TRUSTED_HOSTS"].startswith("${MOSAIC_TRUSTED_HOSTS:?")


def test_the_app_believes_x_forwarded_for_from_nginx_only(compose):
    services, network = compose["services"], compose["networks"]["default"]
    [pool] = network["ipam"]["config"]
    nginx = ipaddress.ip_address(services["proxy"]["networks"]["default"]["ipv4_address"])
    trusted = services["app"]["environment"]["MOSAIC_TRUSTED_PROXIES"]

    assert ipaddress.ip_network(trusted) == ipaddress.ip_network(nginx)
    assert nginx in ipaddress.ip_network(pool["subnet"])
    # Docker gives the other containers addresses from ip_range only, never nginx's.
    assert nginx not in ipaddress.ip_network(pool["ip_range"])
    for name, service in services.items():
        assert "FORWARDED_ALLOW_IPS" not in service.get("environment", {}), name
        if name != "proxy":
            assert "networks" not in service, f"{name} must share nginx's network"
    # Checked as the app checks it when it starts.
    assert Settings(trusted_proxies=trusted).trusted_proxies == (ipaddress.ip_network(nginx),)


def test_nginx_appends_the_address_it_was_reached_from():
    config = (DOCKER / "nginx.conf").read_text()

    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config


def test_nginx_bounds_request_heads_as_the_app_does():
    config = (DOCKER / "nginx.conf").read_text()
    buffers = re.search(r"^\s*large_client_header_buffers (\d+) (\d+)k;", config, re.MULTILINE)

    assert buffers is not None
    number, kib = int(buffers.group(1)), int(buffers.group(2))
    assert number * kib * 1024 == Settings().max_header_size
    assert re.search(r"^\s*client_header_buffer_size 1k;", config, re.MULTILINE)


def _size(value: str) -> int:
    """An nginx size (``2m``, ``16k``, ``512``) in bytes."""
    match = re.fullmatch(r"(\d+)([kKmMgG]?)", value)
    assert match is not None, value
    exponent = " kmg".index(match.group(2).lower() or " ")
    return int(match.group(1)) << (10 * exponent)


def _nginx_body_limits(config: str) -> tuple[int, dict[str, int]]:
    """nginx's ceiling for every body, and the exact locations that set their own."""
    [default] = re.findall(r"^    client_max_body_size (\w+);", config, re.MULTILINE)
    locations = {
        path: _size(size)
        for path, size in re.findall(r"location = (\S+) \{[^}]*client_max_body_size (\w+);", config)
    }
    return _size(default), locations


def test_nginx_lets_each_route_body_through_up_to_the_app_limit():
    from core.app import build_app
    from core.config.plugins_file import read_plugins_file
    from core.http.body_limit import route_body_limits
    from core.kernel.kernel import Kernel

    # The image ships the repository's plugins.toml; compose sets no module setting over it.
    kernel = Kernel.load(Settings(), config=read_plugins_file(ROOT / "plugins.toml"))
    routes = route_body_limits(build_app(kernel).routes, kernel)
    default, locations = _nginx_body_limits((DOCKER / "nginx.conf").read_text())

    # Elsewhere nginx stops absurd bodies and leaves the app's own 413 to the usual ones.
    assert default == 2 * 1024 * 1024
    assert Settings().max_body_size < default
    larger = {getattr(route, "path"): limit.size for route, limit in routes}
    larger = {path: size for path, size in larger.items() if size > default}
    assert "/api/v1/catalogue/products/import" in larger
    assert set(locations) == set(larger), "a location per route that takes more than 2 MB"
    for path, size in larger.items():
        # Just above the route's limit: the app answers 413 with its problem, nginx never.
        assert size <= locations[path] < size + 1024 * 1024, path


def test_every_variable_compose_reads_is_in_the_example_env_file():
    used = set(re.findall(r"\$\{([A-Z_]+)", COMPOSE.read_text()))
    example = (DOCKER / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))

    assert used <= documented
    assert "docker/.env" in (ROOT / ".gitignore").read_text().splitlines()
    assert ignored("docker/.env")


def test_replicas_get_longer_to_stop_than_the_server_waits_for_requests(compose):
    from core.config.settings import Settings

    grace = compose["services"]["app"]["stop_grace_period"]

    assert int(grace.removesuffix("s")) > Settings().shutdown_timeout


# Dockerfile ----------------------------------------------------------------------------------


def test_the_image_is_built_in_two_stages():
    builder, runtime = stages()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE.read_text(), re.MULTILINE)

    assert base is not None and base.group(1).startswith("python:3.11-slim")
    assert builder[0].arguments == "${PYTHON_IMAGE} AS builder"
    assert runtime[0].arguments.startswith("${PYTHON_IMAGE} AS ")
    assert any(i.keyword == "COPY" and "--from=builder" in i.arguments for i in runtime)
    assert not any("pip wheel" in i.arguments for i in runtime)


def test_the_builder_makes_a_wheel_and_installs_it_with_the_lock():
    builder, _ = stages()
    runs = [i.arguments for i in builder if i.keyword == "RUN"]
    copies = " ".join(i.arguments for i in builder if i.keyword == "COPY")

    assert any("pip wheel --no-deps" in run for run in runs)
    assert "requirements.lock" in copies
    install = next(run for run in runs if "uv pip install" in run)
    assert "--require-hashes" in install
    assert "--constraint requirements.lock" in install
    assert any("pip install --require-hashes" in run for run in runs), "uv is hash-checked too"


def test_the_runtime_runs_as_a_user_other_than_root():
    _, runtime = stages()
    [user] = [i.arguments for i in runtime if i.keyword == "USER"]

    assert user.split(":")[0] not in {"root", "0"}
    position = {id(i): n for n, i in enumerate(runtime)}
    [cmd] = [i for i in runtime if i.keyword == "CMD"]
    [user_instruction] = [i for i in runtime if i.keyword == "USER"]
    assert position[id(user_instruction)] < position[id(cmd)]


def healthcheck_command() -> list[str]:
    [healthcheck] = [i for i in instructions() if i.keyword == "HEALTHCHECK"]
    return healthcheck.exec_form()


def test_the_healthcheck_asks_the_liveness_route():
    command = " ".join(healthcheck_command())

    assert "/dev/tcp/127.0.0.1/8000" in command
    assert "GET /health/live HTTP/1.1" in command


def test_the_healthcheck_starts_no_python_interpreter(compose):
    command = healthcheck_command()

    assert command[0] == "bash"
    assert not any("python" in part for part in command)
    # The replicas keep the image's check (the proxy waits for it), without a Python one.
    assert "healthcheck" not in compose["services"]["app"]
    for name, service in compose["services"].items():
        assert "python" not in str(service.get("healthcheck", {})), name


@contextmanager
def liveness_server(status: int) -> Iterator[tuple[int, list[str]]]:
    """A server on a free port answering ``status`` to any GET; yields the port and the paths."""
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            paths.append(self.path)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], paths
    finally:
        server.shutdown()
        server.server_close()


def run_healthcheck(port: int) -> subprocess.CompletedProcess[str]:
    """Runs the image's health check as Docker would, against ``port`` instead of 8000."""
    command = [
        part.replace("/dev/tcp/127.0.0.1/8000", f"/dev/tcp/127.0.0.1/{port}")
        for part in healthcheck_command()
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False), (500, False)])
def test_the_healthcheck_passes_on_200_only(status, healthy):
    with liveness_server(status) as (port, paths):
        result = run_healthcheck(port)

    assert (result.returncode == 0) is healthy, result.stderr
    assert paths == ["/health/live"]


def test_the_healthcheck_fails_when_nothing_listens():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    assert run_healthcheck(port).returncode != 0


# The first administrator, as the README and compose.yaml say to create it -------------------

# `docker compose -f docker/compose.yaml run --rm [-T] app mosaic …`, continued lines joined.
_COMPOSE_RUN = re.compile(
    r"docker compose -f docker/compose\.yaml run --rm (?:-T )?app (?:\\\n\s*)?mosaic ([^\n]+)"
)


def documented_runs(text: str) -> list[list[str]]:
    return [shlex.split(arguments) for arguments in _COMPOSE_RUN.findall(text)]


def test_creating_the_first_administrator_is_documented(compose):
    from modules.users.cli import users_group

    readme = documented_runs((ROOT / "README.md").read_text())
    commented = documented_runs(COMPOSE.read_text())

    assert any("--password-stdin" in run for run in readme), "a way without a terminal"
    assert commented, "compose.yaml says how too"
    for arguments in readme + commented:
        group, name, *options = arguments
        assert (group, name) == ("users", "create-admin")
        command = users_group.get_command(click.Context(users_group), name)
        assert command is not None
        assert command.make_context(name, options).params["email"] == "admin@example.com"
    # `run app` starts what the app needs first: the database and the migrations.
    assert compose["services"]["app"]["depends_on"]["migrate"]


def test_the_command_is_mosaic_serve_as_the_tests_run_it():
    arguments = serve_arguments()

    assert arguments == ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
    # The image runs the same command the tests start (tests/core/test_shutdown.py), with the
    # options the real command line accepts.
    serve = cli.get_command(cli.make_context("mosaic", [], resilient_parsing=True), "serve")
    assert serve is not None
    parsed = serve.make_context("serve", arguments[1:])
    assert parsed.params == {"host": "0.0.0.0", "port": 8000, "workers": 2}


def test_everything_the_build_copies_is_in_the_context():
    sources = [
        part
        for stage in stages()
        for i in stage
        if i.keyword == "COPY" and "--from=" not in i.arguments
        for part in i.arguments.split()[:-1]
    ]

    assert sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not ignored(source), f"{source} is left out of the build context"


@pytest.mark.parametrize(
    "path", [".git/HEAD", ".venv/bin/python", "var/mosaic.db", "tests/conftest.py"]
)
def test_local_state_stays_out_of_the_context(path):
    assert ignored(path)
