"""Settings precedence: environment over plugins.toml over the model's defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config.errors import ConfigError
from core.config.plugins_file import parse_plugins_document, read_plugins_file
from core.config.settings import Settings, load_settings
from core.kernel.kernel import Kernel
from tests.fixture_modules.notes.config import NotesSettings


def _kernel(notes, document, environ):
    config = parse_plugins_document(document, path=Path("plugins.toml"), environ=environ)
    return Kernel.load(Settings(), config=config, plugins={"notes": notes})


@pytest.mark.parametrize(
    ("section", "environ", "expected"),
    [
        ({}, {}, (100, "hello")),
        ({"max_length": 7}, {}, (7, "hello")),
        ({"max_length": 7}, {"MOSAIC_MODULES__NOTES__MAX_LENGTH": "9"}, (9, "hello")),
        ({}, {"MOSAIC_MODULES__NOTES__GREETING": "hi"}, (100, "hi")),
    ],
)
def test_module_settings_precedence(notes, section, environ, expected):
    document = {"modules": {"enabled": ["notes"], "notes": section}}

    settings = _kernel(notes, document, environ).settings_of(NotesSettings)

    assert (settings.max_length, settings.greeting) == expected


def test_enabled_list_from_environment(notes):
    kernel = _kernel(notes, {"modules": {"enabled": ["notes"]}}, {"MOSAIC_MODULES__ENABLED": "[]"})

    assert kernel.enabled == ()


async def test_routes_see_the_validated_settings(mosaic_app, mosaic_client, notes):
    app = await mosaic_app({"notes": notes}, settings={"notes": {"max_length": 3}})
    client = await mosaic_client(app)

    assert (await client.get("/api/v1/notes/settings")).json() == {
        "max_length": 3,
        "greeting": "hello",
    }
    created = await client.post("/api/v1/notes", json={"text": "abcdef"})
    assert created.json()["text"] == "abc"


def test_kernel_settings_from_environment(monkeypatch):
    monkeypatch.setenv("MOSAIC_DATABASE_URL", "postgresql+asyncpg://db/mosaic")
    monkeypatch.setenv("MOSAIC_DB_POOL_SIZE", "3")

    settings = load_settings()

    assert settings.database_url == "postgresql+asyncpg://db/mosaic"
    assert settings.db_pool_size == 3
    assert not settings.is_sqlite


def test_defaults_need_no_environment(monkeypatch):
    for name in ("MOSAIC_DATABASE_URL", "MOSAIC_ENV", "MOSAIC_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)

    settings = load_settings()

    assert settings.database_url == "sqlite+aiosqlite:///./var/mosaic.db"
    assert settings.env == "development"


def test_production_accepts_a_strong_key(monkeypatch):
    monkeypatch.setenv("MOSAIC_ENV", "production")
    monkeypatch.setenv("MOSAIC_SECRET_KEY", "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyz")
    monkeypatch.setenv("MOSAIC_TRUSTED_HOSTS", "api.example.com")

    assert load_settings().env == "production"


def test_production_needs_trusted_hosts(monkeypatch):
    monkeypatch.setenv("MOSAIC_ENV", "production")
    monkeypatch.setenv("MOSAIC_SECRET_KEY", "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyz")
    monkeypatch.delenv("MOSAIC_TRUSTED_HOSTS", raising=False)

    with pytest.raises(ConfigError, match="MOSAIC_TRUSTED_HOSTS must be set outside development"):
        load_settings()


def test_the_broker_is_optional(monkeypatch):
    for name in ("MOSAIC_AMQP_URL", "MOSAIC_AMQP_EXCHANGE", "MOSAIC_AMQP_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MOSAIC_AMQP_URL", "")  # set but empty: no broker either

    settings = load_settings()

    assert (settings.amqp_url, settings.amqp_exchange, settings.amqp_timeout) == (
        None,
        "mosaic.events",
        10.0,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MOSAIC_AMQP_URL", "redis://127.0.0.1:6379/0", "MOSAIC_AMQP_URL: is not an AMQP URL"),
        ("MOSAIC_AMQP_EXCHANGE", "amq.topic", "MOSAIC_AMQP_EXCHANGE: 'amq.topic' is not an"),
        ("MOSAIC_AMQP_EXCHANGE", "our events", "MOSAIC_AMQP_EXCHANGE: 'our events' is not an"),
        ("MOSAIC_AMQP_TIMEOUT", "0", "MOSAIC_AMQP_TIMEOUT: Input should be greater than 0"),
    ],
)
def test_bad_broker_settings_name_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)

    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_plugins_file_sections_keep_their_source(tmp_path):
    path = tmp_path / "plugins.toml"
    path.write_text('[modules]\nenabled = ["notes"]\n\n[modules.notes]\nmax_length = 5\n')

    config = read_plugins_file(path, environ={})

    assert config.enabled == ("notes",)
    assert config.sections == {"notes": {"max_length": 5}}
    assert config.sources[("notes", "max_length")].endswith("[modules.notes] max_length")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"modules": {"enabled": "notes"}}, "modules.enabled must be a list"),
        ({"modules": {"enabled": ["notes", "notes"]}}, "listed twice"),
        ({"modules": {"enabled": [], "notes": 3}}, "[modules.notes] must be a table"),
        ({"plugins": {}}, "unknown top-level key 'plugins'"),
    ],
)
def test_malformed_plugins_documents(document, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_plugins_document(document, path=None, environ={})
