"""The core support loop in a real browser (Debian's chromium through Playwright):
public form → request → staff answer → the customer sees only what is meant for them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from frontdesk.accounts.models import User
from frontdesk.core.testing import SmtpSink, browser_sign_in, run_worker, smtp_sink, text_of
from frontdesk.organizations.services import add_staff_member, create_organization
from frontdesk.support.models import Post, Task, Topic

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings: Any, live_server: Any) -> SmtpSink:
    sink = smtp_sink()
    sink.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.FRONTDESK_BASE_URL = live_server.url
    return sink


def link_in(sink: SmtpSink, address: str, index: int = -1) -> str:
    message = sink.to(address)[index]
    match = re.search(r"(http://\S+/p/\S+/link/\S+/)", text_of(message))
    assert match, text_of(message)
    return match.group(1)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_support_loop_end_to_end(live_server: Any, smtp: SmtpSink, browser: Browser,
                                     tmp_path: Path) -> None:
    admin = User.objects.create_user("boss@shop.test", "a-long-Secret-1", full_name="Bo Boss")
    organization = create_organization(slug="shop", name="Corner Shop", admin=admin)
    agent = User.objects.create_user("agent@shop.test", "a-long-Secret-2", full_name="Ann Agent")
    add_staff_member(organization=organization, user=agent)
    Topic.objects.for_org(organization).get().assignees.add(agent)
    from frontdesk.organizations.models import Membership

    Membership.objects.filter(user=agent).update(level_support=2)

    # 1. The admin switches the public form on and sees the two links to share.
    staff = browser.new_context().new_page()
    browser_sign_in(staff, live_server.url, "boss@shop.test", "a-long-Secret-1")
    staff.goto(f"{live_server.url}/app/shop/settings/portal/")
    expect(staff.locator("#form-link")).to_have_value(f"{live_server.url}/p/shop/support/")
    expect(staff.locator("#portal-link")).to_have_value(f"{live_server.url}/p/shop/")
    staff.check("input[name=public_form_enabled]")
    staff.fill("input[name=form_title]", "Ask the Corner Shop")
    staff.click("form[enctype] button[type=submit]")
    expect(staff.locator(".flash")).to_contain_text("saved")

    # 2. A customer fills in the public form, with a file.
    customer = browser.new_context().new_page()
    customer.goto(f"{live_server.url}/p/shop/support/")
    expect(customer.locator("h1")).to_have_text("Ask the Corner Shop")
    expect(customer.locator("select[name=topic]")).to_have_count(0)
    customer.fill("input[name=first_name]", "Rita")
    customer.fill("input[name=last_name]", "Requester")
    customer.fill("input[name=email]", "rita@customer.test")
    customer.fill("input[name=title]", "My order never arrived")
    customer.fill("textarea[name=description]", "Order 1042, placed two weeks ago.")
    receipt = tmp_path / "receipt.txt"
    receipt.write_text("order 1042")
    customer.set_input_files("input[name=attachments]", str(receipt))
    shot(customer, "1-support-form")
    customer.click("button[type=submit]")
    expect(customer.locator("h1")).to_contain_text("Thank you")
    task = Task.objects.get(title="My order never arrived")

    # 3. The worker sends the confirmation; its link opens the requester's requests.
    run_worker()
    customer.goto(link_in(smtp, "rita@customer.test"))
    expect(customer).to_have_url(f"{live_server.url}/p/shop/requests/")
    customer.click("text=My order never arrived")
    expect(customer.locator(".post").first).to_contain_text("Order 1042")
    expect(customer.locator(".files")).to_contain_text("receipt.txt")

    # 4. The assignee sees it, writes an internal note, then a reply made visible.
    staff_agent = browser.new_context().new_page()
    browser_sign_in(staff_agent, live_server.url, "agent@shop.test", "a-long-Secret-2")
    staff_agent.goto(f"{live_server.url}/app/shop/requests/?view=mine")
    staff_agent.click("text=My order never arrived")
    staff_agent.fill("textarea[name=body]", "Courier lost it; refund from the B budget.")
    staff_agent.click("form[enctype] button[type=submit]")
    expect(staff_agent.locator(".post-internal")).to_contain_text("Courier lost it")
    staff_agent.fill("textarea[name=body]", "Sorry Rita, we are sending a new one today.")
    staff_agent.click("form[enctype] button[type=submit]")
    reply = Post.objects.get(body__startswith="Sorry Rita")
    staff_agent.locator(f"#post-{reply.pk}").get_by_role(
        "button", name="Make visible to customer").click()
    expect(staff_agent.locator(f"#post-{reply.pk}")).to_contain_text("Visible to customer")
    shot(staff_agent, "3-staff-request")

    # 5. The requester is told by e-mail, with a fresh link, and sees only the visible post.
    run_worker()
    assert len(smtp.to("rita@customer.test")) == 2
    assert "sending a new one" in text_of(smtp.to("rita@customer.test")[-1])
    assert "Courier" not in text_of(smtp.to("rita@customer.test")[-1])
    customer.goto(link_in(smtp, "rita@customer.test"))
    customer.goto(f"{live_server.url}/p/shop/requests/{task.pk}/")
    expect(customer.locator("body")).to_contain_text("sending a new one today")
    expect(customer.locator("body")).to_contain_text("Ann Agent")
    expect(customer.locator("body")).not_to_contain_text("Courier lost it")
    expect(customer.locator("body")).not_to_contain_text("Support")  # the group's name

    # 6. The requester replies with a file; the assignee is notified.
    photo = tmp_path / "label.txt"
    photo.write_text("shipping label")
    customer.fill("textarea[name=body]", "Thank you! Here is the label.")
    customer.set_input_files("input[name=attachments]", str(photo))
    customer.click("text=Send reply")
    expect(customer.locator(".posts")).to_contain_text("Here is the label.")
    shot(customer, "2-portal-request")
    run_worker()
    assert any("Here is the label." in text_of(m) for m in smtp.to("agent@shop.test"))
    staff_agent.goto(f"{live_server.url}/app/shop/requests/notifications/")
    expect(staff_agent.locator("body")).to_contain_text("Customer replied")

    # 7. The assignee finds the request again by a word of the internal note, from the search
    #    box of the list (accents and case aside), and nothing for a word it does not have.
    staff_agent.goto(f"{live_server.url}/app/shop/requests/")
    staff_agent.get_by_label("Search requests").fill("COURÍER")
    staff_agent.get_by_label("Search requests").press("Enter")
    expect(staff_agent.locator("table.list")).to_contain_text("My order never arrived")
    shot(staff_agent, "4-staff-search")
    staff_agent.get_by_label("Search requests").fill("parcel")
    staff_agent.get_by_label("Search requests").press("Enter")
    expect(staff_agent.locator(".empty")).to_contain_text("No request has every word of")

    # 8. The assignee hands it on to a colleague, due yesterday and urgent: the colleague
    #    is told by e-mail (the admin, assigned by the topic already, is not), and the admin
    #    finds it among the overdue requests.
    colleague = User.objects.create_user("cy@shop.test", "a-long-Secret-3",
                                         full_name="Cy Colleague")
    add_staff_member(organization=organization, user=colleague)
    staff_agent.goto(f"{live_server.url}/app/shop/requests/{task.pk}/")
    staff_agent.click("text=Assignees, due date and priority")
    expect(staff_agent.get_by_label("Bo Boss")).to_be_checked()
    staff_agent.get_by_label("Cy Colleague").check()
    staff_agent.get_by_label("Ann Agent").uncheck()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    staff_agent.fill("input[name=due_date]", yesterday.isoformat())
    staff_agent.select_option("select[name=priority]", "urgent")
    staff_agent.get_by_role("button", name="Save").click()
    expect(staff_agent.locator(".flash")).to_contain_text("Saved.")
    expect(staff_agent.locator("aside")).to_contain_text("Bo Boss, Cy Colleague")
    expect(staff_agent.locator("aside")).to_contain_text("Urgent")
    expect(staff_agent.locator("aside")).to_contain_text("Ann Agent changed the assignees")
    run_worker()
    assert any("Ann Agent assigned you a request" in text_of(m)
               for m in smtp.to("cy@shop.test"))
    assert not any("assigned you" in text_of(m) for m in smtp.to("boss@shop.test"))
    staff.goto(f"{live_server.url}/app/shop/requests/?view=overdue")
    expect(staff.locator("table.list")).to_contain_text("My order never arrived")
    shot(staff, "5-staff-overdue")

    # 9. The admin finds it under its topic, marks it critical and writes the solution; the
    #    requester reads the solution on the request, and nothing of the severity.
    staff.goto(f"{live_server.url}/app/shop/requests/")
    staff.get_by_role("link", name="By topic").click()
    expect(staff.locator("table.list")).to_contain_text("My order never arrived")
    staff.click("text=My order never arrived")
    staff.click("text=Severity, category and solution")
    staff.select_option("select[name=severity]", "critical")
    staff.fill("textarea[name=solution]", "A new parcel left today; tracking is in your e-mail.")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("aside")).to_contain_text("Critical")
    expect(staff.locator("#solution")).to_contain_text("A new parcel left today")
    customer.goto(f"{live_server.url}/p/shop/requests/{task.pk}/")
    expect(customer.locator("#solution")).to_contain_text("A new parcel left today")
    expect(customer.locator("body")).not_to_contain_text("Critical")

    # 10. The requester closes the request and rates it; the admin reads the rating.
    customer.get_by_role("button", name="Close this request").click()
    expect(customer.locator(".flash")).to_contain_text("Your request is closed.")
    customer.get_by_label("Good").check()
    customer.fill("textarea[name=comment]", "Quick and kind.")
    customer.get_by_role("button", name="Send your rating").click()
    expect(customer.locator(".flash")).to_contain_text("Thank you for your rating.")
    staff.goto(f"{live_server.url}/app/shop/requests/{task.pk}/")
    expect(staff.locator("aside")).to_contain_text("Good: “Quick and kind.”")

    # 11. The admin bills the requester's customer: an invoice with two lines, issued. The
    #     link session shows no billing; once Rita has a password and logs in with it, she
    #     finds the invoice, disputes it, and the admin reads why.
    staff.goto(f"{live_server.url}/app/shop/customers/{task.customer_id}/")
    staff.get_by_role("link", name="New invoice").click()
    staff.fill("input[name=title]", "Replacement parcel")
    staff.fill("input[name=tax_rate]", "10")
    staff.get_by_label("Description 1").fill("Express shipping")
    staff.get_by_label("Unit price 1").fill("12.50")
    staff.get_by_label("Description 2").fill("Gift wrap")
    staff.get_by_label("Quantity 2").fill("2")
    staff.get_by_label("Unit price 2").fill("3")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator(".flash")).to_contain_text("Draft invoice saved.")
    staff.get_by_role("button", name="Issue the invoice").click()
    expect(staff.locator(".flash")).to_contain_text("Invoice 1 issued")
    expect(staff.locator("table.lines")).to_contain_text("€20.35")
    customer.goto(f"{live_server.url}/p/shop/requests/")
    expect(customer.locator(".portal-nav")).not_to_contain_text("Invoices")
    customer.goto(f"{live_server.url}/p/shop/password/")
    customer.fill("input[name=password1]", "rita-Secret-42")
    customer.fill("input[name=password2]", "rita-Secret-42")
    customer.get_by_role("button", name="Set the password").click()
    expect(customer.locator(".flash")).to_contain_text("Your password is set.")
    billing = browser.new_context().new_page()
    browser_sign_in(billing, live_server.url, "rita@customer.test", "rita-Secret-42",
                    portal="shop")
    billing.get_by_role("link", name="Invoices").click()
    billing.click("text=Replacement parcel")
    expect(billing.locator("table.lines")).to_contain_text("Gift wrap")
    expect(billing.locator("table.lines")).to_contain_text("Tax (10%)")
    billing.fill("textarea[name=reason]", "Gift wrap was free last time.")
    billing.get_by_role("button", name="Dispute the invoice").click()
    expect(billing.locator(".flash")).to_contain_text("We received your remark")
    shot(billing, "6-portal-invoice")
    staff.reload()
    expect(staff.locator("body")).to_contain_text("Gift wrap was free last time.")
