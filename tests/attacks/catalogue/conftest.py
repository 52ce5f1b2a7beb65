"""Fixtures of the attack tests: the catalogue's application, callers and makers."""

from __future__ import annotations

from tests.modules.catalogue.conftest import (  # noqa: F401 - pytest finds fixtures by name
    app,
    category,
    make_category,
    make_product,
    make_tag,
    settings,
    writer,
)
