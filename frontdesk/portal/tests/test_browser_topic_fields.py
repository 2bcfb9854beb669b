"""A topic's own fields in a real browser (Debian's chromium through Playwright): the script
shows only the chosen topic's; the answers reach the request."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from frontdesk.accounts.models import User
from frontdesk.organizations.models import Group
from frontdesk.organizations.services import create_organization
from frontdesk.portal.models import PortalSettings
from frontdesk.support.models import Task, Topic
from frontdesk.support.topics import save_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_only_the_chosen_topics_fields_are_shown_and_kept(live_server: Any,
                                                          browser: Browser) -> None:
    admin = User.objects.create_user("boss@shop.test", "a-long-Secret-1", full_name="Bo Boss")
    organization = create_organization(slug="shop", name="Corner Shop", admin=admin)
    PortalSettings.objects.filter(organization=organization).update(public_form_enabled=True)
    general = Topic.objects.for_org(organization).get()
    printers = save_topic(organization=organization, name="Printers",
                          group=Group.objects.for_org(organization).get(), assignees=[],
                          form_fields=[{"label": "Printer model", "kind": "text",
                                        "required": True}])
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/p/shop/support/")
    model = page.get_by_label("Printer model")
    expect(model).to_be_hidden()  # no topic chosen yet
    page.select_option("select[name=topic]", str(printers.pk))
    expect(model).to_be_visible()
    page.select_option("select[name=topic]", str(general.pk))
    expect(model).to_be_hidden()
    page.select_option("select[name=topic]", str(printers.pk))
    page.fill("input[name=first_name]", "Rita")
    page.fill("input[name=last_name]", "Requester")
    page.fill("input[name=email]", "rita@customer.test")
    page.fill("input[name=title]", "Jammed")
    page.fill("textarea[name=description]", "Paper stuck.")
    page.click("button[type=submit]")
    # Required and left empty: the form comes back with the field shown and its error.
    expect(model).to_be_visible()
    expect(page.locator(".has-error")).to_contain_text("This field is required.")
    model.fill("LaserJet 4")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Thank you")
    task = Task.objects.get(title="Jammed")
    assert task.answers == [{"key": printers.form_fields[0]["key"], "label": "Printer model",
                             "kind": "text", "value": "LaserJet 4"}]
