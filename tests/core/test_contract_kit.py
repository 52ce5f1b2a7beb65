"""The module contract applied to the fixture modules, and shown to catch a broken module."""

from __future__ import annotations

import pytest

from core.testing.contract import ModuleContract, _imports, _package_of
from tests.fixture_modules.notes import plugin as notes
from tests.fixture_modules.pins import plugin as pins


class TestNotesContract(ModuleContract):
    module = "notes"
    plugins = {"notes": notes, "pins": pins}


class TestPinsContract(ModuleContract):
    module = "pins"
    plugins = {"notes": notes, "pins": pins}


def test_import_scan_sees_internal_imports():
    imported = {name for _path, name in _imports(_package_of(pins))}

    assert "tests.fixture_modules.notes.api" in imported
    assert "tests.fixture_modules.notes.models" not in imported


@pytest.mark.parametrize("target", ["tests.fixture_modules.notes.models"])
def test_import_scan_flags_a_reach_into_internals(target, tmp_path, monkeypatch):
    package = tmp_path / "intruder"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(f"from {target} import Note\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    imported = {name for _path, name in _imports("intruder")}

    assert target in imported
