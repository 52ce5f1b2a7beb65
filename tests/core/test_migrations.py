"""Per-module Alembic branches: upgrade, downgrade, status, revision; data kept when disabled."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, text

from core.alembic_branches import operations
from core.alembic_branches.branches import Branches
from core.config.errors import ConfigError
from core.config.plugins_file import parse_plugins_document
from core.config.settings import Settings
from core.kernel.kernel import Kernel
from core.kernel.module import MigrationBranch
from core.testing.migrations import round_trip, schema_differences, table_names
from tests.fixture_modules.notes import plugin as notes
from tests.fixture_modules.pins import plugin as pins

PLUGINS = {"notes": notes, "pins": pins}
# The kernel's own branch (the event registry) is upgraded with every set of modules.
KERNEL_TABLES = {"core_event_publications", "core_event_inbox", "core_idempotency_keys"}


def kernel_for(url: str, enabled: list[str]) -> Kernel:
    config = parse_plugins_document({"modules": {"enabled": enabled}}, path=None, environ={})
    return Kernel.load(Settings(database_url=url), config=config, plugins=PLUGINS)


async def run(kernel: Kernel, operation):
    async with kernel.database.engine.begin() as connection:
        return await connection.run_sync(operation)


@pytest.fixture
async def empty_url(mosaic_app, mosaic_database_url):
    await mosaic_app({})  # empties the test database (PostgreSQL) before the test
    return mosaic_database_url


async def test_upgrade_creates_each_enabled_branch(empty_url):
    kernel = kernel_for(empty_url, ["notes", "pins"])

    upgraded = await run(kernel, lambda c: operations.upgrade(kernel, c))

    assert upgraded == ["core", "notes", "pins"]
    assert await run(kernel, table_names) == {"notes_notes", "notes_links", "pins_pins"} | (
        KERNEL_TABLES
    )
    assert await run(kernel, Branches.of(kernel).pending) == []
    await kernel.database.dispose()


@pytest.mark.parametrize("module", ["core", "notes", "pins"])
async def test_round_trip_and_models_match(empty_url, module):
    kernel = kernel_for(empty_url, ["notes"] if module == "notes" else ["notes", "pins"])
    await run(kernel, lambda c: operations.upgrade(kernel, c))
    before, down, after = await run(kernel, lambda c: round_trip(kernel, c, module))
    if module == "core":
        assert down == {"notes_notes", "notes_links", "pins_pins"}
    elif module == "notes":
        assert down == KERNEL_TABLES
    else:
        assert down == {"notes_notes", "notes_links"} | KERNEL_TABLES
    assert before == after
    assert await run(kernel, lambda c: schema_differences(kernel, c, module)) == []
    await kernel.database.dispose()


async def test_schema_drift_is_detected(empty_url):
    kernel = kernel_for(empty_url, ["notes"])
    await run(kernel, lambda c: operations.upgrade(kernel, c))
    await run(kernel, lambda c: c.execute(text("DROP TABLE notes_links")))

    differences = await run(kernel, lambda c: schema_differences(kernel, c, "notes"))

    assert [difference[0] for difference in differences] == ["add_table"]
    await kernel.database.dispose()


async def test_downgrade_refused_while_an_enabled_module_depends_on_it(empty_url):
    kernel = kernel_for(empty_url, ["notes", "pins"])
    await run(kernel, lambda c: operations.upgrade(kernel, c))

    with pytest.raises(ConfigError, match="enabled module 'pins' depends on it"):
        await run(kernel, lambda c: operations.downgrade(kernel, c, "notes"))
    await kernel.database.dispose()


async def test_downgrade_refused_while_a_disabled_module_still_has_tables(empty_url):
    both = kernel_for(empty_url, ["notes", "pins"])
    await run(both, lambda c: operations.upgrade(both, c))
    await both.database.dispose()
    notes_only = kernel_for(empty_url, ["notes"])

    with pytest.raises(ConfigError, match="'pins' still has tables that depend on it"):
        await run(notes_only, lambda c: operations.downgrade(notes_only, c, "notes"))
    await run(notes_only, lambda c: operations.downgrade(notes_only, c, "pins"))
    await run(notes_only, lambda c: operations.downgrade(notes_only, c, "notes"))
    assert await run(notes_only, table_names) == KERNEL_TABLES
    await notes_only.database.dispose()


async def test_disabling_keeps_tables_and_rows(empty_url):
    both = kernel_for(empty_url, ["notes", "pins"])
    await run(both, lambda c: operations.upgrade(both, c))
    await run(both, lambda c: c.execute(text("INSERT INTO notes_notes (id, text) VALUES (1, 'a')")))
    await run(
        both, lambda c: c.execute(text("INSERT INTO pins_pins (note_id, label) VALUES (1, 'x')"))
    )
    await both.database.dispose()

    notes_only = kernel_for(empty_url, ["notes"])
    assert await run(notes_only, lambda c: operations.upgrade(notes_only, c)) == ["core", "notes"]
    status = {row.module: row for row in await run(notes_only, Branches.of(notes_only).status)}
    assert status["pins"].enabled is False
    assert status["pins"].up_to_date
    await notes_only.database.dispose()

    again = kernel_for(empty_url, ["notes", "pins"])
    await run(again, lambda c: operations.upgrade(again, c))
    rows = await run(again, lambda c: c.execute(text("SELECT label FROM pins_pins")).all())
    assert [row.label for row in rows] == ["x"]
    await again.database.dispose()


async def test_status_before_and_after_upgrade(empty_url):
    kernel = kernel_for(empty_url, ["notes"])

    before = {row.module: row for row in await run(kernel, Branches.of(kernel).status)}
    await run(kernel, lambda c: operations.upgrade(kernel, c))
    after = {row.module: row for row in await run(kernel, Branches.of(kernel).status)}

    assert before["notes"].current is None
    assert not before["notes"].up_to_date
    assert after["notes"].up_to_date
    assert after["notes"].head == Branches.of(kernel).revisions("notes")[0]
    assert await run(kernel, Branches.of(kernel).pending) == []
    await kernel.database.dispose()


async def test_readiness_waits_for_migrations(empty_url, mosaic_client):
    from core.app import build_app

    kernel = kernel_for(empty_url, ["notes"])
    client = await mosaic_client(build_app(kernel))

    response = await client.get("/health/ready")
    assert response.status_code == 503
    assert "notes" in response.json()["detail"]

    await run(kernel, lambda c: operations.upgrade(kernel, c))
    assert (await client.get("/health/ready")).status_code == 200


async def test_revision_autogenerates_into_the_module_branch(tmp_path, monkeypatch, empty_url):
    from tests.fixture_modules.factory import make_plugin

    versions = tmp_path / "versions"
    plugin = _plugin_with_branch(make_plugin, versions)
    config = parse_plugins_document({"modules": {"enabled": ["gadgets"]}}, path=None, environ={})
    kernel = Kernel.load(
        Settings(database_url=empty_url), config=config, plugins={"gadgets": plugin}
    )

    first = await run(
        kernel,
        lambda c: operations.revision(
            kernel, "gadgets", message="create gadgets", autogenerate=True, connection=c
        ),
    )

    source = Path(first).read_text()
    assert "branch_labels: str | Sequence[str] | None = ('gadgets',)" in source.replace('"', "'")
    assert "op.create_table(" in source
    assert "gadgets_gadgets" in source
    assert "notes_notes" not in source
    await kernel.database.dispose()


def _gadgets(versions: Path, *columns: str) -> object:
    """Module ``gadgets`` whose one table has ``columns`` besides its id."""
    from tests.fixture_modules.factory import make_plugin

    metadata = MetaData()
    Table(
        "gadgets_gadgets",
        metadata,
        Column("id", Integer, primary_key=True),
        *(Column(column, Integer, nullable=True) for column in columns),
    )
    return make_plugin(
        "gadgets",
        models=metadata,
        migrations=versions,
    )


def _gadgets_kernel(url: str, plugin: object) -> Kernel:
    """``gadgets`` enabled; ``notes`` installed but disabled, its branch never applied."""
    config = parse_plugins_document({"modules": {"enabled": ["gadgets"]}}, path=None, environ={})
    return Kernel.load(
        Settings(database_url=url), config=config, plugins={"gadgets": plugin, "notes": notes}
    )


async def _autogenerate(kernel: Kernel, message: str) -> Path:
    written: Path = await run(
        kernel,
        lambda c: operations.revision(
            kernel, "gadgets", message=message, autogenerate=True, connection=c
        ),
    )
    return written


async def test_autogenerate_needs_only_the_module_branch_and_numbers_on(tmp_path, empty_url):
    versions = tmp_path / "versions"
    first_kernel = _gadgets_kernel(empty_url, _gadgets(versions))
    first = await _autogenerate(first_kernel, "create gadgets")
    await run(first_kernel, lambda c: operations.upgrade(first_kernel, c))
    await first_kernel.database.dispose()
    kernel = _gadgets_kernel(empty_url, _gadgets(versions, "weight"))

    second = await _autogenerate(kernel, "add weight")
    await run(kernel, lambda c: operations.upgrade(kernel, c))

    assert first.name == "gadgets_0001_create_gadgets.py"
    assert second.name == "gadgets_0002_add_weight.py"
    source = second.read_text().replace('"', "'")
    assert "revision: str = 'gadgets_0002'" in source
    assert "down_revision: str | Sequence[str] | None = 'gadgets_0001'" in source
    assert "op.add_column(" in source and "'weight'" in source
    status = {row.module: row for row in await run(kernel, Branches.of(kernel).status)}
    assert status["gadgets"].current == "gadgets_0002"
    assert status["notes"].current is None  # the disabled module's branch was left alone
    assert await run(kernel, lambda c: schema_differences(kernel, c, "gadgets")) == []
    await kernel.database.dispose()


async def test_autogenerate_refuses_while_the_module_branch_is_behind(tmp_path, empty_url):
    versions = tmp_path / "versions"
    kernel = _gadgets_kernel(empty_url, _gadgets(versions))
    await _autogenerate(kernel, "create gadgets")  # written, never applied

    with pytest.raises(ConfigError, match=r"holds no revision of module 'gadgets'.*db upgrade"):
        await _autogenerate(kernel, "add weight")
    assert sorted(path.name for path in versions.glob("*.py")) == ["gadgets_0001_create_gadgets.py"]
    await kernel.database.dispose()


def test_plain_revision_needs_no_database_and_numbers_on(tmp_path):
    versions = tmp_path / "versions"
    (versions).mkdir()
    (versions / "gadgets_0007_old.py").write_text(
        "revision = 'gadgets_0007'\ndown_revision = None\nbranch_labels = ('gadgets',)\n"
        "depends_on = None\n"
    )
    kernel = _gadgets_kernel("postgresql+asyncpg://nobody@127.0.0.1:1/none", _gadgets(versions))

    written = operations.revision(
        kernel, "gadgets", message="Backfill: names!", autogenerate=False, connection=None
    )

    assert written.name == "gadgets_0008_backfill_names.py"
    assert "down_revision: str | Sequence[str] | None = 'gadgets_0007'" in (
        written.read_text().replace('"', "'")
    )


def _plugin_with_branch(make_plugin, versions):
    return make_plugin("gadgets", tables=["gadgets_gadgets"], migrations=versions)


def test_the_branch_is_labelled_with_the_module_name_after_its_dependencies():
    from tests.fixture_modules.factory import make_plugin

    plugins = {
        "gizmos": make_plugin("gizmos", migrations=Path("g")),
        "parts": make_plugin("parts", depends_on=["gizmos", "plain"], migrations=Path("p")),
        "plain": make_plugin("plain"),
    }
    document = {"modules": {"enabled": ["gizmos", "parts", "plain"]}}
    config = parse_plugins_document(document, path=None, environ={})

    branch = Kernel.load(Settings(), config=config, plugins=plugins).available["parts"].migrations

    assert branch == MigrationBranch("parts", Path("p"), ("gizmos",))


def test_tables_without_migrations_are_refused():
    from tests.fixture_modules.factory import make_plugin

    config = parse_plugins_document({"modules": {"enabled": ["bare"]}}, path=None, environ={})

    with pytest.raises(ConfigError, match="owns tables but registers no migrations"):
        Kernel.load(
            Settings(), config=config, plugins={"bare": make_plugin("bare", tables=["bare_x"])}
        )
