"""Settings precedence: environment over plugins.toml over the model's defaults."""

from __future__ import annotations

import re
import secrets
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


def _example_secret_key() -> str:
    example = Path(__file__).parents[2] / "docker" / ".env.example"
    for line in example.read_text().splitlines():
        if line.startswith("MOSAIC_SECRET_KEY="):
            return line.removeprefix("MOSAIC_SECRET_KEY=")
    raise AssertionError("docker/.env.example sets no MOSAIC_SECRET_KEY")


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (_example_secret_key(), "MOSAIC_SECRET_KEY looks like a placeholder"),
        ("CHANGE_ME_" + "Zq8#mK2$vL9!pR4@wT7x", "MOSAIC_SECRET_KEY looks like a placeholder"),
        ("my-example-key-" + "Zq8mK2vL9pR4wT7xYb3n", "MOSAIC_SECRET_KEY looks like a placeholder"),
        ("super-secret-" + "Zq8mK2vL9pR4wT7xYb3nQ", "MOSAIC_SECRET_KEY looks like a placeholder"),
        ("Ab3$" * 10, "MOSAIC_SECRET_KEY is too weak (about 26 bits"),
        ("0123456789" * 4, "MOSAIC_SECRET_KEY is too weak"),
        ("4" + "8" * 39, "MOSAIC_SECRET_KEY is too weak"),
        # Forty digits: 132 bits; thirty-eight: 126; forty with a run of five: 122.
        ("7294018365185029374650372819406192837450", None),
        ("72940183651850293746503728194061928374", "MOSAIC_SECRET_KEY is too weak (about 126"),
        ("7294018365185029374650372819406198888850", "MOSAIC_SECRET_KEY is too weak (about 122"),
    ],
)
def test_production_refuses_placeholder_and_low_entropy_keys(key, message):
    def production() -> Settings:
        return load_settings(env="production", secret_key=key, trusted_hosts="*")

    if message is None:
        assert production().env == "production"
        return
    with pytest.raises(ConfigError, match=re.escape(message)) as refused:
        production()
    assert str(refused.value).count(". ") == 0  # one sentence
    assert key not in str(refused.value)


def test_production_accepts_generated_keys():
    keys = [secrets.token_urlsafe(32), secrets.token_urlsafe(48)] + [
        secrets.token_hex(16) for _ in range(200)
    ]
    for key in keys:
        assert load_settings(env="production", secret_key=key, trusted_hosts="*").secret_key


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
