"""The contract every module gets tested against, for free.

In a module's tests::

    from core.testing.contract import ModuleContract

    class TestShippingContract(ModuleContract):
        module = "shipping"

``plugins`` may name the plugins to load (default: every installed module). The module is enabled
with the modules it depends on, over a migrated throwaway database.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import keyword
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from sqlalchemy import Table

from core.db import Base
from core.errors.problem import PROBLEM_MEDIA_TYPE
from core.events.event import Event
from core.kernel.access import kernel_of
from core.kernel.discovery import discover_plugins
from core.kernel.module import LoadedModule
from core.testing.migrations import round_trip, schema_differences
from core.testing.plugin import AppFactory, ClientFactory

METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})
# Lazy strategies that never issue a query on attribute access.
EXPLICIT_LOADING = frozenset({"raise", "raise_on_sql", "noload", "joined", "selectin", "subquery"})


class ModuleContract:
    """Tests a module's routes, errors, permissions, events, migrations and public API boundary,
    and that its routes never leave the event loop."""

    module: ClassVar[str]
    plugins: ClassVar[Mapping[str, object] | None] = None

    @pytest.fixture
    async def contract_app(self, mosaic_app: AppFactory) -> FastAPI:
        """The application with the module and its dependencies enabled."""
        plugins = dict(self.plugins) if self.plugins is not None else discover_plugins()
        return await mosaic_app(plugins, enabled=[self.module])

    @pytest.fixture
    async def contract_client(
        self, contract_app: FastAPI, mosaic_client: ClientFactory
    ) -> httpx.AsyncClient:
        """A client of :meth:`contract_app`."""
        return await mosaic_client(contract_app)

    def _loaded(self, app: FastAPI) -> LoadedModule:
        kernel = kernel_of(app)
        return kernel.available[self.module]

    def test_describes_itself(self, contract_app: FastAPI) -> None:
        info = self._loaded(contract_app).info
        assert info.name == self.module
        assert info.version, "the module must declare a version"
        assert info.description, "the module must describe itself in one sentence"

    async def test_routes_documented_with_problems(
        self, contract_app: FastAPI, contract_client: httpx.AsyncClient
    ) -> None:
        paths = (await contract_client.get("/openapi.json")).json()["paths"]
        for route in self._loaded(contract_app).routes:
            method, path = route.split(" ", 1)
            assert path in paths, f"{route} is missing from OpenAPI"
            responses = paths[path][method.lower()]["responses"]
            assert "500" in responses, f"{route} does not document its 500"
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    assert list(response.get("content", {})) == [PROBLEM_MEDIA_TYPE], (
                        f"{route} documents {status} without the problem schema"
                    )

    async def test_operation_ids_name_the_module_and_are_unique(
        self, contract_app: FastAPI, contract_client: httpx.AsyncClient
    ) -> None:
        """Client generators name a method after its operation id: ``<module>_<action>``
        (``catalogue_list_products``), one per operation in the whole document."""
        paths = (await contract_client.get("/openapi.json")).json()["paths"]
        ids = [op["operationId"] for op in _operations(paths)]
        duplicates = sorted({name for name in ids if ids.count(name) > 1})
        assert not duplicates, f"operation ids used more than once: {duplicates}"
        for route in self._loaded(contract_app).routes:
            method, path = route.split(" ", 1)
            operation_id = paths[path][method.lower()]["operationId"]
            assert re.fullmatch(rf"{self.module}_[a-z][a-z0-9_]*", operation_id), (
                f"{route} has the operation id {operation_id!r}, not {self.module}_<action>"
            )

    async def test_tags_described(
        self, contract_app: FastAPI, contract_client: httpx.AsyncClient
    ) -> None:
        """Every tag of the module's operations has a description in the document."""
        document = (await contract_client.get("/openapi.json")).json()
        described = {tag["name"] for tag in document.get("tags", ()) if tag.get("description")}
        for route in self._loaded(contract_app).routes:
            method, path = route.split(" ", 1)
            for tag in document["paths"][path][method.lower()].get("tags", ()):
                assert tag in described, f"{route}: the tag {tag!r} has no description"

    async def test_enum_values_are_named(self, contract_client: httpx.AsyncClient) -> None:
        """An enum with a value that is no identifier (``-price``) names its members in
        ``x-enum-varnames`` (make it a ``core.NamedEnum``), so generated clients need not."""
        schemas = (await contract_client.get("/openapi.json")).json()["components"]["schemas"]
        for name, schema in schemas.items():
            values = schema.get("enum", ())
            if all(_is_identifier(value) for value in values):
                continue
            names = schema.get("x-enum-varnames", [])
            assert len(names) == len(values), f"enum {name} needs x-enum-varnames: {values}"
            assert all(_is_identifier(n) for n in names), f"enum {name}: {names}"

    async def test_error_codes_registered(
        self, contract_app: FastAPI, contract_client: httpx.AsyncClient
    ) -> None:
        """Each error is registered under the module's name, served by the catalogue, and its
        class is named after its code: ``shipping.parcel_lost`` is ``ParcelLost``, so a reader
        finds the class from the code a client quotes, with no module prefix."""
        kernel = kernel_of(contract_app)
        for error in self._loaded(contract_app).errors:
            assert error.__name__ == error_class_name(error.code), (
                f"{error.__name__} raises {error.code}: name it {error_class_name(error.code)}"
            )
            entry = kernel.errors.get(error.code)
            assert entry is not None and entry.module == self.module
            response = await contract_client.get(f"/api/v1/errors/{error.code}")
            assert response.status_code == 200
            assert response.json()["status"] == error.status

    def test_permissions_registered(self, contract_app: FastAPI) -> None:
        kernel = kernel_of(contract_app)
        for permission, description in self._loaded(contract_app).permissions.items():
            assert permission.startswith(f"{self.module}:")
            assert kernel.permissions[permission] == description
            assert description, f"permission {permission} needs a description"

    def test_event_types_are_documented_and_versioned(self, contract_app: FastAPI) -> None:
        """Each event type the module publishes is a documented, versioned Pydantic model named
        for the module, whose JSON schema other modules and consumers can read."""
        kernel = kernel_of(contract_app)
        for event in self._loaded(contract_app).events:
            assert issubclass(event, Event) and issubclass(event, BaseModel)
            assert event.event_name.startswith(f"{self.module}."), event.event_name
            assert isinstance(event.event_version, int) and event.event_version >= 1
            assert (event.__doc__ or "").strip(), f"{event.event_name} needs a docstring"
            assert kernel.events.types[event.event_type()] is event
            assert event.model_json_schema()["type"] == "object"

    async def test_migrations_round_trip_and_match_models(self, contract_app: FastAPI) -> None:
        kernel = kernel_of(contract_app)
        if self._loaded(contract_app).migrations is None:
            pytest.skip(f"module '{self.module}' owns no tables")
        async with kernel.database.engine.begin() as connection:
            before, down, after = await connection.run_sync(
                lambda sync: round_trip(kernel, sync, self.module)
            )
            differences = await connection.run_sync(
                lambda sync: schema_differences(kernel, sync, self.module)
            )
        own = set(self._loaded(contract_app).tables)
        assert own <= before, "upgrade did not create every table of the models"
        assert not own & down, "downgrade left tables of the module behind"
        assert before == after
        assert differences == [], "the migrated schema differs from the models"

    def test_relationships_never_load_lazily(self, contract_app: FastAPI) -> None:
        """Every relationship raises instead of lazy-loading, so an N+1 fails loudly."""
        metadata = self._loaded(contract_app).metadata
        if metadata is None:
            pytest.skip(f"module '{self.module}' owns no tables")
        for mapper in Base.registry.mappers:
            table = mapper.local_table
            if not isinstance(table, Table) or table.metadata is not metadata:
                continue
            for relationship in mapper.relationships:
                assert relationship.lazy in EXPLICIT_LOADING, (
                    f"{mapper.class_.__name__}.{relationship.key} is lazy={relationship.lazy!r}; "
                    "use core.db.relationship (lazy='raise') and load it explicitly"
                )

    def test_admin_views_name_only_its_own_models(self, contract_app: FastAPI) -> None:
        """Each admin console page is over one of the module's own tables, needs a permission the
        module declares, and names only attributes its model has."""
        loaded = self._loaded(contract_app)
        for view in loaded.info.admin:
            assert view.table in loaded.tables, (
                f"an admin view of module '{self.module}' is over '{view.table}', which is not one "
                f"of its tables {sorted(loaded.tables)}"
            )
            assert view.permission in loaded.permissions, (
                f"the admin view over '{view.table}' needs '{view.permission}', which module "
                f"'{self.module}' does not declare"
            )
            named = {*view.columns, *view.searchable, *view.filters, *view.editable}
            named |= {view.version} if view.version else set()
            unknown = sorted(name for name in named if not hasattr(view.model, name))
            assert not unknown, f"the admin view over '{view.table}' names no attribute {unknown}"

    def test_routes_run_on_the_event_loop(self, contract_app: FastAPI) -> None:
        """Every endpoint and dependency is ``async def``: FastAPI runs a plain ``def`` in its
        thread pool, which costs more than a check or a lookup, and hides blocking work that
        should be handed to a thread on purpose (as password hashing is)."""
        for router in self._loaded(contract_app).routers:
            for context in iter_route_contexts(router.routes):
                route = context.original_route
                if not isinstance(route, APIRoute):
                    continue
                for call in _calls(route.dependant):
                    assert _runs_on_the_loop(call), (
                        f"{sorted(route.methods or ())} {route.path}: {_name(call)} is a plain "
                        "function; make it async def (and hand blocking work to a thread)"
                    )

    def test_other_modules_use_only_its_public_api(self, contract_app: FastAPI) -> None:
        kernel = kernel_of(contract_app)
        package = _package_of(self._loaded(contract_app).plugin)
        allowed = {package, f"{package}.api"}
        for name, other in kernel.available.items():
            if name in {self.module, "core"}:
                continue
            for path, imported in _imports(_package_of(other.plugin)):
                inside = imported == package or imported.startswith(f"{package}.")
                assert not inside or imported in allowed, (
                    f"{path} imports {imported}; use {package}.api"
                )


