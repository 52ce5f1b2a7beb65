"""The ``[modules.catalogue]`` settings: validated at start, used by the API."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core import ConfigError
from modules.catalogue.config import CatalogueSettings
from tests.modules.catalogue.conftest import API, catalogue_plugins


def test_defaults():
    settings = CatalogueSettings()

    assert (settings.currency, settings.max_page_size, settings.default_page_size) == (
        "EUR",
        100,
        20,
    )
    assert settings.import_batch_size == 500


@pytest.mark.parametrize(
    "values",
    [
        {"currency": "EURO"},
        {"currency": "XYZ"},
        {"currency": 978},
        {"max_page_size": 0},
        {"max_page_size": 1001},
        {"default_page_size": 50, "max_page_size": 10},
        {"import_batch_size": 0},
        {"page_size": 10},
    ],
)
def test_invalid_values_are_refused(values):
    with pytest.raises(ValidationError):
        CatalogueSettings.model_validate(values)


def test_currency_is_normalised():
    assert CatalogueSettings(currency=" usd ").currency == "USD"


def test_a_lower_maximum_alone_lowers_the_default():
    assert CatalogueSettings(max_page_size=5).default_page_size == 5


async def test_the_app_refuses_to_start_with_a_bad_setting(mosaic_app):
    with pytest.raises(ConfigError, match="currency"):
        await mosaic_app(catalogue_plugins(), settings={"catalogue": {"currency": "ABC"}})


async def test_prices_carry_the_configured_currency(mosaic_app, mosaic_client, mosaic_token):
    app = await mosaic_app(catalogue_plugins(), settings={"catalogue": {"currency": "CHF"}})
    client = await mosaic_client(app)
    headers = {"Authorization": f"Bearer {await mosaic_token(app, 'catalogue:write')}"}
    category = (
        await client.post(f"{API}/categories", json={"slug": "c", "name": "C"}, headers=headers)
    ).json()
    body = {"sku": "A", "slug": "a", "name": "A", "price": "3", "category_id": category["id"]}

    created = await client.post(f"{API}/products", json=body, headers=headers)

    assert created.json()["currency"] == "CHF"
