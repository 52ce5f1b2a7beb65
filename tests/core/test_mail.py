"""Mail: rendered in the sender's transaction, sent after commit to a real SMTP server.

The ``greeter`` fixture module sends ``greeter/welcome`` (subject, text and HTML) from its own
templates; ``mosaic_smtp`` is an aiosmtpd server on the loopback that keeps what arrives. The
server going down is that server stopped, then started again on the same port.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from core import Delivery, Event, Listener
from core.cli import cli
from core.config.errors import ConfigError
from core.config.plugins_file import parse_plugins_document
from core.config.settings import Settings, load_settings
from core.events.models import Publication
from core.events.publisher import MAILER
from core.kernel.kernel import Kernel
from core.mail.message import MailMessage
from core.mail.smtp import MailError, SmtpAddress, SmtpSender
from core.mail.templates import MailTemplateNotFound
from core.testing.kernel import kernel_of
from core.testing.smtp import SmtpServer
from tests.core.publications import attempt_due, publications_of
from tests.fixture_modules.factory import make_plugin
from tests.fixture_modules.greeter import plugin as greeter

WELCOME = "/api/v1/greeter/welcome"
LINK = "https://app.example.com/verify?token=s3cr3t-t0ken"
STRONG_KEY = "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def app_for(mosaic_app):
    async def build(smtp_url: str | None = None, plugins=None, **env):
        return await mosaic_app(
            plugins or {"greeter": greeter},
            env={"events_retry_delay": 0.001, "smtp_url": smtp_url, **env},
        )

    return build


async def send_notice(app) -> None:
    """Commits a ``greeter/notice`` mail to Ada outside any request, as a job or command does."""
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.send_mail(to="ada@example.com", template="greeter/notice", context={"name": "A"})


async def welcome(client, **body):
    return await client.post(WELCOME, json={"to": "ada@example.com", "name": "Ada", **body})


async def test_a_committed_request_sends_one_mail_with_text_and_html(
    app_for, mosaic_client, mosaic_smtp, deliver_events
):
    app = await app_for(mosaic_smtp.url, mail_from="Greeter <hello@greeter.example>")
    client = await mosaic_client(app)

    response = await welcome(client, link=LINK)
    assert response.status_code == 202
    assert mosaic_smtp.messages == []  # nothing leaves before delivery, after commit

    assert await deliver_events(app) == 1
    [mail] = mosaic_smtp.messages
    assert mail.sender == "hello@greeter.example"
    assert mail.recipients == ("ada@example.com",)
    assert mail.message["From"] == "Greeter <hello@greeter.example>"
    assert mail.message["To"] == "ada@example.com"
    assert mail.message["Subject"] == "Welcome, Ada!"
    assert mail.message["Message-ID"] == response.json()["message_id"]
    assert mail.message["Message-ID"].endswith("@greeter.example>")
    assert mail.message.get_content_type() == "multipart/alternative"
    assert mail.text == f"Hello Ada,\n\nconfirm your address: {LINK}\n"
    assert f'<a href="{LINK}">Confirm your address</a>' in (mail.html or "")

    [publication] = await publications_of(app, MAILER)
    assert (publication.status, publication.event_type, publication.module) == (
        "completed",
        "core.mail",
        "greeter",
    )
    # The registry keeps which mail was sent, not what it said: the link is gone.
    assert "s3cr3t-t0ken" not in publication.payload
    assert json.loads(publication.payload)["message_id"] == response.json()["message_id"]
    assert await deliver_events(app) == 0
    assert len(mosaic_smtp.messages) == 1


async def test_html_is_escaped_and_text_is_not(app_for, mosaic_client, mosaic_smtp, deliver_events):
    app = await app_for(mosaic_smtp.url)
    client = await mosaic_client(app)

    await welcome(client, name="<b>Tom & Jerry</b>", link='https://x.example/?a=1&b="2"')
    await deliver_events(app)

    [mail] = mosaic_smtp.messages
    assert mail.message["Subject"] == "Welcome, <b>Tom & Jerry</b>!"
    assert mail.text.startswith("Hello <b>Tom & Jerry</b>,")
    html = mail.html or ""
    assert "<p>Hello &lt;b&gt;Tom &amp; Jerry&lt;/b&gt;,</p>" in html
    assert 'href="https://x.example/?a=1&amp;b=&#34;2&#34;"' in html


async def test_a_template_without_html_sends_plain_text(app_for, mosaic_smtp, deliver_events):
    app = await app_for(mosaic_smtp.url)

    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.send_mail(
            to=["ada@example.com", "Bob <bob@example.com>"],
            template="greeter/notice",
            context={"name": "Ada"},
        )
    await deliver_events(app)

    [mail] = mosaic_smtp.messages
    assert mail.recipients == ("ada@example.com", "bob@example.com")
    assert mail.message["To"] == "ada@example.com, Bob <bob@example.com>"
    assert mail.message.get_content_type() == "text/plain"
    assert (mail.message["Subject"], mail.text) == (
        "A notice for Ada",
        "Dear Ada, this is plain text.\n",
    )
    assert mail.html is None


async def test_a_rolled_back_request_sends_nothing(
    app_for, mosaic_client, mosaic_smtp, deliver_events
):
    app = await app_for(mosaic_smtp.url)
    client = await mosaic_client(app)

    failed = await welcome(client, link=LINK, then_fail=True)
    with pytest.raises(RuntimeError):
        async with kernel_of(app).database.unit_of_work() as uow:
            await uow.send_mail(
                to="ada@example.com", template="greeter/notice", context={"name": 1}
            )
            raise RuntimeError("rolled back")

    assert failed.status_code == 500
    assert await publications_of(app, MAILER) == []
    assert await deliver_events(app) == 0
    assert mosaic_smtp.messages == []


async def test_a_missing_variable_or_template_fails_before_anything_is_queued(
    app_for, mosaic_client, mosaic_smtp
):
    app = await app_for(mosaic_smtp.url)
    client = await mosaic_client(app)

    missing_link = await welcome(client)  # the template needs {{ link }}
    async with kernel_of(app).database.unit_of_work() as uow:
        with pytest.raises(MailTemplateNotFound, match="greeter/goodbye"):
            await uow.send_mail(to="ada@example.com", template="greeter/goodbye")
        with pytest.raises(MailTemplateNotFound, match="no enabled module"):
            await uow.send_mail(to="ada@example.com", template="users/verify_email")
        with pytest.raises(ValueError, match="not a mail address"):
            await uow.send_mail(to="nobody", template="greeter/notice", context={"name": "x"})

    assert missing_link.status_code == 500
    assert await publications_of(app, MAILER) == []


async def test_mail_never_reaches_a_listener_nor_the_broker(
    app_for, mosaic_smtp, deliver_events, published_events
):
    class Rang(Event):
        """The bell rang."""

        event_name = "bells.rang"
        event_external = True

    heard: list[str] = []

    async def hear_everything(delivery: Delivery[Event]) -> None:
        heard.append(delivery.envelope.type)

    plugins = {
        "greeter": greeter,
        "bells": make_plugin("bells", events=[Rang]),
        "spy": make_plugin("spy", listeners=[Listener(Event, hear_everything)]),
    }
    # Nothing answers on port 1: an external event waits, and shows the broker is on.
    app = await app_for(mosaic_smtp.url, plugins, amqp_url="amqp://guest:guest@127.0.0.1:1/")

    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.publish(Rang())
        await uow.send_mail(to="ada@example.com", template="greeter/notice", context={"name": "A"})
    await attempt_due(app)

    assert published_events.types == ["bells.rang.v1"]
    assert heard == ["bells.rang.v1"]
    async with kernel_of(app).database.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(Publication))).all()
    assert sorted((p.event_type, p.listener) for p in rows) == [
        ("bells.rang.v1", "core.broker"),
        ("bells.rang.v1", "spy.hear_everything"),
        ("core.mail", "core.mail"),
    ]
    assert len(mosaic_smtp.messages) == 1


async def test_an_unreachable_server_keeps_the_mail_until_it_answers(
    app_for, mosaic_client, mosaic_smtp, tmp_path, mosaic_database_url
):
    await mosaic_smtp.stop()
    app = await app_for(mosaic_smtp.url)
    client = await mosaic_client(app)
    await welcome(client, link=LINK)

    await attempt_due(app)
    await attempt_due(app)

    [publication] = await publications_of(app, MAILER)
    assert (publication.status, publication.attempts) == ("incomplete", 2)
    assert f"sending to the SMTP server at {mosaic_smtp.url} failed" in (
        publication.last_error or ""
    )
    # Kept to be sent again, but sealed: the link is not in the registry in clear.
    assert "s3cr3t-t0ken" not in publication.payload
    assert json.loads(publication.payload)["format"] == 2

    # An operator sees it waiting, without its content.
    plugins_file = tmp_path / "operator-plugins.toml"
    plugins_file.write_text("[modules]\nenabled = []\n")
    env = {"MOSAIC_PLUGINS_FILE": str(plugins_file), "MOSAIC_DATABASE_URL": mosaic_database_url}
    listed = await asyncio.to_thread(
        CliRunner().invoke, cli, ["events", "list", "--type", "core.mail"], env=env
    )
    assert listed.exit_code == 0, listed.output
    assert (
        f"{publication.id} core.mail -> core.mail: incomplete after 2 attempt(s)" in listed.stdout
    )
    assert "s3cr3t-t0ken" not in listed.stdout

    await mosaic_smtp.start()  # the same port: the server is back
    await attempt_due(app)

    [publication] = await publications_of(app, MAILER)
    assert (publication.status, publication.attempts) == ("completed", 3)
    [mail] = mosaic_smtp.messages
    assert LINK in mail.text


async def test_a_mail_failing_every_attempt_is_abandoned(app_for, mosaic_smtp):
    await mosaic_smtp.stop()
    app = await app_for(mosaic_smtp.url, events_max_attempts=2)
    await send_notice(app)

    for _ in range(3):
        await attempt_due(app)

    [publication] = await publications_of(app, MAILER)
    assert (publication.status, publication.attempts) == ("abandoned", 2)


async def test_the_running_service_sends_mail_in_the_background(
    app_for, mosaic_client, mosaic_smtp
):
    app = await app_for(mosaic_smtp.url, events_dispatch=True, events_poll_interval=60)
    client = await mosaic_client(app)

    await welcome(client, link=LINK)

    # No event was committed, only a mail: the dispatcher wakes all the same (no poll in 60s).
    [mail] = await mosaic_smtp.received(1)
    assert mail.message["Subject"] == "Welcome, Ada!"


async def test_a_deployment_overrides_one_part_of_a_template(
    app_for, mosaic_client, mosaic_smtp, deliver_events, tmp_path
):
    folder = tmp_path / "mail-templates"
    (folder / "greeter").mkdir(parents=True)
    (folder / "greeter" / "welcome.subject.txt").write_text("Bienvenue, {{ name }} !\n")
    app = await app_for(mosaic_smtp.url, mail_templates=str(folder))
    client = await mosaic_client(app)

    await welcome(client, link=LINK)
    await deliver_events(app)

    [mail] = mosaic_smtp.messages
    assert mail.message["Subject"] == "Bienvenue, Ada !"
    assert mail.text.startswith("Hello Ada,")  # the module's own text part still


async def test_development_without_smtp_writes_mails_to_the_log(
    app_for, mosaic_client, deliver_events, caplog
):
    app = await app_for(None)
    client = await mosaic_client(app)
    await welcome(client, link=LINK)

    with caplog.at_level(logging.INFO, logger="mosaic.mail"):
        assert await deliver_events(app) == 1

    [record] = [r for r in caplog.records if r.name == "mosaic.mail"]
    logged = record.getMessage()
    assert "To: ada@example.com" in logged
    assert "Subject: Welcome, Ada!" in logged
    assert f"confirm your address: {LINK}" in logged
    assert "From: Mosaic <mosaic@localhost>" in logged
    [publication] = await publications_of(app, MAILER)
    assert publication.status == "completed"


def _load(tmp_path: Path, plugins, **settings) -> Kernel:
    document = {"modules": {"enabled": list(plugins)}}
    config = parse_plugins_document(document, path=tmp_path / "plugins.toml", environ={})
    return Kernel.load(Settings(**settings), config=config, plugins=plugins)


PRODUCTION = {"env": "production", "secret_key": STRONG_KEY, "trusted_hosts": ("*",)}


def test_production_refuses_to_start_when_a_module_sends_mail_without_smtp(tmp_path):
    mute = {"mute": make_plugin("mute")}

    with pytest.raises(ConfigError) as refused:
        _load(tmp_path, {"greeter": greeter}, **PRODUCTION)
    with pytest.raises(ConfigError) as no_sender:
        _load(tmp_path, {"greeter": greeter}, **PRODUCTION, smtp_url="smtp://mail.example:25")

    assert str(refused.value) == (
        "MOSAIC_SMTP_URL and MOSAIC_MAIL_FROM must be set in production: "
        "module 'greeter' sends mail"
    )
    assert str(no_sender.value) == (
        "MOSAIC_MAIL_FROM must be set in production: module 'greeter' sends mail"
    )
    ready = _load(
        tmp_path,
        {"greeter": greeter},
        **PRODUCTION,
        smtp_url="smtp://mail.example:25",
        mail_from="noreply@example.com",
    )
    assert ready.mail_sender is not None
    assert _load(tmp_path, mute, **PRODUCTION).mailer is None  # no module sends: no need


def test_bad_template_folders_are_refused_at_start(tmp_path):
    half = tmp_path / "half"
    half.mkdir()
    (half / "hello.subject.txt").write_text("Hi")
    missing = make_plugin("missing", mail_templates=tmp_path / "none")
    no_text = make_plugin("no_text", mail_templates=half)
    not_a_path = make_plugin("not_a_path", mail_templates=str(half))

    with pytest.raises(ConfigError, match=r"module 'missing': mail templates folder .* missing"):
        _load(tmp_path, {"missing": missing})
    with pytest.raises(ConfigError, match=r"mail template no_text/hello has no hello\.txt"):
        _load(tmp_path, {"no_text": no_text})
    with pytest.raises(ConfigError, match=r"module 'not_a_path' returns .* not a Path"):
        _load(tmp_path, {"not_a_path": not_a_path})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example", SmtpAddress("mail.example", 25)),
        (
            "smtp://user:p%40ss@mail.example:587?starttls=true",
            SmtpAddress("mail.example", 587, "user", "p@ss", starttls=True),
        ),
        ("smtp://mail.example?starttls=TRUE", SmtpAddress("mail.example", 587, starttls=True)),
        ("smtps://u:p@mail.example", SmtpAddress("mail.example", 465, "u", "p", implicit_tls=True)),
        ("smtp://[::1]:2525?starttls=false", SmtpAddress("::1", 2525)),
    ],
)
def test_smtp_urls_name_the_server_and_its_tls(url, expected):
    assert SmtpAddress.parse(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example", "is not an SMTP URL"),
        ("smtp://", "is not an SMTP URL"),
        ("smtp://user:secret@mail.example:25", "sends its password in clear"),
        ("smtps://mail.example?starttls=true", "smtps:// is TLS already"),
        ("smtp://mail.example?starttls=maybe", "starttls must be 'true' or 'false'"),
        ("smtp://mail.example?tls=true", "no option but '?starttls=true'"),
        ("smtp://mail.example:99999", "invalid port"),
    ],
)
def test_bad_smtp_urls_are_refused_naming_the_variable(url, message):
    with pytest.raises(ConfigError, match=r"^MOSAIC_SMTP_URL: ") as refused:
        load_settings(smtp_url=url)
    assert message in str(refused.value)
    assert "secret" not in str(refused.value)


def test_mail_settings_refuse_a_bad_sender_or_templates_folder(tmp_path):
    with pytest.raises(ConfigError, match="MOSAIC_MAIL_FROM: is not a mail address"):
        load_settings(mail_from="Shop")
    with pytest.raises(ConfigError, match=r"MOSAIC_MAIL_TEMPLATES: .* is not a folder"):
        load_settings(mail_templates=str(tmp_path / "nowhere"))


def _self_signed(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A certificate for 127.0.0.1: the server's context, and a client's that trusts it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mosaic test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    return server, ssl.create_default_context(cafile=str(cert_file))


@pytest.fixture
def tls(tmp_path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    return _self_signed(tmp_path)


@pytest.fixture
async def tls_server(tls):
    server = SmtpServer(tls_context=tls[0], logins={"mosaic": "p@ss word"})
    await server.start()
    yield server
    await server.stop()


async def test_starttls_and_auth_reach_a_server_that_requires_them(
    app_for, tls, tls_server, deliver_events
):
    url = f"smtp://mosaic:p%40ss%20word@127.0.0.1:{tls_server.port}?starttls=true"
    app = await app_for(url)
    await send_notice(app)

    # The kernel's own sender checks certificates against the system's authorities.
    await attempt_due(app)
    [publication] = await publications_of(app, MAILER)
    assert publication.status == "incomplete"
    assert "CERTIFICATE_VERIFY_FAILED" in (publication.last_error or "")
    assert tls_server.messages == []

    # A deployment whose authorities know the certificate: encrypted, then authenticated.
    kernel_of(app).dispatcher.mail = SmtpSender(url, timeout=5, tls_context=tls[1]).send
    await attempt_due(app)

    [mail] = tls_server.messages
    assert (mail.login, mail.encrypted) == ("mosaic", True)
    assert mail.message["Subject"] == "A notice for A"


async def test_a_wrong_password_is_an_error_without_the_password(app_for, tls, tls_server):
    url = f"smtp://mosaic:wrong-one@127.0.0.1:{tls_server.port}?starttls=true"
    app = await app_for(url)
    kernel_of(app).dispatcher.mail = SmtpSender(url, timeout=5, tls_context=tls[1]).send
    await send_notice(app)

    await attempt_due(app)

    [publication] = await publications_of(app, MAILER)
    assert publication.status == "incomplete"
    assert "refused the message: 535" in (publication.last_error or "")
    assert "wrong-one" not in (publication.last_error or "")
    assert tls_server.messages == []


async def test_implicit_tls_with_smtps(tls):
    server = SmtpServer(tls_context=tls[0], implicit_tls=True, logins={"mosaic": "pw"})
    await server.start()
    try:
        url = f"smtps://mosaic:pw@127.0.0.1:{server.port}"
        await SmtpSender(url, timeout=5, tls_context=tls[1]).send(_message())
    finally:
        await server.stop()

    [mail] = server.messages
    assert (mail.login, mail.encrypted, mail.message["Subject"]) == ("mosaic", True, "Hi")


async def test_a_silent_server_times_out_then_fails_fast():
    async def say_nothing(reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
        await reader.read()

    silent = await asyncio.start_server(say_nothing, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    sender = SmtpSender(f"smtp://127.0.0.1:{port}", timeout=0.2)
    try:
        with pytest.raises(MailError, match=r"did not answer within 0\.2s"):
            await sender.send(_message())
        started = asyncio.get_running_loop().time()
        with pytest.raises(MailError, match="did not answer moments ago"):
            await sender.send(_message())
        assert asyncio.get_running_loop().time() - started < 0.1
    finally:
        silent.close()


def _message() -> MailMessage:
    return MailMessage(
        message_id="<1@example.com>",
        sender="Mosaic <mosaic@example.com>",
        to=("ada@example.com",),
        subject="Hi",
        text="Hello\n",
        html=None,
        template="greeter/notice",
        created_at=datetime.now(UTC),
    )
