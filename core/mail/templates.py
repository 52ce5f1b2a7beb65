"""Mail templates: each module's folder, overridable file by file by the deployment's.

A template ``<module>/<name>`` is three files in the module's folder: ``<name>.subject.txt``
and ``<name>.txt`` (required) and ``<name>.html`` (optional: without it the mail is plain
text). The deployment's folder (``MOSAIC_MAIL_TEMPLATES``) holds files at the same paths under a
folder per module, ``<folder>/<module>/<name>.txt``, and any file found there wins, so a
deployment rewrites one part of one mail and keeps the rest.

They are Jinja2 templates: HTML is autoescaped, text and subjects are not (they are not HTML),
and a variable missing from the context is an error, never an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    select_autoescape,
)

from core.config.errors import ConfigError

# `<module>/<name>`, the name possibly in sub-folders: `users/verify_email`, `orders/receipts/paid`.
TEMPLATE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}(/[a-z0-9_][a-z0-9_-]{0,79}){1,4}$")
SUBJECT, TEXT, HTML = ".subject.txt", ".txt", ".html"


class MailTemplateNotFound(LookupError):
    """A mail names a template that no enabled module (nor the deployment) has."""


@dataclass(frozen=True, slots=True)
class RenderedMail:
    """A template's three parts, rendered."""

    subject: str
    text: str
    html: str | None


class MailTemplates:
    """The templates of the enabled modules (``folders``, by module) under the deployment's
    ``override`` folder."""

    def __init__(self, folders: Mapping[str, Path], *, override: Path | None = None) -> None:
        self.folders = dict(folders)
        self.override = override
        modules = PrefixLoader(
            {module: FileSystemLoader(folder) for module, folder in self.folders.items()},
            delimiter="/",
        )
        loaders: list[BaseLoader] = [modules]
        if override is not None:
            loaders.insert(0, FileSystemLoader(override))
        self.environment = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )

    def render(self, template: str, context: Mapping[str, object]) -> RenderedMail:
        """Returns ``template`` rendered with ``context``; raises :class:`MailTemplateNotFound`
        for an unknown template, and Jinja2's errors for a bad one or a missing variable."""
        if not TEMPLATE_NAME.match(template):
            raise MailTemplateNotFound(f"{template!r} is not a mail template name like 'users/x'")
        if template.partition("/")[0] not in self.folders:
            raise MailTemplateNotFound(
                f"mail template {template}: no enabled module declares mail templates for it"
            )
        subject = self._part(template, SUBJECT, required=True)
        text = self._part(template, TEXT, required=True)
        html = self._part(template, HTML, required=False)
        assert subject is not None and text is not None
        return RenderedMail(
            # One line: a header cannot hold a line break, and a template's last one is natural.
            subject=" ".join(subject.render(context).split()),
            text=text.render(context),
            html=html.render(context) if html is not None else None,
        )

    def check(self) -> None:
        """Raises :class:`ConfigError` for a folder that is missing, or a template whose text
        part is (so the mistake shows at start, not at the first mail)."""
        for module, folder in self.folders.items():
            if not folder.is_dir():
                raise ConfigError(f"module '{module}': mail templates folder {folder} is missing")
            for name in self.names(module):
                text = folder / f"{name.partition('/')[2]}{TEXT}"
                if not text.is_file():
                    raise ConfigError(f"module '{module}': mail template {name} has no {text.name}")

    def names(self, module: str) -> tuple[str, ...]:
        """The templates ``module`` declares (``<module>/<name>``), sorted."""
        folder = self.folders[module]
        return tuple(
            sorted(
                f"{module}/{path.relative_to(folder).as_posix().removesuffix(SUBJECT)}"
                for path in folder.rglob(f"*{SUBJECT}")
            )
        )

    def _part(self, template: str, suffix: str, *, required: bool) -> Template | None:
        name = f"{template}{suffix}"
        try:
            return self.environment.get_template(name)
        except TemplateNotFound as exc:
            if exc.name == name and not required:
                return None
            raise MailTemplateNotFound(f"mail template {template} needs {exc.name}") from None
