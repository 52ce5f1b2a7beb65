"""Dependencies every part of the catalogue shares: its settings and its writers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from core import module_settings
from core.auth import Principal, require
from modules.catalogue.config import CatalogueSettings

WRITE = "catalogue:write"

Settings = Annotated[CatalogueSettings, Depends(module_settings(CatalogueSettings))]
Writer = Annotated[Principal, require(WRITE)]
