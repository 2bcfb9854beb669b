"""`manage.py seed_demo`: the demo organization `make run` starts with (empty database only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from frontdesk.accounts.models import User
from frontdesk.billing import services as billing
from frontdesk.billing.documents import DocumentData, LineData
from frontdesk.core import demo_data
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.models import Customer
from frontdesk.customers.notes import add_note
from frontdesk.customers.services import create_customer
from frontdesk.knowledge import services as knowledge
from frontdesk.mail.models import OutboxMessage
from frontdesk.organizations.models import Group, Membership, Organization
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.services import (
    add_staff_member,
    create_organization,
    save_group,
    set_staff_permissions,
)
from frontdesk.portal.models import PortalSettings
from frontdesk.portal.services import (
    find_or_create_portal_user,
    set_password,
    update_portal_settings,
)
from frontdesk.support.models import Topic
from frontdesk.support.topics import save_topic

ADMIN = ("admin@example.com", "demo-admin", "Deniz Admin")
STAFF = [
    ("agent@example.com", "demo-agent", "Alex Agent", Level.CONTRIBUTE),
    ("viewer@example.com", "demo-viewer", "Vic Viewer", Level.VIEW),
]
CUSTOMER_LOGIN = ("customer@example.com", "demo-customer")
# Portal people without a password (they get links by e-mail), by their key in demo_data.
PORTAL_PEOPLE = [
    ("samir", "samir@initech.example", "Samir", "Nagheenanajar"),
    ("hank", "hank@globex.example", "Hank", "Scorpio"),
    ("jill", "jill@umbrella.example", "Jill", "Valentine"),
]


class Command(BaseCommand):
    help = "Create the demo organization, staff, customers and requests in an empty database."

    def handle(self, *args: Any, **options: Any) -> None:
        base = settings.FRONTDESK_BASE_URL
        if Organization.objects.exists() or User.objects.exists():
            self.stdout.write("The database has data already: no demo data added.")
        else:
            self.seed()
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.stdout.write(
            f"\n  Staff:    {base}/login/  {ADMIN[0]} / {ADMIN[1]}"
            f"   (also {STAFF[0][0]} / {STAFF[0][1]})"
            f"\n  Portal:   {base}/p/demo/  {CUSTOMER_LOGIN[0]} / {CUSTOMER_LOGIN[1]}"
            f"\n  Portal:   {base}/p/demo/  {demo_data.ACCOUNTANT_LOGIN[0]} / "
            f"{demo_data.ACCOUNTANT_LOGIN[1]}   (acts for Globex and Initech: switch at the top)"
            f"\n  Form:     {base}/p/demo/support/\n")

    @transaction.atomic
    def seed(self) -> None:
        admin = User.objects.create_user(ADMIN[0], ADMIN[1], full_name=ADMIN[2])
        org = create_organization(slug="demo", name="Demo Company", admin=admin)
        by_admin = Membership.objects.for_org(org).get(user=admin)
        staff = []
        for email, password, name, level in STAFF:
            user = User.objects.create_user(email, password, full_name=name)
            membership = add_staff_member(organization=org, user=user)
            set_staff_permissions(membership=membership, is_admin=None, by=by_admin,
                                  levels={Area.SUPPORT: level, Area.CUSTOMERS: level})
            staff.append(user)
        agent = staff[0]
        support = Group.objects.for_org(org).get()
        save_group(organization=org, name=support.name, members=[admin, agent], group=support)
        billing = save_group(organization=org, name="Billing", members=[admin])
        general = Topic.objects.for_org(org).get()
        save_topic(organization=org, topic=general, name="Technical support", group=support,
                   assignees=[agent])
        billing_topic = save_topic(organization=org, name="Invoices and billing", group=billing,
                                   assignees=[admin])
        update_portal_settings(
            portal_settings=PortalSettings.objects.get(organization=org),
            changes={"public_form_enabled": True, "display_name": "Demo Company Support",
                     "form_title": "How can we help?",
                     "form_description": "Describe the problem and what you expected. "
                                         "We answer within one working day."})

        initech = create_customer(organization=org, short_name="Initech",
                                  full_name="Initech Ltd.", email="office@initech.example",
                                  phone="+31 20 555 0101")
        add_contact(customer=initech, first_name="Peter", last_name="Gibbons",
                    email=CUSTOMER_LOGIN[0], position="Engineer")
        globex = create_customer(organization=org, short_name="Globex",
                                 full_name="Globex Corporation", email="info@globex.example")
        add_contact(customer=initech, first_name="Samir", last_name="Nagheenanajar",
                    email="samir@initech.example", position="Office manager")
        add_contact(customer=globex, first_name="Hank", last_name="Scorpio",
                    email="hank@globex.example")
        umbrella = create_customer(organization=org, short_name="Umbrella",
                                   full_name="Umbrella B.V.", email="contact@umbrella.example")
        add_contact(customer=umbrella, first_name="Jill", last_name="Valentine",
                    email="jill@umbrella.example")

        people = {"peter": find_or_create_portal_user(organization=org,
                                                      email=CUSTOMER_LOGIN[0],
                                                      first_name="Peter", last_name="Gibbons")}
        set_password(portal_user=people["peter"], password=CUSTOMER_LOGIN[1])
        for key, email, first, last in PORTAL_PEOPLE:
            people[key] = find_or_create_portal_user(organization=org, email=email,
                                                     first_name=first, last_name=last)
        people["accountant"] = demo_data.seed_accountant(organization=org, own=globex,
                                                         other=initech, by=admin)
        topics = {"support": general, "billing": billing_topic}
        # Before the requests: they get their due moments when they are made.
        demo_data.seed_service_levels(organization=org, billing_topic=billing_topic)
        demo_data.seed_requests(topics=topics, people=people,
                                staff={"admin": admin, "agent": agent})
        demo_data.seed_shared_work(organization=org, group=support, customer=initech,
                                   agent=agent, admin=admin)
        demo_data.seed_saved_replies(organization=org, by=admin)
        add_note(customer=initech, by=agent, body="Prefers to be called before 10:00. "
                 "Their gateway is due for replacement (see the shared task).")
        self.seed_billing(org, admin, initech, globex)
        self.seed_faq(org, admin)
        # Demo requests announce nothing: no e-mails to the example addresses.
        OutboxMessage.objects.for_org(org).update(state=OutboxMessage.State.CANCELLED)

    @staticmethod
    def seed_billing(org: Organization, admin: User, customer: Customer, other: Customer
                     ) -> None:
        """A quote waiting for Initech's answer, an invoice paid, one to approve, and the
        balance tab on; an invoice of Globex's too (its accountant acts for both)."""
        def data(title: str, *lines: tuple[str, str, str]) -> DocumentData:
            return DocumentData(
                title=title, currency="EUR", tax_rate=Decimal("21"), note="",
                lines=[LineData(d, Decimal(q), Decimal(p)) for d, q, p in lines])

        quote = billing.create_quote(
            organization=org, customer=customer, valid_until=None, by=admin,
            data=data("Gateway upgrade", ("Gateway, model GX-200", "1", "640.00"),
                      ("Installation (hours)", "3", "85.00")))
        billing.send_quote(quote=quote)
        paid = billing.create_invoice(organization=org, customer=customer, contact=None,
                                      by=admin, data=data("Maintenance, October",
                                                          ("Maintenance contract", "1", "250")))
        billing.issue_invoice(invoice=paid, by=admin)
        billing.record_payment(invoice=paid, amount=paid.total,
                               booked_on=paid.issued_on or timezone.localdate(), by=admin)
        open_invoice = billing.create_invoice(
            organization=org, customer=customer, contact=None, by=admin,
            data=data("Maintenance, November", ("Maintenance contract", "1", "250"),
                      ("VPN troubleshooting (hours)", "1.5", "85.00")))
        billing.issue_invoice(invoice=open_invoice, by=admin)
        globex_invoice = billing.create_invoice(
            organization=org, customer=other, contact=None, by=admin,
            data=data("Mail server certificate", ("Certificate, 1 year", "1", "120.00"),
                      ("Installation (hours)", "0.5", "85.00")))
        billing.issue_invoice(invoice=globex_invoice, by=admin)
        update_portal_settings(portal_settings=PortalSettings.objects.get(organization=org),
                               changes={"show_balance": True})

    @staticmethod
    def seed_faq(org: Organization, admin: User) -> None:
        """Two published answers and the FAQ on in the portal."""
        accounts = knowledge.add_category(organization=org, name="Accounts and access")
        knowledge.write_article(
            organization=org, category=accounts, by=admin, is_published=True,
            title="How do I set a password for the portal?",
            body="Open any link we e-mailed you, then choose “Set a password” at the bottom "
                 "of your requests. From then on you can log in with your e-mail address.")
        knowledge.write_article(
            organization=org, category=None, by=admin, is_published=True,
            title="When do you answer?",
            body="Within one working day, Monday to Friday. Urgent requests first.")
        update_portal_settings(portal_settings=PortalSettings.objects.get(organization=org),
                               changes={"show_faq": True})

