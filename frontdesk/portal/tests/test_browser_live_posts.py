"""Live request pages in a real browser (Debian's chromium through Playwright, SPEC X3): a
reply added on the server appears on the open pages, staff and portal, without a reload; an
internal note never reaches the customer's."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from frontdesk.accounts.models import User
from frontdesk.core.testing import browser_sign_in
from frontdesk.customers.models import Customer
from frontdesk.organizations.services import create_organization
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import Status, Topic
from frontdesk.support.posts import add_customer_reply, add_staff_post
from frontdesk.support.services import change_status, create_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reply_appears_on_the_open_pages(live_server: Any, browser: Browser,
                                           settings: Any) -> None:
    settings.FRONTDESK_LIVE_POLL_SECONDS = 1
    admin = User.objects.create_user("boss@shop.test", "a-long-Secret-1", full_name="Bo Boss")
    organization = create_organization(slug="shop", name="Corner Shop", admin=admin)
    customer = Customer.objects.create(organization=organization, short_name="Initech")
    rita = PortalUser.objects.create(organization=organization, customer=customer,
                                     email="rita@initech.test", first_name="Rita")
    rita.set_password("a-long-Secret-3")
    rita.save()
    task = create_request(topic=Topic.objects.for_org(organization).get(), requester=rita,
                          title="Printer jammed", description="Paper stuck.")

    portal = browser.new_context().new_page()
    browser_sign_in(portal, live_server.url, "rita@initech.test", "a-long-Secret-3",
                    portal="shop")
    portal.goto(f"{live_server.url}/p/shop/requests/{task.pk}/")
    expect(portal.locator("h1")).to_have_text("Printer jammed")

    staff = browser.new_context().new_page()
    browser_sign_in(staff, live_server.url, "boss@shop.test", "a-long-Secret-1")
    staff.goto(f"{live_server.url}/app/shop/requests/{task.pk}/")
    expect(staff.locator("h1")).to_contain_text("Printer jammed")

    # Written on the server while both pages stay open.
    note = add_staff_post(task=task, author=admin, body="Internal: the toner is out too.")
    reply = add_staff_post(task=task, author=admin, body="We open the tray remotely.",
                           visible_to_customer=True)
    expect(portal.locator(f"#post-{reply.pk}")).to_contain_text("We open the tray remotely.")
    expect(portal.locator("[data-live-announce]")).to_have_text("New replies arrived.")
    expect(staff.locator(f"#post-{note.pk}")).to_contain_text("the toner is out")
    expect(staff.locator(f"#post-{reply.pk}")).to_contain_text("Visible to customer")
    answer = add_customer_reply(task=task, portal_user=rita, body="Thanks, it prints.", files=[])
    expect(staff.locator(f"#post-{answer.pk}")).to_contain_text("Thanks, it prints.")
    expect(portal.locator(f"#post-{answer.pk}")).to_contain_text("Thanks, it prints.")
    assert portal.locator("text=the toner is out").count() == 0
    assert portal.locator("li.post").count() == 3  # the request, the reply, the answer

    # A change that cannot be appended: the page offers a reload.
    expect(portal.locator("[data-live-notice]")).to_be_hidden()
    change_status(task=task, status=Status.CLOSED, by=admin)
    expect(portal.locator("[data-live-notice]")).to_be_visible()
    portal.locator("[data-live-notice] a").click()
    expect(portal.locator("body")).to_contain_text("This request is closed.")
