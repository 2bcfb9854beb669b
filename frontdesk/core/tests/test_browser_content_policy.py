"""The content security policy (core.middleware.ContentSecurityPolicyMiddleware) in a real
browser (Debian's chromium through Playwright): our own pages, scripts and styles run under it
with no violation, and a script that is not ours does not run."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from frontdesk.accounts.models import User
from frontdesk.core.testing import browser_sign_in
from frontdesk.customers.models import Customer
from frontdesk.organizations.services import create_organization
from frontdesk.portal.models import PortalSettings, PortalUser
from frontdesk.support.models import Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import create_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects what the browser refused, before any script of the page runs.
WATCH = ("window.__refused = [];"
         "document.addEventListener('securitypolicyviolation',"
         " e => window.__refused.push(e.violatedDirective + ' ' + e.blockedURI));")


def refused(page: Page) -> list[str]:
    return list(page.evaluate("window.__refused"))


def test_our_pages_run_under_the_policy(live_server: Any, browser: Browser) -> None:
    admin = User.objects.create_user("boss@shop.test", "a-long-Secret-1", full_name="Bo Boss")
    organization = create_organization(slug="shop", name="Corner Shop", admin=admin)
    PortalSettings.objects.filter(organization=organization).update(brand_color="#aa3300",
                                                                    home_charts=True)
    customer = Customer.objects.create(organization=organization, short_name="Initech")
    rita = PortalUser.objects.create(organization=organization, customer=customer,
                                     email="rita@initech.test", first_name="Rita")
    rita.set_password("a-long-Secret-3")
    rita.save()
    task = create_request(topic=Topic.objects.for_org(organization).get(), requester=rita,
                          title="Printer jammed", description="Paper stuck.")
    # A post that tries to run a script of its own: shown as text, and nothing runs.
    add_staff_post(task=task, author=admin, visible_to_customer=True,
                   body='<script>window.__ran = 1</script><img src=x onerror="window.__ran=2">')

    staff = browser.new_context().new_page()
    staff.add_init_script(WATCH)
    browser_sign_in(staff, live_server.url, "boss@shop.test", "a-long-Secret-1")
    for path in (f"/app/shop/requests/{task.pk}/", "/app/shop/customers/",
                 f"/app/shop/customers/{customer.pk}/", "/app/shop/requests/new/"):
        response = staff.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, path
        assert "script-src 'self'" in (response.header_value("content-security-policy") or "")
        assert refused(staff) == [], path
    # The page's own script ran (live updates set up their announcer), the post's did not.
    staff.goto(f"{live_server.url}/app/shop/requests/{task.pk}/")
    expect(staff.locator("[data-live-announce]")).to_have_count(1)
    expect(staff.locator(".posts")).to_contain_text("<script>window.__ran = 1</script>")
    assert staff.evaluate("window.__ran") is None
    # A customer name on the list opens its preview (a script fetching our own address).
    staff.goto(f"{live_server.url}/app/shop/requests/{task.pk}/")
    staff.hover("a[data-preview]")
    expect(staff.locator(".customer-preview, [role=tooltip]").first).to_be_visible()
    assert refused(staff) == []

    portal = browser.new_context().new_page()
    portal.add_init_script(WATCH)
    browser_sign_in(portal, live_server.url, "rita@initech.test", "a-long-Secret-3",
                    portal="shop")
    for path in ("/p/shop/", f"/p/shop/requests/{task.pk}/", "/p/shop/requests/new/"):
        response = portal.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, path
        assert refused(portal) == [], path
    # The brand colour (an inline style) applies.
    colour = portal.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()")
    assert colour == "#aa3300"
    assert portal.evaluate("window.__ran") is None
    # A keyboard user's first Tab reaches the link past the menus, which leads to the content.
    portal.keyboard.press("Tab")
    expect(portal.locator(".skip-link")).to_be_focused()
    expect(portal.locator(".skip-link")).to_be_in_viewport()
    portal.keyboard.press("Enter")
    assert portal.evaluate("location.hash") == "#main"
