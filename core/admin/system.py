"""The console's "System" page: what runs, whether its tables are current, what can go wrong,
and what is waiting to be delivered.

It shows the enabled modules with their versions, each module's migration branch (head and the
revision the database holds), the error catalogue, and the event outbox backlog. Only a person
holding every permission of the enabled modules (the ``admin`` role) may read it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqladmin import BaseView, expose
from starlette.requests import Request
from starlette.responses import Response

from core.admin.sign_in import principal_of
from core.kernel.kernel import Kernel

TEMPLATE = "mosaic_admin/system.html"


class SystemView(BaseView):
    """The page; :func:`system_view` binds it to the kernel."""

    kernel: ClassVar[Kernel]
    name = "System"
    identity = "system"
    icon = "fa-solid fa-gears"

    def is_accessible(self, request: Request) -> bool:
        principal = principal_of(request)
        return principal is not None and principal.can(*self.kernel.permissions)

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    @expose("/system", methods=["GET"], identity="system")
    async def system(self, request: Request) -> Response:
        """Renders the page from a fresh read of the database."""
        return await self.templates.TemplateResponse(request, TEMPLATE, await self._context())

    async def _context(self) -> dict[str, Any]:
        # Imported here, as the readiness probe does: alembic is slow to import.
        from core.alembic_branches.branches import Branches
        from core.events.repository import incomplete_count

        kernel = self.kernel
        async with kernel.database.engine.connect() as connection:
            branches = await connection.run_sync(Branches.of(kernel).status)
        async with kernel.database.unit_of_work() as uow:
            backlog = await incomplete_count(uow.session)
        return {
            "modules": [(m.name, m.info.version, m.info.description) for m in kernel.modules],
            "branches": [b for b in branches if b.enabled],
            "errors": sorted(kernel.errors, key=lambda entry: entry.code),
            "backlog": backlog,
        }


def system_view(kernel: Kernel) -> type[SystemView]:
    """Returns the page's class bound to ``kernel``."""
    return type("MosaicSystemView", (SystemView,), {"kernel": kernel})
