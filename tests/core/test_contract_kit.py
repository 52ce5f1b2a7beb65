"""The module contract applied to the fixture modules, and shown to catch a broken module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import pytest
from fastapi import Depends
from fastapi.routing import APIRoute

from core.testing.contract import (
    ModuleContract,
    _calls,
    _imports,
    _package_of,
    _runs_on_the_loop,
    error_class_name,
)
from tests.fixture_modules.notes import plugin as notes
from tests.fixture_modules.pins import plugin as pins


class TestNotesContract(ModuleContract):
    module = "notes"
    plugins = {"notes": notes, "pins": pins}


class TestPinsContract(ModuleContract):
    module = "pins"
    plugins = {"notes": notes, "pins": pins}


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("users.email_taken", "EmailTaken"),
        ("catalogue.invalid_import_file", "InvalidImportFile"),
        ("auth.login_throttled", "LoginThrottled"),
        ("notes.note_not_found", "NoteNotFound"),
    ],
)
def test_an_error_class_is_named_after_its_code_without_the_module(code, name):
    assert error_class_name(code) == name


def test_the_naming_check_flags_a_prefixed_class():
    class UsersEmailTaken:
        code = "users.email_taken"

    assert UsersEmailTaken.__name__ != error_class_name(UsersEmailTaken.code)


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


def test_the_event_loop_check_flags_plain_functions():
    class Handler:
        async def __call__(self) -> None: ...

    async def coroutine() -> None: ...

    async def generator() -> AsyncIterator[None]:
        yield

    def plain() -> None: ...

    assert _runs_on_the_loop(coroutine)
    assert _runs_on_the_loop(generator)
    assert _runs_on_the_loop(Handler())
    assert not _runs_on_the_loop(plain)


def _lookup() -> int:
    return 1


async def _check(value: Annotated[int, Depends(_lookup)]) -> int:
    return value


async def _endpoint(value: Annotated[int, Depends(_check)]) -> int:
    return value


def test_the_event_loop_check_walks_every_dependency():
    route = APIRoute("/x", _endpoint)

    assert list(_calls(route.dependant)) == [_endpoint, _check, _lookup]
