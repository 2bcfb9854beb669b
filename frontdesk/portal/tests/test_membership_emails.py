"""The e-mails and links of a person acting for several customers (SPEC X7): each goes with
the customer it is about, and its link opens the portal acting for that customer only."""

from __future__ import annotations

from frontdesk.core.testing import text_of
from frontdesk.portal.memberships import add_portal_membership, remove_portal_membership
from frontdesk.portal.models import AccessLink
from frontdesk.portal.tests.helpers import link_in
from frontdesk.portal.tests.memberships_helpers import GLOBEX, INITECH, PORTAL, MembershipTestCase
from frontdesk.support.models import Task
from frontdesk.support.services import add_staff_post, make_post_visible_to_customer


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
