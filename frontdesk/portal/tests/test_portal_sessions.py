"""A portal page reads the portal's settings and the visitor's session in one query; the
session behaves as Django's own would."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frontdesk.accounts.models import Session
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.models import Customer
from frontdesk.portal.models import PortalUser

LIST = "/p/acme-support/requests/"


class PortalSessionTests(FrontdeskTestCase):
    def test_the_portal_and_the_session_come_in_one_query(self) -> None:
        self.login_portal(self.portal_a1)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        first = queries.captured_queries[0]["sql"]
        self.assertIn("portal_portalsettings", first)
        self.assertIn("accounts_session", first)
        # The portal with the session, the signed-in person, the page of requests.
        self.assertEqual(len(queries), 3)
        self.assertIn("Cookie", response.get("Vary", ""))

    def test_an_expired_session_is_nobody(self) -> None:
        self.login_portal(self.portal_a1)
        Session.objects.filter(session_key=self.client.session.session_key).update(
            expire_date=timezone.now() - dt.timedelta(seconds=1))
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/p/acme-support/login/", response["Location"])

    def test_a_cookie_naming_no_session_is_nobody_and_gets_a_new_session_later(self) -> None:
        self.client.cookies["sessionid"] = "x" * 32
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("x" * 32, Session.objects.values_list("session_key", flat=True))
        self.login_portal(self.portal_a1)
        self.assertEqual(self.client.get(LIST).status_code, 200)

    def test_another_organizations_portal_session_is_nobody_here(self) -> None:
        customer = Customer.objects.create(organization=self.org_b, short_name="Other Co")
        self.login_portal(PortalUser.objects.create(
            organization=self.org_b, customer=customer, email="peter@initech.test"))
        self.assertEqual(self.client.get("/p/other-org/requests/").status_code, 200)
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 302)

    def test_an_unknown_portal_is_404_with_or_without_a_session(self) -> None:
        self.assertEqual(self.client.get("/p/no-such-portal/requests/").status_code, 404)
        self.login_portal(self.portal_a1)
        self.assertEqual(self.client.get("/p/no-such-portal/requests/").status_code, 404)
