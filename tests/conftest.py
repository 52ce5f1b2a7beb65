"""Shared fixtures: the kernel's fixture modules (the Mosaic pytest plugin gives the rest)."""

from __future__ import annotations

import pytest

from tests.fixture_modules.notes import plugin as notes_plugin


@pytest.fixture
def notes() -> object:
    """The ``notes`` fixture module's plugin."""
    return notes_plugin
