"""The error catalogue: every code a client can receive, who owns it and what it means."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.config.errors import ConfigError
from core.errors.exceptions import MosaicError

CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class ErrorEntry:
    """One registered error code, as served by ``GET /api/v1/errors/{code}``."""

    code: str
    status: int
    title: str
    description: str
    module: str


class ErrorRegistry:
    """The codes of the kernel and the enabled modules, in registration order."""

    def __init__(self) -> None:
        self._entries: dict[str, ErrorEntry] = {}

    def register(self, module: str, errors: Iterable[type[MosaicError]]) -> None:
        """Adds a module's error classes, refusing malformed, foreign or duplicate codes."""
        for error in errors:
            if not (isinstance(error, type) and issubclass(error, MosaicError)):
                raise ConfigError(f"module '{module}' registers {error!r}, not a MosaicError class")
            if not error.is_concrete() or not getattr(error, "title", ""):
                raise ConfigError(
                    f"module '{module}' registers {error.__name__} without its own code and title"
                )
            code = error.code
            if not CODE.match(code) or not code.startswith(f"{module}."):
                raise ConfigError(
                    f"module '{module}' registers error code '{code}', "
                    f"which must look like '{module}.snake_case'"
                )
            if code in self._entries:
                owner = self._entries[code].module
                raise ConfigError(
                    f"modules '{owner}' and '{module}' both claim error code '{code}'"
                )
            self._entries[code] = ErrorEntry(
                code=code,
                status=error.status,
                title=error.title,
                description=error.description or error.title,
                module=module,
            )

    def get(self, code: str) -> ErrorEntry | None:
        """Returns the entry for ``code``, or ``None`` when no enabled module owns it."""
        return self._entries.get(code)

    def __iter__(self) -> Iterator[ErrorEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: object) -> bool:
        return code in self._entries
