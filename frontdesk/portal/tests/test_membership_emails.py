"""The e-mails and links of a person acting for several customers (SPEC X7): each goes with
the customer it is about, and its link opens the portal acting for that customer only."""

from __future__ import annotations

import html
import re

from frontdesk.core.testing import text_of
from frontdesk.customers.models import Customer
from frontdesk.portal.memberships import (
    add_portal_membership,
    remove_portal_membership,
    set_membership_modules,
)
from frontdesk.portal.models import AccessLink
from frontdesk.portal.tests.helpers import link_in
from frontdesk.portal.tests.memberships_helpers import GLOBEX, INITECH, PORTAL, MembershipTestCase
from frontdesk.support.models import Task
from frontdesk.support.posts import add_staff_post, make_post_visible_to_customer


class MembershipEmailTests(MembershipTestCase):
    def globex_request_by_anna(self) -> Task:
        self.login_portal(self.anna)
        self.switch_to(self.customer_a2.pk)
        self.smtp.clear()
        with self.sending():
            self.client.post(f"{PORTAL}/requests/new/", {"title": "Anna's Globex books",
                                                         "description": "Year end."})
        task = Task.objects.get(title="Anna's Globex books")
        self.assertEqual(task.customer_id, self.customer_a2.pk)
        self.client.logout()
        return task

    def test_a_request_made_for_a_customer_is_confirmed_with_a_link_to_that_customer(self
                                                                                     ) -> None:
        task = self.globex_request_by_anna()
        [confirmation] = self.smtp.to("anna@books.test")
        self.assertIn("Anna's Globex books", text_of(confirmation))
        self.assertEqual(AccessLink.objects.filter(portal_user=self.anna).latest("pk").customer_id,
                         self.customer_a2.pk)
        self.client.get(link_in(confirmation))
        self.assertContains(self.client.get(f"{PORTAL}/requests/{task.pk}/"),
                            "Anna&#39;s Globex books")
        # A link acts only for its customer: no switching, nothing of Initech.
        listing = self.client.get(f"{PORTAL}/requests/")
        self.assertNotContains(listing, f"{PORTAL}/customer/")
        response = self.client.post(f"{PORTAL}/customer/", {"customer": self.customer_a1.pk})
        self.assertEqual(response.status_code, 404)
        for text in INITECH[:1] + GLOBEX[:1]:  # a link reaches only her own requests
            self.assertNotContains(listing, text)

    def test_a_reply_notice_goes_with_the_requests_customer(self) -> None:
        task = self.globex_request_by_anna()
        self.smtp.clear()
        with self.sending():
            post = add_staff_post(task=task, author=self.agent_a, body="Books are balanced.")
            make_post_visible_to_customer(post=post, by=self.agent_a)
        [notice] = self.smtp.to("anna@books.test")
        self.assertIn("Books are balanced.", text_of(notice))
        self.client.get(link_in(notice))
        self.assertContains(self.client.get(f"{PORTAL}/requests/{task.pk}/"),
                            "Books are balanced.")

    def test_no_notice_once_she_no_longer_acts_for_the_requests_customer(self) -> None:
        task = self.globex_request_by_anna()
        remove_portal_membership(membership=self.globex_membership, by=self.admin_a)
        self.smtp.clear()
        with self.sending():
            post = add_staff_post(task=task, author=self.agent_a, body="Books are balanced.")
            make_post_visible_to_customer(post=post, by=self.agent_a)
        self.assertEqual(self.smtp.to("anna@books.test"), [])

    def test_the_invitation_for_a_further_customer_opens_the_portal_for_it(self) -> None:
        self.globex_membership.delete()
        self.smtp.clear()
        with self.sending():
            add_portal_membership(customer=self.customer_a2, email="Anna@Books.test",
                                  by=self.admin_a)
        [invitation] = self.smtp.to("anna@books.test")
        response = self.client.get(link_in(invitation) + "?next=password")
        self.assertRedirects(response, f"{PORTAL}/password/", fetch_redirect_response=False)
        self.client.post(f"{PORTAL}/password/", {"password1": "A long passphrase 42",
                                                 "password2": "A long passphrase 42"})
        # With a password she may switch between both of her customers.
        self.assertContains(self.client.get(f"{PORTAL}/requests/"), GLOBEX[0])
        self.switch_to(self.customer_a1.pk)
        self.assertContains(self.client.get(f"{PORTAL}/requests/"), INITECH[0])

    def test_removing_a_membership_ends_the_links_sent_for_that_customer(self) -> None:
        self.globex_request_by_anna()
        [confirmation] = self.smtp.to("anna@books.test")
        remove_portal_membership(membership=self.globex_membership, by=self.admin_a)
        response = self.client.get(link_in(confirmation))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get(f"{PORTAL}/requests/").status_code, 302)

    def test_an_invoice_e_mail_logs_her_in_acting_for_the_invoices_customer(self) -> None:
        self.anna.set_password("A long passphrase 42")
        self.anna.save(update_fields=["password"])
        with self.sending():
            invoice = self.invoice(self.customer_a2, issued=True, title="Globex March")
        [email] = self.smtp.to("anna@books.test")
        match = re.search(r"http://127\.0\.0\.1:8000(/p/acme-support/login/\?\S+)",
                          text_of(email))
        assert match, text_of(email)
        login = html.unescape(match.group(1))
        self.assertIn(f"customer={self.customer_a2.pk}", login)
        response = self.client.post(login, {"email": "anna@books.test",
                                            "password": "A long passphrase 42"})
        self.assertRedirects(response, f"{PORTAL}/invoices/{invoice.pk}/")
        # Without the invoices tab for Globex, no such e-mail (her Initech tabs aside).
        set_membership_modules(membership=self.globex_membership, quotes=True,
                               invoices=False, balance=True)
        self.smtp.clear()
        with self.sending():
            self.invoice(self.customer_a2, issued=True, title="Globex April")
        self.assertEqual(self.smtp.to("anna@books.test"), [])

    def test_a_log_in_naming_a_customer_she_does_not_act_for_opens_her_own(self) -> None:
        self.anna.set_password("A long passphrase 42")
        self.anna.save(update_fields=["password"])
        hooli = Customer.objects.create(organization=self.org_a, short_name="Hooli")
        for customer in (hooli.pk, "x", ""):
            self.client.post(f"{PORTAL}/login/?customer={customer}",
                             {"email": "anna@books.test", "password": "A long passphrase 42"})
            self.assertContains(self.client.get(f"{PORTAL}/requests/"), INITECH[0])
