"""``core.db.ModuleBase``: a module's base is abstract, its tables are in its own metadata under
the kernel's naming convention, and its models still relate to other modules' models."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, configure_mappers, mapped_column

import core.db
from core.db import NAMING_CONVENTION, relationship
from modules.users.api import user_id_column
from modules.users.models import Base as UsersBase
from modules.users.models import User


class Base(core.db.ModuleBase):
    """Base of the probe module's tables."""


class Parcel(Base):
    __tablename__ = "probe_parcels"
    __table_args__ = (UniqueConstraint("code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(user_id_column()))

    owner: Mapped[User] = relationship()


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def test_the_module_base_is_abstract_and_maps_nothing_itself():
    assert Base.__abstract__ is True
    assert "__table__" not in Base.__dict__
    assert _table(Parcel).name == "probe_parcels"


def test_each_module_base_has_a_metadata_of_its_own():
    assert Base.metadata is not UsersBase.metadata
    assert Base.metadata is not core.db.Base.metadata
    assert list(Base.metadata.tables) == ["probe_parcels"]
    assert "probe_parcels" not in UsersBase.metadata.tables


def test_its_constraints_are_named_by_the_kernel_convention():
    assert Base.metadata.naming_convention == NAMING_CONVENTION
    names = {constraint.name for constraint in _table(Parcel).constraints}
    assert names == {
        "pk_probe_parcels",
        "uq_probe_parcels_code",
        "fk_probe_parcels_owner_id_users_users",
    }


def test_a_model_relates_to_another_module_model_through_the_shared_registry():
    configure_mappers()
    assert Parcel.owner.property.mapper.class_ is User
