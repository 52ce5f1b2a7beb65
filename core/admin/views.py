"""A module's :class:`~core.admin.view.AdminView` as a sqladmin ``ModelView``.

The view is built for one declaration: it lists and shows only the declared columns, searches and
filters the declared ones, never creates, deletes, exports or imports, and edits only through the
declaration's ``save`` inside a kernel Unit of Work. Every page needs the declared permission.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from pydantic import ValidationError
from sqladmin import ModelView
from sqladmin.filters import AllUniqueStringValuesFilter, BooleanFilter
from sqlalchemy import Boolean
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError
from starlette.requests import Request
from wtforms import HiddenField

from core.admin.sign_in import principal_of
from core.admin.view import AdminView
from core.db.database import Database
from core.errors.exceptions import MosaicError

logger = logging.getLogger("mosaic.admin")


class EditRefused(Exception):
    """A console edit the module refused, with the message the editor reads."""


STALE = "This row was changed since the page was opened: reload it and edit again."


class DeclaredView(ModelView):
    """The behaviour every declared view shares; :func:`model_view` adds the declaration."""

    declaration: ClassVar[AdminView]
    database: ClassVar[Database]

    can_create = False
    can_delete = False
    can_export = False
    can_import = False
    page_size = 25

    def is_accessible(self, request: Request) -> bool:
        principal = principal_of(request)
        return principal is not None and principal.can(self.declaration.permission)

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        declaration = self.declaration
        principal = principal_of(request)
        if declaration.save is None or principal is None:
            raise EditRefused("This page is read-only.")
        values = {name: data[name] for name in declaration.editable if name in data}
        try:
            async with self.database.unit_of_work() as uow:
                uow.actor = principal.subject
                if declaration.version is not None:
                    await self._refuse_stale(uow.session, pk, data.get(declaration.version))
                await declaration.save(uow, pk=pk, values=values, principal=principal)
        except EditRefused:
            raise
        except StaleDataError:
            raise EditRefused(STALE) from None
        except MosaicError as error:
            raise EditRefused(error.detail) from None
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in error.errors()
            )
            raise EditRefused(problems) from None
        except Exception:
            # The page shows the exception's text: nothing of a database error may reach it.
            logger.exception("admin edit of %s %s failed", declaration.table, pk)
            raise EditRefused("The change could not be saved.") from None
        return await self.get_object_for_details_by_pk(pk)

    async def _refuse_stale(self, session: AsyncSession, pk: str, opened_at: object) -> None:
        """Refuses the edit unless the row is still at the version the form was opened at.

        The row is read into the Unit of Work's session, so the module's service updates this
        very instance and its UPDATE names this version: a change committed in between fails too.
        """
        name = self.declaration.version
        assert name is not None
        model: Any = self.model
        row = await session.get(model, self._typed_pk(pk))
        if row is None or str(getattr(row, name)) != str(opened_at):
            raise EditRefused(STALE)

    def _typed_pk(self, pk: str) -> Any:
        column = self.pk_columns[0]
        return column.type.python_type(pk)

    async def get_object_for_details_by_pk(self, pk: str) -> Any:
        """The row with primary key ``pk``, as the detail page reads it."""
        return await self._get_object_by_pk(self._stmt_by_identifier(pk))


def model_view(module: str, declaration: AdminView, database: Database) -> type[DeclaredView]:
    """Returns the sqladmin view class of ``declaration``, owned by ``module``."""
    model = declaration.model
    table = declaration.table
    label = declaration.label or table.removeprefix(f"{module}_").replace("_", " ").capitalize()
    attributes: dict[str, Any] = {
        "declaration": declaration,
        "database": database,
        "name": label,
        "name_plural": label,
        "category": module.capitalize(),
        "column_list": list(declaration.columns),
        "column_details_list": list(declaration.columns),
        "column_searchable_list": list(declaration.searchable),
        "column_sortable_list": list(declaration.columns),
        "column_filters": [_filter(model, name) for name in declaration.filters],
        "can_edit": declaration.writable,
        "form_columns": _form_columns(declaration),
        "form_overrides": {declaration.version: HiddenField} if declaration.version else {},
    }
    view: type[DeclaredView] = type(
        f"{model.__name__}Admin", (DeclaredView,), attributes, model=model
    )
    # Named after the table (the metaclass names it after the class): unique across modules.
    view.identity = table
    return view


def _form_columns(declaration: AdminView) -> list[str]:
    """The edit form's fields: the editable ones, and the version the form was opened at."""
    if not declaration.writable:
        return []
    version = [declaration.version] if declaration.version else []
    return [*declaration.editable, *version]


def _filter(model: type[Any], name: str) -> AllUniqueStringValuesFilter | BooleanFilter:
    """A yes/no choice for a boolean column, the column's distinct values for any other."""
    if isinstance(getattr(model, name).type, Boolean):
        return BooleanFilter(name)
    return AllUniqueStringValuesFilter(name)
