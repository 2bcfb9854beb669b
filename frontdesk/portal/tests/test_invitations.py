"""Staff invite people to a customer's portal account (SPEC P8): each gets an e-mail, really
sent; its link opens the portal at "choose a password", and with a password the person sees
everything of their customer. Nobody of another customer or organization is taken over."""

from __future__ import annotations

import re

from django.http import HttpResponseBase

from frontdesk.core.testing import FrontdeskTestCase, run_worker, text_of
from frontdesk.portal.models import PortalUser

URL = "/app/acme-support/customers/{pk}/portal-users/invite/"


class InvitationTests(FrontdeskTestCase):
    def invite(self, emails: str, customer_pk: int | None = None) -> HttpResponseBase:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(URL.format(pk=customer_pk or self.customer_a1.pk),
                                        {"emails": emails}, follow=True)
        return response

    def test_an_invited_person_chooses_a_password_and_sees_their_customer(self) -> None:
        self.login_staff(self.agent_a)
        response = self.invite("Mia@Initech.test, bob@initech.test")
        self.assertContains(response, "Invited: mia@initech.test, bob@initech.test.")
        mia = PortalUser.objects.get(email="mia@initech.test")
        self.assertEqual((mia.customer, mia.has_password), (self.customer_a1, False))
        run_worker()
        [message] = self.smtp.to("mia@initech.test")
        self.assertIn("Alan Agent invites you to the portal of Acme Support", text_of(message))
        link = re.search(r"http://127\.0\.0\.1:8000(/p/\S+)", text_of(message))
        assert link is not None
        self.client.logout()
        opened = self.client.get(link.group(1))
        self.assertRedirects(opened, "/p/acme-support/password/")
        self.client.post("/p/acme-support/password/", {"password1": "mia-Secret-42",
                                                        "password2": "mia-Secret-42"})
        # With a password, the session is no longer a link's: the billing tabs show.
        self.assertContains(self.client.get("/p/acme-support/requests/"),
                            "/p/acme-support/invoices/")

    def test_people_of_another_customer_or_revoked_are_not_taken_over(self) -> None:
        PortalUser.objects.filter(pk=self.portal_a1.pk).update(is_active=False)
        self.login_staff(self.agent_a)
        response = self.invite("hank@globex.test\npeter@initech.test", self.customer_a1.pk)
        self.assertContains(response, "Portal users of another customer, not invited: "
                                      "hank@globex.test.")
        self.assertContains(response, "Their access is revoked; grant it again first: "
                                      "peter@initech.test.")
        self.portal_a2.refresh_from_db()
        self.assertEqual(self.portal_a2.customer, self.customer_a2)
        run_worker()
        self.assertEqual(self.smtp.to("hank@globex.test"), [])
        self.assertEqual(self.smtp.to("peter@initech.test"), [])

    def test_bad_addresses_change_nothing(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(URL.format(pk=self.customer_a1.pk),
                                    {"emails": "good@initech.test, not-an-address"})
        self.assertContains(response, "Not an e-mail address: not-an-address", status_code=400)
        self.assertFalse(PortalUser.objects.filter(email="good@initech.test").exists())

    def test_viewers_and_other_organizations_cannot_invite(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.post(URL.format(pk=self.customer_a1.pk),
                                          {"emails": "x@y.test"}).status_code, 403)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.post(
            f"/app/other-org/customers/{self.customer_a1.pk}/portal-users/invite/",
            {"emails": "x@y.test"}).status_code, 404)
        self.assertFalse(PortalUser.objects.filter(email="x@y.test").exists())