def _operations(paths: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in paths.values():
        for method, operation in item.items():
            if method in METHODS:
                yield operation


def _is_identifier(value: object) -> bool:
    """Whether ``value`` can name a member in generated code as it is."""
    return isinstance(value, str) and value.isidentifier() and not keyword.iskeyword(value)


def error_class_name(code: str) -> str:
    """Returns the class name an error with ``code`` takes: the PascalCase of what follows the
    module's name (``users.email_taken`` → ``EmailTaken``)."""
    _module, _dot, suffix = code.partition(".")
    return "".join(word.capitalize() for word in suffix.split("_"))


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """The endpoint of ``dependant`` and every dependency under it."""
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def _runs_on_the_loop(call: Callable[..., Any]) -> bool:
    """Whether FastAPI awaits ``call`` on the loop (a function, or an object's ``__call__``)."""
    function = call if inspect.isfunction(call) or inspect.ismethod(call) else type(call).__call__
    return inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)


def _name(call: Callable[..., Any]) -> str:
    return str(getattr(call, "__qualname__", type(call).__qualname__))


def _package_of(plugin: object) -> str:
    name = getattr(plugin, "__name__", type(plugin).__module__)
    return name.rpartition(".")[0] or name


def _imports(package: str) -> Iterator[tuple[Path, str]]:
    """Yields every module the source files of ``package`` import (``from p import sub`` counts
    as importing ``p.sub`` when ``sub`` is a module)."""
    root = importlib.import_module(package)
    for folder in getattr(root, "__path__", []):
        for path in Path(folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        yield path, alias.name
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    yield path, node.module
                    for alias in node.names:
                        if _is_module(f"{node.module}.{alias.name}"):
                            yield path, f"{node.module}.{alias.name}"


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
