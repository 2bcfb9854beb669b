"""A portal page reads the portal's settings and the visitor's session in one query; the
session behaves as Django's own would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frontdesk.accounts.models import Session
from frontdesk.accounts.sessions import signed_in_portal_user_id
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.models import Customer
from frontdesk.portal.models import PortalUser

LIST = "/p/acme-support/requests/"


def viewer_of(response: Any) -> PortalUser | None:
    request = response.wsgi_request
    return request.viewer.portal_user if request.viewer else None


class PortalSessionTests(FrontdeskTestCase):
    def test_the_portal_the_session_and_the_person_come_in_one_query(self) -> None:
        self.login_portal(self.portal_a1)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        first = queries.captured_queries[0]["sql"]
        self.assertIn("portal_portalsettings", first)
        self.assertIn("accounts_session", first)
        self.assertIn("portal_portaluser", first)
        # The portal with the session and its person, then the page of requests.
        self.assertEqual(len(queries), 2)
        self.assertIn("Cookie", response.get("Vary", ""))
        viewer = viewer_of(response)
        assert viewer is not None
        self.assertEqual((viewer.pk, viewer.email, viewer.customer_id, viewer.is_active),
                         (self.portal_a1.pk, "peter@initech.test", self.customer_a1.pk, True))
        # What the page did not read along is read when asked for.
        self.assertEqual(viewer.created_at, self.portal_a1.created_at)

    def _column(self, portal_user_id: int | None) -> None:
        Session.objects.filter(session_key=self.client.session.session_key).update(
            portal_user_id=portal_user_id)

    def test_the_session_column_names_whom_the_data_signed_in_last(self) -> None:
        self.login_portal(self.portal_a1)
        session = Session.objects.get(session_key=self.client.session.session_key)
        self.assertEqual(session.portal_user_id, self.portal_a1.pk)
        self.assertEqual(signed_in_portal_user_id(
            {"portal:1": {"user": 5}, "other": {"user": 9}, "portal:2": {"user": 7}}), 7)
        self.assertIsNone(signed_in_portal_user_id({"portal:1": {"user": "5"}, "x": 1}))

    def test_the_data_decides_whom_the_page_shows_whatever_the_column_names(self) -> None:
        customer_b = Customer.objects.create(organization=self.org_b, short_name="Other Co")
        portal_b = PortalUser.objects.create(organization=self.org_b, customer=customer_b,
                                             email="peter@initech.test")
        self.login_portal(self.portal_a1)
        for named in (self.portal_a2.pk, portal_b.pk, None, 10**9):
            with self.subTest(column=named):
                self._column(named)
                response = self.client.get(LIST)
                self.assertEqual(response.status_code, 200)
                viewer = viewer_of(response)
                assert viewer is not None
                self.assertEqual(viewer.pk, self.portal_a1.pk)
                self.assertNotContains(response, "Hank")

    def test_a_column_naming_someone_the_data_does_not_sign_in_signs_in_nobody(self) -> None:
        self.client.cookies["sessionid"] = "z" * 32
        session = self.client.session
        session["unrelated"] = 1
        session.save()
        self.client.cookies["sessionid"] = session.session_key or ""
        self._column(self.portal_a2.pk)
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/p/acme-support/login/", response["Location"])

    def test_a_deactivated_person_or_a_changed_password_ends_the_session(self) -> None:
        self.login_portal(self.portal_a1)
        PortalUser.objects.filter(pk=self.portal_a1.pk).update(is_active=False)
        self.assertEqual(self.client.get(LIST).status_code, 302)
        PortalUser.objects.filter(pk=self.portal_a1.pk).update(is_active=True)
        self.assertEqual(self.client.get(LIST).status_code, 200)
        self.portal_a1.set_password("a new password 123")
        self.portal_a1.save(update_fields=["password"])
        self.assertEqual(self.client.get(LIST).status_code, 302)

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
