"""Browser tests: Debian's Chromium driven by Playwright against ``mosaic serve``.

One server and one browser per test session (per xdist worker); each test gets a fresh browser
context, so cookies never leak between tests. Every request to a host other than the server is
aborted and fails the test, which proves the pages need no CDN. When a test fails, the
screenshots of its steps and of its last state are written as PNG files under
``var/test-artifacts/browser/`` (or ``$MOSAIC_TEST_ARTIFACTS``).

Chromium comes from the distribution (``apt-get install chromium``), never from Playwright's own
download: without it these tests skip outside CI and fail in CI.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Route, async_playwright

from tests.attacks.server import Server, serving
from tests.core.admin.conftest import HAMMER, TOOLS
from tests.core.installed import ACCOUNTS_PLUGINS as PLUGINS
from tests.core.installed import ROOT

CHROMIUM = os.environ.get("MOSAIC_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(
    os.environ.get("MOSAIC_TEST_ARTIFACTS", ROOT / "var" / "test-artifacts" / "browser")
)
ADMIN_EMAIL = "admin@example.com"
PLAIN_EMAIL = "reader@example.com"
PASSWORD = "correct horse battery staple"


@dataclass
class Site:
    """The server under test, with one product created through the API."""

    server: Server
    product_id: int

    @property
    def base(self) -> str:
        return self.server.base


@dataclass
class Traffic:
    """What the page asked for: requests to other hosts (aborted), failed ones, error answers."""

    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.foreign, f"requests to other hosts: {self.foreign}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.errors, f"error answers: {self.errors}"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; skipped outside CI and failed in CI when it is not installed."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).is_file():
        return CHROMIUM
    message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; the browser tests must run in CI")
    pytest.skip(message)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[Site]:
    """``mosaic serve`` with an administrator, an account without permissions and a product."""
    workdir = tmp_path_factory.mktemp("browser-site")
    with serving(workdir, PLUGINS, {}) as server:
        created = server.mosaic(
            *("users", "create-admin", "--email", ADMIN_EMAIL, "--password-stdin"),
            stdin=f"{PASSWORD}\n",
        )
        assert created.returncode == 0, created.stderr
        yield Site(server=server, product_id=_seed(server.base))


def _seed(base: str) -> int:
    with httpx.Client(base_url=base, timeout=30) as client:
        registered = client.post("/api/v1/users", json={"email": PLAIN_EMAIL, "password": PASSWORD})
        assert registered.status_code == 201, registered.text
        token = client.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": ADMIN_EMAIL, "password": PASSWORD},
        )
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        category = client.post("/api/v1/catalogue/categories", json=TOOLS, headers=headers)
        assert category.status_code == 201, category.text
        body = {**HAMMER, "category_id": category.json()["id"]}
        product = client.post("/api/v1/catalogue/products", json=body, headers=headers)
        assert product.status_code == 201, product.text
        return int(product.json()["id"])


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    """One headless Chromium for the whole session (the browser tests share its event loop)."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium_path, headless=True)
        yield launched
        await launched.close()


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remembers whether the test itself failed, for the page fixture's teardown."""
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


class Steps:
    """Screenshots of a test's steps, written out only if the test fails."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.shots: list[tuple[str, bytes]] = []

    async def shot(self, name: str) -> None:
        self.shots.append((name, await self.page.screenshot(full_page=True)))

    def write(self, test: str) -> list[Path]:
        folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]", "_", test)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for number, (name, png) in enumerate(self.shots, 1):
            path = folder / f"{number:02d}-{name}.png"
            path.write_bytes(png)
            written.append(path)
        return written


@dataclass
class Tab:
    """The test's page, what it asked for, and the screenshots of its steps."""

    page: Page
    traffic: Traffic
    steps: Steps


@pytest_asyncio.fixture(loop_scope="session")
async def tab(browser: Browser, site: Site, request: pytest.FixtureRequest) -> AsyncIterator[Tab]:
    """A page in a fresh context; only the server's own host may be reached."""
    context = await browser.new_context(base_url=site.base)
    own = urlsplit(site.base).netloc
    traffic = Traffic()

    async def route(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in {"data", "blob"} or url.netloc == own:
            await route.continue_()
        else:
            traffic.foreign.append(route.request.url)
            await route.abort()

    await context.route("**/*", route)
    page = await context.new_page()
    page.on("requestfailed", lambda r: traffic.failed.append(f"{r.method} {r.url}"))
    page.on(
        "response",
        lambda r: traffic.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    opened = Tab(page=page, traffic=traffic, steps=Steps(page))
    yield opened
    try:
        if request.node.stash.get(_FAILED, False):
            await opened.steps.shot("failed")
            written = opened.steps.write(request.node.nodeid)
            print(f"screenshots: {', '.join(map(str, written))}")
    finally:
        await context.close()
