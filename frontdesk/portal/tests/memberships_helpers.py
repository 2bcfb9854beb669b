"""A person acting for two customers (SPEC X7), and something of each customer on every
portal page, to show that one customer's never shows while acting for the other."""

from __future__ import annotations

from frontdesk.billing.tests.helpers import BillingTestCase
from frontdesk.files.tests.test_customer_files import CustomerFilesTestCase
from frontdesk.portal.memberships import add_portal_membership
from frontdesk.portal.models import PortalMembership, PortalSettings, PortalUser
from frontdesk.support.models import Task, Topic
from frontdesk.support.services import create_request

PORTAL = "/p/acme-support"

# Of each customer: a request, a sent quote, an issued invoice, a shared file.
INITECH = ("Initech printer jam", "Initech hosting quote", "Initech invoice",
           "initech-contract.pdf")
GLOBEX = ("Globex payroll question", "Globex hosting quote", "Globex invoice",
          "globex-contract.pdf")


class MembershipTestCase(CustomerFilesTestCase, BillingTestCase):
    anna: PortalUser
    globex_membership: PortalMembership

    def setUp(self) -> None:
        super().setUp()
        PortalSettings.objects.filter(organization=self.org_a).update(show_balance=True)
        # Anna, the accountant: one of Initech's people, acting for Globex too.
        self.anna = PortalUser.objects.create(organization=self.org_a, customer=self.customer_a1,
                                              email="anna@books.test", first_name="Anna")
        with self.sending():  # her invitation, and the requests' confirmations, are sent
            self.make_data()
        self.smtp.clear()

    def make_data(self) -> None:
        self.globex_membership = add_portal_membership(customer=self.customer_a2,
                                                email="anna@books.test", by=self.admin_a)
        topic = Topic.objects.for_org(self.org_a).get()
        self.tasks: dict[str, Task] = {}
        for customer, person, (request, quote, invoice, file_name), tax in (
                (self.customer_a1, self.portal_a1, INITECH, "0"),
                (self.customer_a2, self.portal_a2, GLOBEX, "50")):
            self.tasks[request] = create_request(topic=topic, requester=person, title=request,
                                                 description="Details.")
            self.quote(customer, sent=True, title=quote)
            self.invoice(customer, issued=True, title=invoice, tax=tax)
            self.add(file_name, shared=True, customer=customer)

    def switch_to(self, customer_id: int) -> None:
        response = self.client.post(f"{PORTAL}/customer/", {"customer": customer_id})
        self.assertRedirects(response, f"{PORTAL}/", fetch_redirect_response=False)
