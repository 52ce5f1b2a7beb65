"""A Python client generated from ``mosaic openapi`` by openapi-python-client, used against a live
server as an API consumer would: log in, read the profile, create a category and products as an
administrator, walk the product pages, and read a 404 and a 422 as typed problems.

Generation must be clean: a warning means part of the API is missing from the client.
"""

from __future__ import annotations

import importlib
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.attacks.server import Server, serving
from tests.core.installed import ACCOUNTS_PLUGINS, ROOT, own_database, run_mosaic

README = (ROOT / "README.md").read_text()
PACKAGE = "mosaic_client"
EMAIL = "admin@example.com"
PASSWORD = "correct horse battery staple"
PLUGINS = ACCOUNTS_PLUGINS


def _readme(pattern: str) -> str:
    """The README's text matching ``pattern``, without the indentation of its list item."""
    match = re.search(pattern, README, re.M | re.S)
    assert match is not None, f"the README no longer shows {pattern!r}"
    return re.sub(r"^  ", "", match.group(0), flags=re.M)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own for the server: SQLite, or PostgreSQL when the tests run there."""
    with own_database(tmp_path, "client") as url:
        yield url


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[Server]:
    """``mosaic serve`` over the migrated database, with one administrator."""
    with serving(tmp_path, PLUGINS, {"MOSAIC_DATABASE_URL": database_url}) as running:
        created = running.mosaic(
            *("users", "create-admin", "--email", EMAIL, "--password-stdin"),
            stdin=f"{PASSWORD}\n",
        )
        assert created.returncode == 0, created.stderr
        yield running


@pytest.fixture
def client_package(tmp_path: Path) -> Iterator[ModuleType]:
    """The client generated from ``mosaic openapi``, imported."""
    (tmp_path / "plugins.toml").write_text(PLUGINS)
    # The README's two commands and its generator.yaml, as written.
    export = shlex.split(_readme(r"^  mosaic openapi -o openapi\.json$"))
    generate = shlex.split(_readme(r"^  openapi-python-client generate .*?$"))
    config = _readme(r"^  content_type_overrides:\n.*?application/octet-stream\n")
    document = run_mosaic(*export[1:], cwd=tmp_path)
    assert document.returncode == 0, document.stderr
    (tmp_path / "generator.yaml").write_text(config)
    bin_dir = Path(sys.executable).parent
    generated = subprocess.run(
        [str(bin_dir / generate[0]), *generate[1:]],
        cwd=tmp_path,
        # The generator formats its output with ruff, found on PATH.
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    assert "warning" not in output.lower(), output
    assert "error" not in output.lower(), output
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _api(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_a_generated_client_reads_and_writes_the_api(
    server: Server, client_package: ModuleType
) -> None:
    models = _api(client_package, "models")
    issue_token = _api(client_package, "api.auth.auth_issue_token")
    read_me = _api(client_package, "api.users.users_read_me")
    create_category = _api(client_package, "api.catalogue.catalogue_create_category")
    create_product = _api(client_package, "api.catalogue.catalogue_create_product")
    list_products = _api(client_package, "api.catalogue.catalogue_list_products")
    read_product = _api(client_package, "api.catalogue.catalogue_read_product")

    anonymous = client_package.Client(base_url=server.base)
    login = issue_token.sync(
        client=anonymous,
        body=models.AuthIssueTokenBody(
            grant_type=models.AuthIssueTokenBodyGrantType.PASSWORD,
            username=EMAIL,
            password=PASSWORD,
        ),
    )
    assert isinstance(login, models.TokenPair), login
    client = client_package.AuthenticatedClient(base_url=server.base, token=login.access_token)

    me = read_me.sync(client=client)
    assert isinstance(me, models.UserRead)
    assert (me.email, list(me.roles)) == (EMAIL, ["admin"])

    category = create_category.sync(
        client=client, body=models.CategoryCreate(slug="tools", name="Tools")
    )
    assert isinstance(category, models.CategoryRead), category
    prices = ["3.00", "24.50", "7.25", "120.00", "0.99"]
    for number, price in enumerate(prices):
        product = create_product.sync(
            client=client,
            body=models.ProductCreate(
                sku=f"TOOL-{number}",
                slug=f"tool-{number}",
                name=f"Tool {number}",
                price=price,
                category_id=category.id,
                status=models.ProductStatus.ACTIVE,
            ),
        )
        assert isinstance(product, models.ProductRead), product
        assert product.price == price

    walked: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = list_products.sync(
            client=client, sort=models.ProductSort.PRICE_DESC, limit=2, cursor=cursor
        )
        assert isinstance(page, models.ProductPage), page
        pages += 1
        walked += [product.price for product in page.items]
        # `next` is a Python builtin: the generator names the field `next_`.
        if page.next_ is None:
            break
        cursor = page.next_
    assert walked == sorted(prices, key=float, reverse=True)
    assert pages == 3

    missing = read_product.sync(client=client, product_id=999_999)
    assert isinstance(missing, models.Problem)
    assert (missing.status, missing.code) == (404, "catalogue.product_not_found")

    refused = list_products.sync(client=client, limit=0)
    assert isinstance(refused, models.Problem)
    assert (refused.status, refused.code) == (422, "core.validation_failed")
    assert [error.pointer for error in refused.errors] == ["/limit"]
