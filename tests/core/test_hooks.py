"""Hooks go through the kernel's plugin manager: dynamic hooks answer in dependency order, only
for enabled modules, and a plugin can wrap a hook to observe what the others answer."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from core import Kernel, Module, hookimpl
from core.auth import Authenticator
from core.config.errors import ConfigError
from core.config.plugins_file import parse_plugins_document
from core.config.settings import Settings
from core.testing.auth import StaticAuthenticator, static_auth_plugin
from tests.fixture_modules.factory import make_plugin


def _load(plugins: dict[str, object], enabled: list[str]) -> Kernel:
    config = parse_plugins_document({"modules": {"enabled": enabled}}, path=None, environ={})
    return Kernel.load(Settings(), config=config, plugins=plugins)


def _lifespan_of(name: str, entered: list[str]) -> object:
    @asynccontextmanager
    async def lifespan(kernel: Kernel) -> Any:
        entered.append(name)
        yield

    return lifespan


async def test_lifespans_answer_in_dependency_order_for_enabled_modules_only():
    entered: list[str] = []
    plugins = {
        name: make_plugin(
            name, depends_on=depends, mosaic_register_lifespan=_lifespan_of(name, entered)
        )
        # Listed against the dependency order, so registration order cannot pass for it.
        for name, depends in (("top", ["middle"]), ("middle", ["base"]), ("base", []), ("off", []))
    }
    kernel = _load(plugins, ["top", "middle", "base"])

    for lifespan in kernel.plugins.hook.mosaic_register_lifespan(kernel=kernel):
        async with lifespan:
            pass

    assert entered == ["base", "middle", "top"]


class Observer:
    """A third-party module that wraps the authenticator hook and keeps what it saw."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    @hookimpl
    def mosaic_describe_module(self) -> Module:
        return Module(name="observer", version="1.0.0", description="Watches the others.")

    @hookimpl(wrapper=True)
    def mosaic_register_authenticator(
        self, kernel: Kernel
    ) -> Generator[None, Authenticator | None, Authenticator | None]:
        answer = yield
        self.seen.append(answer)
        return answer


def test_a_plugin_can_wrap_a_hook_and_observe_the_answer():
    observer = Observer()
    kernel = _load(
        {"testauth": static_auth_plugin(), "observer": observer}, ["testauth", "observer"]
    )

    authenticator = kernel.authenticator

    assert isinstance(authenticator, StaticAuthenticator)
    assert observer.seen == [authenticator]


def test_a_wrapper_is_no_claim_on_the_authenticator():
    # Two authenticators are refused; a module that only wraps the hook implements none.
    kernel = _load(
        {"testauth": static_auth_plugin(), "observer": Observer()}, ["testauth", "observer"]
    )

    assert kernel.available["observer"].hooks == frozenset()


def test_a_disabled_module_is_not_asked():
    observer = Observer()
    kernel = _load({"testauth": static_auth_plugin(), "observer": observer}, ["observer"])

    assert kernel.authenticator is None
    assert observer.seen == [None]


def test_a_wrapper_observes_later_calls_too():
    # The manager lives as long as the kernel: a plugin registered after start sees the calls.
    kernel = _load(
        {"lit": make_plugin("lit", mosaic_register_lifespan=_lifespan_of("lit", []))}, ["lit"]
    )
    seen: list[list[AbstractAsyncContextManager[None]]] = []

    class Watch:
        @hookimpl(hookwrapper=True)
        def mosaic_register_lifespan(self, kernel: Kernel) -> Generator[None, Any, None]:
            outcome = yield
            seen.append(outcome.get_result())

    kernel.plugins.register(Watch(), name="watch")
    answers = kernel.plugins.hook.mosaic_register_lifespan(kernel=kernel)

    assert seen == [answers]
    assert len(answers) == 1


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"name": "Bad-Name"}, "module name 'Bad-Name' must be lower_snake_case"),
        ({"depends_on": "users"}, "module 'odd' declares depends_on as a string"),
        ({"migrations": "versions"}, "module 'odd' returns 'versions' as its migrations"),
    ],
)
def test_a_malformed_record_is_refused(record: dict[str, Any], message: str):
    fields: dict[str, Any] = {"name": "odd", "version": "0", **record}
    plugin = type("Plugin", (), {"mosaic_describe_module": hookimpl(lambda: Module(**fields))})
    name = fields["name"]

    with pytest.raises(ConfigError, match=message):
        _load({name: plugin}, [name])


def test_a_record_that_is_no_module_is_refused():
    plugin = type("Plugin", (), {"mosaic_describe_module": hookimpl(lambda: {"name": "odd"})})

    with pytest.raises(ConfigError, match=r"describes itself with .* not a core\.Module"):
        _load({"odd": plugin}, ["odd"])
