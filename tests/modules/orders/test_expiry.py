"""Unpaid orders expire: ``mosaic orders expire`` and the periodic job cancel pending orders past
``pending_expiry_minutes`` and give their stock back."""

from __future__ import annotations

import asyncio
import re
import shlex
import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from core import utcnow
from core.cli import cli
from core.testing.kernel import kernel_of
from modules.orders.models import Order
from tests.core.installed import ROOT
from tests.modules.orders.conftest import API

README = (ROOT / "README.md").read_text()


async def age(app, order_id: str, minutes: int) -> None:
    """Moves an order's placing ``minutes`` into the past."""
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(
            update(Order)
            .where(Order.id == uuid.UUID(order_id))
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        )


@pytest.fixture
async def orders(app, client, alice, place, make_product):
    """An old pending order, an old paid one and a fresh pending one, of 2 units each."""
    product = await make_product("A-1", stock=10)
    placed = []
    for _ in range(3):
        response = await place(alice, [{"product_id": product["id"], "quantity": 2}])
        placed.append(response.json() | {"etag": response.headers["etag"]})
    old, paid, fresh = placed
    pay = await client.post(f"{API}/{paid['id']}/pay", headers=alice | {"If-Match": paid["etag"]})
    assert pay.status_code == 200
    await age(app, old["id"], 90)
    await age(app, paid["id"], 90)
    await age(app, fresh["id"], 10)
    return product, old, paid, fresh


async def statuses(client, headers, *orders) -> list[str]:
    return [
        (await client.get(f"{API}/{order['id']}", headers=headers)).json()["status"]
        for order in orders
    ]


@pytest.mark.parametrize("settings", [{"pending_expiry_minutes": 60}])
async def test_the_job_cancels_expired_pending_orders(
    app, client, alice, orders, stock_of, published_events
):
    product, old, paid, fresh = orders
    [job] = [job for job in kernel_of(app).jobs.jobs if job.name == "orders.expire_pending"]

    assert await kernel_of(app).jobs.run_once(job) is True

    assert await statuses(client, alice, old, paid, fresh) == ["cancelled", "paid", "pending"]
    assert await stock_of(product["id"]) == 6
    assert [
        (event["order_id"], event["reason"])
        for event in published_events.payloads("orders.cancelled.v1")
    ] == [(old["id"], "expired")]


async def test_without_the_setting_the_job_expires_nothing(app, client, alice, orders, stock_of):
    product, old, paid, fresh = orders
    [job] = [job for job in kernel_of(app).jobs.jobs if job.name == "orders.expire_pending"]

    await kernel_of(app).jobs.run_once(job)

    assert await statuses(client, alice, old, paid, fresh) == ["pending", "paid", "pending"]
    assert await stock_of(product["id"]) == 4


def _env(tmp_path, database_url: str, section: str = "") -> dict[str, str]:
    plugins = tmp_path / "plugins.toml"
    plugins.write_text(f'[modules]\nenabled = ["users", "catalogue", "orders"]\n{section}')
    return {"MOSAIC_PLUGINS_FILE": str(plugins), "MOSAIC_DATABASE_URL": database_url}


async def test_the_command_expires_with_the_setting(
    client, alice, orders, stock_of, mosaic_database_url, tmp_path
):
    product, old, paid, fresh = orders
    env = _env(tmp_path, mosaic_database_url, "\n[modules.orders]\npending_expiry_minutes = 60\n")

    result = await asyncio.to_thread(CliRunner().invoke, cli, ["orders", "expire"], env=env)

    assert result.exit_code == 0, result.output
    assert result.stdout == "expired 1 pending order\n"
    assert await statuses(client, alice, old, paid, fresh) == ["cancelled", "paid", "pending"]
    assert await stock_of(product["id"]) == 6


async def test_the_command_takes_an_age_and_refuses_without_one(
    client, alice, orders, stock_of, mosaic_database_url, tmp_path
):
    product, old, paid, fresh = orders
    env = _env(tmp_path, mosaic_database_url)

    unset = await asyncio.to_thread(CliRunner().invoke, cli, ["orders", "expire"], env=env)
    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["orders", "expire", "--older-than", "5"], env=env
    )

    assert unset.exit_code == 1
    assert "pending_expiry_minutes" in unset.output
    assert result.exit_code == 0, result.output
    assert result.stdout == "expired 2 pending orders\n"
    assert await statuses(client, alice, old, paid, fresh) == ["cancelled", "paid", "cancelled"]
    assert await stock_of(product["id"]) == 8


def readme_expiry_commands() -> list[list[str]]:
    """The ``mosaic orders expire`` lines of the README's orders section, without ``mosaic``."""
    section = README.split("## Orders (module `orders`)", 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"^mosaic (orders expire[^#\n]*)", section, re.MULTILINE)
    return [shlex.split(line) for line in lines]


@pytest.mark.parametrize("settings", [{"pending_expiry_minutes": 60}])
async def test_the_readme_commands_work_as_written(
    app, client, alice, orders, stock_of, mosaic_database_url, tmp_path
):
    product, old, paid, fresh = orders
    env = _env(tmp_path, mosaic_database_url, "\n[modules.orders]\npending_expiry_minutes = 60\n")
    with_setting, with_age = readme_expiry_commands()

    first = await asyncio.to_thread(CliRunner().invoke, cli, with_setting, env=env)
    assert (first.exit_code, first.stdout) == (0, "expired 1 pending order\n"), first.output
    assert await statuses(client, alice, old, paid, fresh) == ["cancelled", "paid", "pending"]
    await age(app, fresh["id"], 45)
    second = await asyncio.to_thread(CliRunner().invoke, cli, with_age, env=env)

    assert (second.exit_code, second.stdout) == (0, "expired 1 pending order\n"), second.output
    assert await statuses(client, alice, old, paid, fresh) == ["cancelled", "paid", "cancelled"]
    assert await stock_of(product["id"]) == 8
