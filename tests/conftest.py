"""Shared fixtures: the kernel's fixture modules (the Mosaic pytest plugin gives the rest), and
the seed of the run's Schemathesis data."""

from __future__ import annotations

import os
import secrets

import pytest

from tests.fixture_modules.notes import plugin as notes_plugin
from tests.schemathesis_app import ADMINISTRATOR_KNOWN_FAILURES, SEED_ENV

SCHEMATHESIS_TESTS = "tests/test_api_schemathesis.py::"


def pytest_configure(config: pytest.Config) -> None:
    # Drawn here, before pytest-xdist starts its workers: they inherit it with the environment.
    os.environ.setdefault(SEED_ENV, str(secrets.randbits(32)))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(f"{SCHEMATHESIS_TESTS}test_api_workflows[") and (
            item.nodeid.endswith("-administrator]")
        ):
            reason = "its sequences reach the operations in ADMINISTRATOR_KNOWN_FAILURES"
            item.add_marker(pytest.mark.xfail(reason=reason, strict=False))
        if not item.nodeid.startswith(f"{SCHEMATHESIS_TESTS}test_api["):
            continue
        operation = item.nodeid.split("[", 1)[1].split("]", 1)[0]
        if operation in ADMINISTRATOR_KNOWN_FAILURES and item.nodeid.endswith("-administrator]"):
            reason = "found by the administrator run, not fixed yet (ADMINISTRATOR_KNOWN_FAILURES)"
            item.add_marker(pytest.mark.xfail(reason=reason, strict=False))


def pytest_report_header(config: pytest.Config) -> str:
    return f"schemathesis seed: {os.environ[SEED_ENV]}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    failed = terminalreporter.stats.get("failed", [])
    if any(report.nodeid.startswith(SCHEMATHESIS_TESTS) for report in failed):
        seed = os.environ[SEED_ENV]
        terminalreporter.write_line(
            f"Schemathesis ran with seed {seed}: replay with {SEED_ENV}={seed}", yellow=True
        )


@pytest.fixture
def notes() -> object:
    """The ``notes`` fixture module's plugin."""
    return notes_plugin
