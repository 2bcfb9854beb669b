from __future__ import annotations

import datetime as dt

from django.utils import timezone

from frontdesk.portal.models import AccessLink, PortalUser
from frontdesk.portal.services import find_or_create_portal_user
from frontdesk.portal.tests.helpers import PortalTestCase, link_in
from frontdesk.support.models import Topic
from frontdesk.support.services import create_request


class PasswordlessLinkTests(PortalTestCase):
    def test_the_link_is_stored_only_as_a_hash(self) -> None:
        self.submit()
        path = link_in(self.smtp.to("rita@newco.test")[0])
        token = path.rstrip("/").rsplit("/", 1)[1]
        self.assertGreaterEqual(len(token), 40)
        self.assertFalse(AccessLink.objects.filter(token_hash=token).exists())
        self.assertEqual(AccessLink.objects.count(), 1)

    def test_the_link_leaves_the_address_bar(self) -> None:
        self.submit()
        response = self.client.get(link_in(self.smtp.to("rita@newco.test")[0]))
        self.assertRedirects(response, "/p/acme-support/requests/")

    def test_a_guessed_link_offers_a_new_one_without_revealing_anything(self) -> None:
        response = self.client.get("/p/acme-support/link/" + "a" * 43 + "/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "does not work any more", status_code=404)
        self.assertContains(response, 'name="email"', status_code=404)

    def test_an_expired_link_does_not_open_anything(self) -> None:
        self.submit()
        AccessLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        response = self.client.get(link_in(self.smtp.to("rita@newco.test")[0]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get("/p/acme-support/requests/").status_code, 302)

    def test_revoking_ends_the_link_and_the_session_it_opened(self) -> None:
        task = self.submit()
        self.open_link_of(self.smtp.to("rita@newco.test")[0])
        self.assertEqual(self.client.get("/p/acme-support/requests/").status_code, 200)
        self.login_staff(self.agent_a)
        self.client.post(f"/app/acme-support/requests/{task.pk}/revoke-links/")
        self.client.logout()
        response = self.client.get(f"/p/acme-support/requests/{task.pk}/")
        self.assertRedirects(
            response, f"/p/acme-support/login/?next=/p/acme-support/requests/{task.pk}/")

    def test_a_link_of_another_organization_does_not_open_this_portal(self) -> None:
        self.submit()
        path = link_in(self.smtp.to("rita@newco.test")[0])
        response = self.client.get(path.replace("/p/acme-support/", "/p/other-org/"))
        self.assertEqual(response.status_code, 404)

    def test_a_link_shows_only_that_persons_requests(self) -> None:
        # A colleague of the same customer made another request.
        topic = Topic.objects.for_org(self.org_a).get()
        colleague = PortalUser.objects.create(organization=self.org_a, customer=self.customer_a1,
                                              email="joanna@initech.test", first_name="Joanna")
        with self.sending():
            create_request(topic=topic, requester=colleague, title="Colleague's request",
                           description="x")
        own = self.submit(email="peter@initech.test", title="Peter's request")
        self.open_link_of(self.smtp.to("peter@initech.test")[0])
        response = self.client.get("/p/acme-support/requests/")
        self.assertContains(response, "Peter&#39;s request")
        self.assertNotContains(response, "Colleague")
        other = own.__class__.objects.get(title="Colleague's request")
        self.assertEqual(self.client.get(f"/p/acme-support/requests/{other.pk}/").status_code,
                         404)

    def test_asking_for_a_new_link_answers_the_same_for_known_and_unknown(self) -> None:
        with self.sending():
            known = self.client.post("/p/acme-support/link/", {"email": "peter@initech.test"})
            unknown = self.client.post("/p/acme-support/link/", {"email": "nobody@x.test"})
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertContains(known, "If peter@initech.test is known here")
        self.assertContains(unknown, "If nobody@x.test is known here")
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)
        self.assertEqual(self.smtp.to("nobody@x.test"), [])
        self.open_link_of(self.smtp.to("peter@initech.test")[0])

    def test_from_a_link_the_requester_sets_a_password_and_logs_in_with_it(self) -> None:
        self.submit()
        self.open_link_of(self.smtp.to("rita@newco.test")[0])
        response = self.client.post("/p/acme-support/password/", {
            "password1": "a-long-Secret-42", "password2": "a-long-Secret-42"})
        self.assertRedirects(response, "/p/acme-support/requests/")
        self.client.post("/p/acme-support/logout/")
        self.assertEqual(self.client.get("/p/acme-support/requests/").status_code, 302)
        response = self.client.post("/p/acme-support/login/", {
            "email": "rita@newco.test", "password": "a-long-Secret-42"})
        self.assertRedirects(response, "/p/acme-support/requests/")
        self.assertContains(self.client.get("/p/acme-support/requests/"), "Printer on fire")

    def test_a_weak_or_mismatched_password_is_refused(self) -> None:
        self.submit()
        self.open_link_of(self.smtp.to("rita@newco.test")[0])
        response = self.client.post("/p/acme-support/password/", {
            "password1": "12345678", "password2": "12345678"})
        self.assertContains(response, "too common")
        response = self.client.post("/p/acme-support/password/", {
            "password1": "a-long-Secret-42", "password2": "a-long-Secret-43"})
        self.assertContains(response, "The two passwords differ.")
        self.assertFalse(PortalUser.objects.get(email="rita@newco.test").has_password)

    def test_a_wrong_portal_password_gets_a_message(self) -> None:
        response = self.client.post("/p/acme-support/login/", {
            "email": "peter@initech.test", "password": "guess"})
        self.assertContains(response, "The e-mail or the password is not right.")

    def test_a_portal_session_is_nobody_under_app(self) -> None:
        self.login_portal(self.portal_a1)
        self.assertEqual(self.client.get("/p/acme-support/requests/").status_code, 200)
        response = self.client.get("/app/acme-support/")
        self.assertRedirects(response, "/login/?next=/app/acme-support/",
                             fetch_redirect_response=False)

    def test_a_portal_session_of_one_organization_is_nobody_at_another(self) -> None:
        self.login_portal(self.portal_a1)
        response = self.client.get("/p/other-org/requests/")
        self.assertEqual(response.status_code, 302)

    def test_matching_does_not_cross_organizations(self) -> None:
        portal_user = find_or_create_portal_user(organization=self.org_b,
                                                 email="office@initech.test",
                                                 first_name="X", last_name="Y")
        self.assertEqual(portal_user.customer.organization_id, self.org_b.pk)
