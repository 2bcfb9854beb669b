"""Signing up to the portal (SPEC P5, P6): where the organization allows it, the e-mailed link
proves the address before anything of a customer is reachable; the person joins the customer
whose e-mail is theirs; the page never tells who is known."""

from __future__ import annotations

import re

from django.http import HttpResponseBase

from frontdesk.core.testing import FrontdeskTestCase, run_worker, text_of
from frontdesk.customers.models import Customer
from frontdesk.portal.models import PortalSettings, PortalUser

URL = "/p/acme-support/signup/"


class SignUpTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        PortalSettings.objects.filter(organization=self.org_a).update(signup_enabled=True)

    def sign_up(self, email: str, **extra: str) -> HttpResponseBase:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(URL, {"first_name": "Mia", "last_name": "Lane",
                                              "email": email, "website": "", **extra})
        run_worker()
        return response

    def test_someone_of_a_known_company_joins_it_after_opening_the_link(self) -> None:
        response = self.sign_up("office@initech.test")
        self.assertContains(response, "A link is on its way to office@initech.test.")
        person = PortalUser.objects.get(email="office@initech.test")
        self.assertEqual((person.customer, person.has_password), (self.customer_a1, False))
        # Nothing of Initech's before the link is opened.
        self.assertEqual(self.client.get("/p/acme-support/requests/").status_code, 302)
        [message] = self.smtp.to("office@initech.test")
        link = re.search(r"http://127\.0\.0\.1:8000(/p/\S+)", text_of(message))
        assert link is not None
        self.assertRedirects(self.client.get(link.group(1)), "/p/acme-support/password/")

    def test_an_unknown_company_gets_a_customer_record_of_its_own(self) -> None:
        self.sign_up("mia@newco.test")
        person = PortalUser.objects.get(email="mia@newco.test")
        self.assertNotIn(person.customer_id, (self.customer_a1.pk, self.customer_a2.pk))
        self.assertEqual(Customer.objects.get(pk=person.customer_id).email, "mia@newco.test")

    def test_a_known_person_gets_a_link_and_the_same_answer(self) -> None:
        response = self.sign_up("peter@initech.test")
        self.assertContains(response, "A link is on its way to peter@initech.test.")
        self.assertEqual(PortalUser.objects.filter(email="peter@initech.test").count(), 1)
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)

    def test_robots_and_closed_portals_make_nothing(self) -> None:
        self.sign_up("bot@spam.test", website="http://spam.test")
        self.assertFalse(PortalUser.objects.filter(email="bot@spam.test").exists())
        PortalSettings.objects.filter(organization=self.org_a).update(signup_enabled=False)
        self.assertEqual(self.client.get(URL).status_code, 404)
        self.assertNotContains(self.client.get("/p/acme-support/login/"), URL)
