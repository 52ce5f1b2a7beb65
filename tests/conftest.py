"""Shared fixtures: the kernel's fixture modules, a client of whichever app a test builds (the
Mosaic pytest plugin gives the rest), and the seed of the run's Schemathesis data."""

from __future__ import annotations

import os
import secrets

import httpx
import pytest
from fastapi import FastAPI

from core.testing.plugin import ClientFactory
from tests.fixture_modules.notes import plugin as notes_plugin
from tests.schemathesis_app import SEED_ENV

SCHEMATHESIS_TESTS = "tests/test_api_schemathesis.py::"


def pytest_configure(config: pytest.Config) -> None:
    # Drawn here, before pytest-xdist starts its workers: they inherit it with the environment.
    os.environ.setdefault(SEED_ENV, str(secrets.randbits(32)))


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
async def client(app: FastAPI, mosaic_client: ClientFactory) -> httpx.AsyncClient:
    """A client of the ``app`` the test's folder or file builds."""
    return await mosaic_client(app)


@pytest.fixture
def notes() -> object:
    """The ``notes`` fixture module's plugin."""
    return notes_plugin
