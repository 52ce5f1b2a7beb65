"""The pages a person opens, in a real browser with no way out to the internet: Swagger UI with
its Authorize button and "Try it out", ReDoc, and the admin console."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ADMIN_EMAIL, PASSWORD, PLAIN_EMAIL, Site, Tab

# One browser for the session: its tests share the session's event loop.
pytestmark = pytest.mark.asyncio(loop_scope="session")
TIMEOUT = 15_000


async def test_swagger_ui_authorizes_and_tries_the_profile(tab: Tab) -> None:
    page = tab.page
    await page.goto("/docs", wait_until="networkidle")
    await page.wait_for_selector(".swagger-ui .information-container", timeout=TIMEOUT)
    await tab.steps.shot("docs")
    await page.click("button.authorize")
    await page.fill("#oauth_username", ADMIN_EMAIL)
    await page.fill("#oauth_password", PASSWORD)
    await page.click(".auth-btn-wrapper button.authorize")
    # Once the token is in, the modal offers to remove it.
    dialog = page.locator(".auth-btn-wrapper")
    await dialog.get_by_role("button", name="Remove authorization").wait_for(timeout=TIMEOUT)
    await tab.steps.shot("authorized")
    await dialog.get_by_role("button", name="Close").click()
    operation = page.locator("#operations-users-users_read_me")
    await operation.locator(".opblock-summary").click()
    await operation.locator("button.try-out__btn").click()
    async with page.expect_response(lambda r: r.url.endswith("/api/v1/users/me")) as answer:
        await operation.locator("button.execute").click()
    assert (await answer.value).status == 200
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    await status.wait_for(timeout=TIMEOUT)
    await tab.steps.shot("tried")
    assert (await status.inner_text()).strip() == "200"
    assert ADMIN_EMAIL in await operation.locator(".live-responses-table").inner_text()
    tab.traffic.assert_clean()


async def test_redoc_renders(tab: Tab) -> None:
    page = tab.page
    await page.goto("/redoc", wait_until="networkidle")
    await page.wait_for_selector(".api-content h1", timeout=TIMEOUT)
    await tab.steps.shot("redoc")
    assert "Mosaic" in await page.locator(".api-content h1").first.inner_text()
    assert await page.get_by_text("Log in (OAuth2 password grant) or refresh").count() > 0
    tab.traffic.assert_clean()


async def _sign_in(tab: Tab, email: str) -> None:
    page = tab.page
    await page.goto("/admin/login", wait_until="networkidle")
    await page.fill("input[name=username]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_load_state("networkidle")


async def test_the_console_signs_in_lists_and_edits_a_product(tab: Tab, site: Site) -> None:
    page = tab.page
    await _sign_in(tab, ADMIN_EMAIL)
    assert page.url.rstrip("/").endswith("/admin")
    await tab.steps.shot("signed-in")
    # The module's pages sit in its menu group.
    await page.click("[data-sqladmin-menu-category=Catalogue] a.dropdown-toggle")
    await page.click("a[href$='/admin/catalogue_products/list']")
    await page.wait_for_load_state("networkidle")
    assert "HAM-1" in await page.content()
    await tab.steps.shot("products")
    await page.goto(f"/admin/catalogue_products/edit/{site.product_id}", wait_until="networkidle")
    await page.fill("input[name=name]", "Claw hammer")
    await page.click("input[type=submit][value=Save]")
    await page.wait_for_load_state("networkidle")
    await tab.steps.shot("saved")
    assert "/admin/catalogue_products/list" in page.url
    assert "Claw hammer" in await page.content()
    await page.goto("/admin/system", wait_until="networkidle")
    assert "catalogue.product_not_found" in await page.content()
    tab.traffic.assert_clean()


async def test_the_console_refuses_an_account_without_the_permission(tab: Tab) -> None:
    page = tab.page
    await _sign_in(tab, PLAIN_EMAIL)
    assert page.url.rstrip("/").endswith("/admin")
    assert await page.locator("a[href$='/admin/catalogue_products/list']").count() == 0
    refused = await page.goto("/admin/catalogue_products/list")
    await tab.steps.shot("refused")
    assert refused is not None
    assert refused.status == 403
    assert not tab.traffic.foreign
