"""The event types and listeners of the enabled modules, checked once at start."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.config.errors import ConfigError
from core.events.event import EVENT_NAME, Event
from core.events.listener import Listener, Mode


@dataclass(frozen=True, slots=True)
class Subscription:
    """A listener as the kernel runs it: its registry name and the module that declared it."""

    name: str
    module: str
    listener: Listener

    @property
    def mode(self) -> Mode:
        """When it runs."""
        return self.listener.mode


class EventRegistry:
    """Which event types exist and who listens to each (only enabled modules count)."""

    def __init__(
        self,
        events: Mapping[str, Iterable[type[Event]]],
        listeners: Mapping[str, Iterable[Listener]],
    ) -> None:
        self.types: dict[str, type[Event]] = {}
        self.published_by: dict[str, tuple[str, ...]] = {}
        for module, classes in events.items():
            for event in classes:
                self._add_event(module, event)
            self.published_by[module] = tuple(e.event_type() for e in classes)
        self.subscriptions: dict[str, Subscription] = {}
        for module, declared in listeners.items():
            for listener in declared:
                self._add_listener(module, listener)
        self._routes = {
            event_type: tuple(s for s in self.subscriptions.values() if s.listener.receives(event))
            for event_type, event in self.types.items()
        }

    def subscribers(self, event: type[Event]) -> tuple[Subscription, ...]:
        """Every active subscription receiving ``event``; refuses an unregistered type."""
        routes = self._routes.get(event.event_type())
        if routes is None or self.types[event.event_type()] is not event:
            raise LookupError(
                f"event type {event.event_type()} is not registered by an enabled module"
            )
        return routes

    def listened_by(self, module: str) -> tuple[str, ...]:
        """The event types ``module``'s listeners receive."""
        return tuple(
            event_type
            for event_type, routes in self._routes.items()
            if any(s.module == module for s in routes)
        )

    def _add_event(self, module: str, event: type[Event]) -> None:
        if not (isinstance(event, type) and issubclass(event, Event)) or event is Event:
            raise ConfigError(f"module '{module}' registers {event!r}, which is not an Event type")
        name = getattr(event, "event_name", None)
        if not isinstance(name, str) or not EVENT_NAME.match(name):
            raise ConfigError(
                f"module '{module}': event {event.__name__} needs an event_name such as "
                f"'{module}.something_happened'"
            )
        if event.event_module() != module:
            raise ConfigError(
                f"module '{module}': event {name} must be named '{module}.…' (its owner)"
            )
        version = event.event_version
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ConfigError(f"module '{module}': event {name} needs an event_version ≥ 1")
        if not (event.__doc__ or "").strip() or event.__doc__ == Event.__doc__:
            raise ConfigError(f"module '{module}': event {name} needs a docstring")
        if event.event_type() in self.types:
            raise ConfigError(f"module '{module}' registers event {event.event_type()} twice")
        self.types[event.event_type()] = event

    def _add_listener(self, module: str, listener: Listener) -> None:
        if not isinstance(listener, Listener):
            raise ConfigError(f"module '{module}' registers {listener!r}, which is not a Listener")
        name = listener.named(module)
        if name in self.subscriptions:
            raise ConfigError(f"module '{module}': two listeners are named '{name}'")
        self.subscriptions[name] = Subscription(name, module, listener)
