"""The module contract applied to the fixture modules, and shown to catch a broken module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import nullcontext
from enum import StrEnum
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends
from fastapi.routing import APIRoute

from core import AdminView, NamedEnum
from core.testing.contract import (
    ModuleContract,
    _calls,
    _imports,
    _package_of,
    _runs_on_the_loop,
    error_class_name,
)
from tests.fixture_modules.factory import make_plugin
from tests.fixture_modules.notes import plugin as notes
from tests.fixture_modules.notes.models import Note
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


class _ShopContract(ModuleContract):
    module = "shop"


class _Sort(StrEnum):
    PRICE = "price"
    PRICE_DESC = "-price"


class _NamedSort(NamedEnum):
    PRICE = "price"
    PRICE_DESC = "-price"


def _shop(*, operation_ids: tuple[str | None, str | None], sort: type[StrEnum], tag: str) -> object:
    """A module ``shop`` whose two routes have these operation ids, sort and tag."""
    router = APIRouter(prefix="/shop", tags=[tag])

    @router.get("/items", operation_id=operation_ids[0], response_model=list[sort])  # type: ignore[valid-type]
    async def list_items() -> list[str]:
        return ["price"]

    @router.get("/items/count", operation_id=operation_ids[1])
    async def count_items() -> int:
        return 0

    return make_plugin("shop", routers=[router])


async def _contract_app(mosaic_app, mosaic_client, plugin):
    app = await mosaic_app({"shop": plugin})
    return app, await mosaic_client(app)


async def test_a_well_named_module_passes_the_naming_checks(mosaic_app, mosaic_client):
    plugin = _shop(operation_ids=(None, None), sort=_NamedSort, tag="shop")
    app, client = await _contract_app(mosaic_app, mosaic_client, plugin)

    await _ShopContract().test_operation_ids_name_the_module_and_are_unique(app, client)
    await _ShopContract().test_enum_values_are_named(client)
    await _ShopContract().test_tags_described(app, client)


@pytest.mark.parametrize(
    ("operation_ids", "message"),
    [
        (("list", None), "has the operation id 'list', not shop_<action>"),
        (("shop_list", "shop_list"), r"operation ids used more than once: \['shop_list'\]"),
    ],
)
async def test_the_contract_catches_operation_ids(
    mosaic_app, mosaic_client, operation_ids, message
):
    plugin = _shop(operation_ids=operation_ids, sort=_NamedSort, tag="shop")
    app, client = await _contract_app(mosaic_app, mosaic_client, plugin)

    # FastAPI warns of a duplicate id as it writes the document; the contract fails on it.
    duplicate = operation_ids[0] == operation_ids[1]
    with (
        pytest.warns(UserWarning) if duplicate else nullcontext(),
        pytest.raises(AssertionError, match=message),
    ):
        await _ShopContract().test_operation_ids_name_the_module_and_are_unique(app, client)


async def test_the_contract_catches_an_enum_without_names(mosaic_app, mosaic_client):
    plugin = _shop(operation_ids=(None, None), sort=_Sort, tag="shop")
    _app, client = await _contract_app(mosaic_app, mosaic_client, plugin)

    with pytest.raises(AssertionError, match="enum _Sort needs x-enum-varnames"):
        await _ShopContract().test_enum_values_are_named(client)


async def test_the_contract_catches_an_undescribed_tag(mosaic_app, mosaic_client):
    plugin = _shop(operation_ids=(None, None), sort=_NamedSort, tag="misc")
    app, client = await _contract_app(mosaic_app, mosaic_client, plugin)

    with pytest.raises(AssertionError, match="the tag 'misc' has no description"):
        await _ShopContract().test_tags_described(app, client)


class _AdminContract(ModuleContract):
    module = "shop"


@pytest.mark.parametrize(
    ("view", "message"),
    [
        (
            AdminView(model=Note, permission="shop:write", columns=("id",)),
            r"is over 'notes_notes', which is not one of its tables \[\]",
        ),
    ],
)
async def test_the_contract_catches_an_admin_view_over_another_modules_model(
    mosaic_app, mosaic_client, view, message
):
    plugin = make_plugin("shop", permissions=["shop:write"], admin=[view])
    app, _client = await _contract_app(mosaic_app, mosaic_client, plugin)

    with pytest.raises(AssertionError, match=message):
        _AdminContract().test_admin_views_name_only_its_own_models(app)
