"""The kernel: the enabled modules, resolved and validated, and what they registered."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TypeVar

import pluggy
from pydantic import BaseModel

from core.auth.authenticator import Authenticator
from core.config.errors import ConfigError
from core.config.plugins_file import PluginsConfig, read_plugins_file
from core.config.settings import Settings, load_settings
from core.db.database import Database
from core.errors.registry import ErrorRegistry
from core.events.broker import AmqpBroker
from core.events.dispatcher import Dispatcher, MailSend
from core.events.publisher import EventPublisher
from core.events.registry import EventRegistry
from core.jobs.job import JOB_NAME, Job
from core.jobs.runner import JobRunner
from core.kernel import builtin
from core.kernel.discovery import discover_plugins
from core.kernel.loader import keep_enabled, load_modules
from core.kernel.module import LoadedModule
from core.kernel.resolution import (
    check_claims,
    check_sections,
    resolve_enabled,
    validate_module_settings,
)
from core.kernel.roles import resolve_roles
from core.mail.log import log_mail
from core.mail.mailer import Mailer
from core.mail.seal import MailSeal
from core.mail.smtp import SmtpSender
from core.mail.templates import MailTemplates
from core.pagination.cursor import CursorKeys
from core.ratelimit import RateLimiter

SettingsT = TypeVar("SettingsT", bound=BaseModel)
# The From address of development's logged mails; production must name its own.
DEVELOPMENT_MAIL_FROM = "Mosaic <mosaic@localhost>"


class Kernel:
    """Everything the application and the CLI need to know about the enabled modules.

    Build it with :meth:`load`; every inconsistency is a :class:`ConfigError` raised there, before
    anything listens on a port.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        config: PluginsConfig,
        available: Mapping[str, LoadedModule],
        modules: tuple[LoadedModule, ...],
        module_settings: Mapping[str, BaseModel],
        errors: ErrorRegistry,
        plugins: pluggy.PluginManager,
    ) -> None:
        self.settings = settings
        self.config = config
        self.available = available
        self.modules = modules
        self.module_settings = module_settings
        self.errors = errors
        self.plugins = plugins
        """The plugin manager, holding the enabled modules: every hook is called through it."""
        self.roles: Mapping[str, frozenset[str]] = {}

    @classmethod
    def load(
        cls,
        settings: Settings | None = None,
        *,
        config: PluginsConfig | None = None,
        plugins: Mapping[str, object] | None = None,
    ) -> Kernel:
        """Returns the kernel for ``settings`` (default: the environment) and ``config``
        (default: ``settings.plugins_file``), over ``plugins`` (default: every installed module).
        """
        settings = settings or load_settings()
        config = config or read_plugins_file(settings.plugins_file)
        where = str(config.path) if config.path else "plugins.toml"
        plugins = discover_plugins() if plugins is None else plugins
        if builtin.NAME in plugins or builtin.NAME in config.enabled:
            raise ConfigError(f"'{builtin.NAME}' is the kernel's name and cannot name a module")
        manager, available = load_modules({builtin.NAME: builtin, **plugins})
        installed = {name: module for name, module in available.items() if name != builtin.NAME}
        check_sections(installed, config)
        modules = (
            available[builtin.NAME],
            *resolve_enabled(installed, config.enabled, where=where),
        )
        check_claims(modules)
        keep_enabled(manager, [module.name for module in modules])
        module_settings = validate_module_settings(modules[1:], config, where=where)
        errors = ErrorRegistry()
        for module in modules:
            errors.register(module.name, module.errors)
        kernel = cls(
            settings=settings,
            config=config,
            available=available,
            modules=modules,
            module_settings=module_settings,
            errors=errors,
            plugins=manager,
        )
        kernel.roles = resolve_roles(config, kernel.permissions, installed, where=where)
        kernel.events  # noqa: B018 - checked now, so a bad event declaration fails at start
        kernel.jobs  # noqa: B018 - likewise for jobs
        _refuse_unsendable_mail(kernel)
        return kernel

    @property
    def enabled(self) -> tuple[str, ...]:
        """Names of the enabled modules (without the kernel), in dependency order."""
        return tuple(module.name for module in self.modules if module.name != builtin.NAME)

    @property
    def permissions(self) -> dict[str, str]:
        """Every permission the enabled modules declare, with its description."""
        return {key: text for module in self.modules for key, text in module.permissions.items()}

    def permissions_for(self, roles: Iterable[str]) -> frozenset[str]:
        """Every permission granted by ``roles`` (unknown roles grant nothing)."""
        return frozenset(p for role in roles for p in self.roles.get(role, ()))

    @cached_property
    def authenticator(self) -> Authenticator | None:
        """The token verifier of the enabled module that registers one, if any."""
        answer: Authenticator | None = self.plugins.hook.mosaic_register_authenticator(kernel=self)
        return answer

    @cached_property
    def events(self) -> EventRegistry:
        """The event types and listeners of the enabled modules."""
        return EventRegistry(
            {module.name: module.events for module in self.modules},
            {module.name: module.listeners for module in self.modules},
        )

    @cached_property
    def publisher(self) -> EventPublisher:
        """Publishes events into Units of Work (``uow.publish``)."""
        return EventPublisher(self.events, externalize=bool(self.settings.amqp_url))

    @cached_property
    def broker(self) -> AmqpBroker | None:
        """The broker external events go to, when ``MOSAIC_AMQP_URL`` is set (it connects on
        first use; the application's lifespan closes it)."""
        settings = self.settings
        if not settings.amqp_url:
            return None
        return AmqpBroker(
            settings.amqp_url, exchange=settings.amqp_exchange, timeout=settings.amqp_timeout
        )

    @cached_property
    def jobs(self) -> JobRunner:
        """The periodic jobs of the enabled modules (started by the application's lifespan)."""
        jobs: dict[str, Job] = {}
        settings: dict[str, object] = {}
        for module in self.modules:
            for job in module.jobs:
                if not isinstance(job, Job) or not JOB_NAME.match(job.name):
                    raise ConfigError(f"module '{module.name}' registers an invalid job {job!r}")
                if not job.name.startswith(f"{module.name}."):
                    raise ConfigError(f"module '{module.name}': job {job.name} must be its own")
                if job.name in jobs:
                    raise ConfigError(f"job {job.name} is registered twice")
                if job.every.total_seconds() <= 0:
                    raise ConfigError(f"job {job.name} needs a positive period")
                jobs[job.name] = job
                own = self.module_settings.get(module.name)
                settings[job.name] = self.settings if module.name == builtin.NAME else own
        # Looked up when a job runs: loading the kernel must not create the database.
        return JobRunner(
            tuple(jobs.values()),
            lambda: self.database.unit_of_work(),  # noqa: PLW0108
            settings,
        )

    @cached_property
    def dispatcher(self) -> Dispatcher:
        """Delivers publications after commit, external events to the broker (started by the
        application's lifespan)."""
        broker = self.broker
        return Dispatcher(
            self.publisher,
            self.database.unit_of_work,
            self.settings,
            broker=broker.send if broker is not None else None,
            mail=self.mail_sender,
        )

    @cached_property
    def mailer(self) -> Mailer | None:
        """Renders and queues the enabled modules' mails (``uow.send_mail``); ``None`` when no
        enabled module declares mail templates."""
        folders = {m.name: m.mail_templates for m in self.modules if m.mail_templates is not None}
        if not folders:
            return None
        templates = MailTemplates(folders, override=self.settings.mail_templates)
        templates.check()
        return Mailer(
            templates, sender=self.settings.mail_from or DEVELOPMENT_MAIL_FROM, seal=self.mail_seal
        )

    @cached_property
    def mail_seal(self) -> MailSeal:
        """Seals queued mails at rest and opens them for delivery."""
        return MailSeal(self.settings.secret_key.get_secret_value())

    @cached_property
    def mail_sender(self) -> MailSend | None:
        """Where the dispatcher sends mails: the SMTP server of ``MOSAIC_SMTP_URL``, else (in
        development) the log; ``None`` when no module sends mail."""
        settings = self.settings
        if self.mailer is None:
            return None
        if settings.smtp_url:
            return SmtpSender(settings.smtp_url, timeout=settings.smtp_timeout).send
        return log_mail

    @cached_property
    def database(self) -> Database:
        """The database, created on first use (the CLI's listing commands never connect)."""
        return Database(self.settings, events=self.publisher, mail=self.mailer)

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        """The application's rate limiter: counts in this process, or in Redis when
        ``MOSAIC_REDIS_URL`` is set, so every worker shares them."""
        return RateLimiter(self.settings.redis_url)

    @cached_property
    def cursor_keys(self) -> CursorKeys:
        """The codecs of the listings' cursors, each keyed from the secret key."""
        return CursorKeys(self.settings.secret_key.get_secret_value())

    def settings_of(self, model: type[SettingsT]) -> SettingsT:
        """Returns the validated settings whose model is ``model``."""
        for value in self.module_settings.values():
            if isinstance(value, model):
                return value
        raise LookupError(f"no enabled module has settings of type {model.__name__}")


def _refuse_unsendable_mail(kernel: Kernel) -> None:
    """In production, mail must reach a server and say who sends it; development logs it."""
    settings = kernel.settings
    if kernel.mailer is None or settings.env != "production":
        return
    missing = [
        name
        for name, value in (
            ("MOSAIC_SMTP_URL", settings.smtp_url),
            ("MOSAIC_MAIL_FROM", settings.mail_from),
        )
        if not value
    ]
    if missing:
        senders = list(kernel.mailer.templates.folders)
        who = (
            f"module '{senders[0]}' sends"
            if len(senders) == 1
            else ("modules " + ", ".join(f"'{name}'" for name in senders) + " send")
        )
        raise ConfigError(f"{' and '.join(missing)} must be set in production: {who} mail")


def load_or_exit(**kwargs: object) -> Kernel:
    """Returns :meth:`Kernel.load`, or prints the configuration error and exits with status 2."""
    try:
        return Kernel.load(**kwargs)  # type: ignore[arg-type]
    except ConfigError as exc:
        print(f"mosaic: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
