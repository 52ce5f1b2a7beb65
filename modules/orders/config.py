"""Settings of the orders module: the ``[modules.orders]`` section of plugins.toml."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from core import PagingSettings

#: The most lines and units per line the API's schema admits; the settings may only lower them.
LINES_CEILING = 100
QUANTITY_CEILING = 10_000


class OrdersSettings(PagingSettings):
    """Overridable with ``MOSAIC_MODULES__ORDERS__<KEY>``; ``max_page_size`` and
    ``default_page_size`` bound the listing's ``limit``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_lines: int = Field(
        default=50, ge=1, le=LINES_CEILING, description="Most lines one order may have."
    )
    max_quantity: int = Field(
        default=100, ge=1, le=QUANTITY_CEILING, description="Most units of a product per line."
    )
    pending_expiry_minutes: int | None = Field(
        default=None,
        ge=1,
        le=60 * 24 * 366,
        description="Minutes after which an unpaid order is cancelled and its stock released, by "
        "`mosaic orders expire` and by the server's periodic job; unset, orders never expire.",
    )
