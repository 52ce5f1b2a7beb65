"""The ``mosaic`` CLI as an operator runs it: a fresh process over an installed module."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
import pytest
from click.testing import CliRunner

from core.cli import cli
from core.kernel import kernel as kernel_module
from core.kernel.kernel import Kernel
from tests.core.installed import (
    MOSAIC,
    clean_environ,
    free_port,
    install_entry_points,
    run_mosaic,
)
from tests.fixture_modules.notes import plugin as notes

NOTES = "tests.fixture_modules.notes.plugin"


@pytest.fixture
def workdir(tmp_path):
    install_entry_points(
        tmp_path / "site",
        {"notes": NOTES, "needs_notes": "tests.fixture_modules.variants:needs_notes"},
    )
    (tmp_path / "plugins.toml").write_text('[modules]\nenabled = ["notes"]\n')
    return tmp_path


def mosaic(workdir, *args, **kwargs):
    return run_mosaic(*args, cwd=workdir, site=workdir / "site", **kwargs)


def test_modules_list_shows_what_each_module_claims(workdir):
    result = mosaic(workdir, "modules", "list", "--json")

    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["notes"]["enabled"] is True
    assert rows["notes"]["version"] == "1.2.3"
    assert "GET /api/v1/notes/{note_id}" in rows["notes"]["routes"]
    assert rows["notes"]["tables"] == ["notes_notes", "notes_links"]
    assert rows["notes"]["error_codes"] == ["notes.note_not_found", "notes.note_rejected"]
    assert rows["notes"]["permissions"] == ["notes:write"]
    assert rows["needs_notes"]["enabled"] is False
    assert rows["needs_notes"]["depends_on"] == ["notes"]


def test_modules_list_text(workdir):
    result = mosaic(workdir, "modules", "list")

    assert "notes 1.2.3 (enabled)" in result.stdout
    assert "needs_notes 0.0.1 (disabled)" in result.stdout
    assert "  depends on: notes" in result.stdout


def test_modules_check_reports_the_change(workdir):
    candidate = workdir / "next.toml"
    candidate.write_text('[modules]\nenabled = ["notes", "needs_notes"]\n')

    result = mosaic(workdir, "modules", "check", str(candidate))

    assert result.returncode == 0, result.stderr
    assert "next.toml: valid; enables notes, needs_notes" in result.stdout
    assert "+ needs_notes: adds 1 routes" in result.stdout


def test_modules_check_reports_a_removal(workdir):
    candidate = workdir / "next.toml"
    candidate.write_text("[modules]\nenabled = []\n")

    result = mosaic(workdir, "modules", "check", str(candidate))

    assert "- notes: removes its routes; its tables and rows are kept" in result.stdout


def test_modules_list_and_check_count_the_routes_of_nested_routers(tmp_path):
    # The catalogue's router includes one router for categories and tags, one for products.
    (tmp_path / "plugins.toml").write_text('[modules]\nenabled = ["catalogue"]\n')
    (tmp_path / "none.toml").write_text("[modules]\nenabled = []\n")
    served = json.loads(run_mosaic("openapi", cwd=tmp_path).stdout)["paths"]
    operations = {
        f"{method.upper()} {path}"
        for path, item in served.items()
        if path.startswith("/api/v1/catalogue/")
        for method in item
    }

    listed = run_mosaic("modules", "list", "--json", cwd=tmp_path)
    checked = run_mosaic(
        "modules",
        "check",
        str(tmp_path / "plugins.toml"),
        cwd=tmp_path,
        env={"MOSAIC_PLUGINS_FILE": str(tmp_path / "none.toml")},
    )

    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert len(operations) == 16
    assert sorted(rows["catalogue"]["routes"]) == sorted(operations)
    assert "POST /api/v1/catalogue/products/import" in rows["catalogue"]["routes"]
    assert "+ catalogue: adds 16 routes" in checked.stdout, checked.stderr


def test_modules_check_refuses_an_invalid_file(workdir):
    candidate = workdir / "next.toml"
    candidate.write_text('[modules]\nenabled = ["needs_notes"]\n')

    result = mosaic(workdir, "modules", "check", str(candidate))

    assert result.returncode == 2
    assert "depends on 'notes', which is not enabled in" in result.stderr
    assert "Traceback" not in result.stderr


def test_openapi_and_errors(workdir):
    document = json.loads(mosaic(workdir, "openapi").stdout)
    errors = json.loads(mosaic(workdir, "errors", "--json").stdout)

    assert "/api/v1/notes" in document["paths"]
    assert {
        "code": "notes.note_not_found",
        "status": 404,
        "title": "Note not found",
        "description": "No note has this id.",
        "module": "notes",
    } in errors
    table = mosaic(workdir, "errors").stdout.splitlines()
    assert ["notes.note_not_found", "404", "Note", "not", "found"] in [row.split() for row in table]


def _environ(workdir):
    return clean_environ([workdir / "site"])


def test_a_reader_that_stopped_reading_ends_the_command_quietly(workdir):
    # `head -n 0` exits before reading anything, so every write finds the pipe closed.
    reader = subprocess.Popen(["head", "-n", "0"], stdin=subprocess.PIPE)
    reader.wait()
    assert reader.stdin is not None
    try:
        result = subprocess.run(
            [*MOSAIC, "errors"],
            cwd=workdir,
            env=_environ(workdir),
            stdout=reader.stdin,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        reader.stdin.close()

    assert result.stderr == ""
    assert result.returncode == 141  # as a shell reports `git log | head`: ended by SIGPIPE


def test_errors_piped_into_head_prints_one_line_and_no_error(workdir):
    command = f"'{sys.executable}' -c 'from core.cli import main; main()' errors | head -n 1"

    result = subprocess.run(
        ["sh", "-c", command],
        cwd=workdir,
        env=_environ(workdir),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0
    assert result.stdout.startswith("core.")
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == ""


def test_module_commands_join_the_cli(workdir):
    assert mosaic(workdir, "notes", "hello").stdout == "hello from notes\n"
    assert "notes" in mosaic(workdir, "--help").stdout


def test_a_disabled_module_command_says_how_to_enable_it(workdir):
    (workdir / "plugins.toml").write_text("[modules]\nenabled = []\n")

    result = mosaic(workdir, "notes", "hello")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "mosaic: module disabled: 'notes' is a command of module 'notes', which is disabled; "
        'add "notes" to [modules] enabled in plugins.toml to use it\n'
    )
    assert "No such command" in mosaic(workdir, "nothing").stderr


def test_a_module_command_runs_on_the_kernel_the_cli_loaded_once(workdir, monkeypatch):
    loaded: list[Kernel] = []
    load = Kernel.load

    def counting_load() -> Kernel:
        loaded.append(load())
        return loaded[-1]

    monkeypatch.setattr(kernel_module, "discover_plugins", lambda: {"notes": notes})
    monkeypatch.setattr(Kernel, "load", counting_load)
    env = {"MOSAIC_PLUGINS_FILE": str(workdir / "plugins.toml")}

    result = CliRunner().invoke(cli, ["notes", "enabled"], env=env, catch_exceptions=False)

    assert result.stdout == "notes\n"
    assert len(loaded) == 1


def test_help_works_with_a_broken_configuration(workdir):
    (workdir / "plugins.toml").write_text('[modules]\nenabled = ["ghost"]\n')

    result = mosaic(workdir, "--help")

    assert result.returncode == 0
    assert "serve" in result.stdout


def test_serve_is_ready_once_migrated(workdir):
    port = free_port()
    database = {"MOSAIC_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/var/mosaic.db"}
    env = clean_environ([workdir / "site"], database)
    server = subprocess.Popen(
        [*MOSAIC, "serve", "--port", str(port)],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        ready = None
        for _ in range(100):
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert ready is not None and ready.status_code == 503
        assert "notes" in ready.json()["detail"]
        assert httpx.get(f"http://127.0.0.1:{port}/docs").status_code == 200

        assert mosaic(workdir, "db", "upgrade", env=database).stdout == "upgraded: core, notes\n"

        ready = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=5)
        assert ready.status_code == 200
        assert ready.headers["x-request-id"]
    finally:
        server.terminate()
        server.wait(timeout=30)


STRONG_KEY = "Zq8vN2rT5xW7yB1cD4fG6hJ9kL3mP0sUaEiOuXe"


def test_serve_in_production_refuses_pending_migrations(workdir):
    env = {
        "MOSAIC_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/var/pending.db",
        "MOSAIC_ENV": "production",
        "MOSAIC_SECRET_KEY": STRONG_KEY,
        "MOSAIC_TRUSTED_HOSTS": "*",
    }

    refused = mosaic(workdir, "serve", "--port", "1", env=env)

    assert refused.returncode == 2
    assert "migrations are pending for core, notes: run 'mosaic db upgrade'" in refused.stderr
    assert "MOSAIC_ALLOW_PENDING_MIGRATIONS" in refused.stderr
    assert "Traceback" not in refused.stderr
