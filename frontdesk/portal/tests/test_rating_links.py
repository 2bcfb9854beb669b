"""The rating links of the "your request was closed" e-mail (SPEC X2), taken from the e-mail
really sent and followed as a visitor: a GET shows the choice and changes nothing, the POST
rates; a link is good for its request and person only, and not once expired, revoked or
tampered with."""

from __future__ import annotations

import datetime as dt
import re

from django.core import signing
from django.test import Client
from django.utils import timezone

from frontdesk.core.testing import FrontdeskTestCase, text_of
from frontdesk.portal.access_links import revoke_access_links, set_portal_access
from frontdesk.portal.memberships import add_portal_membership, remove_portal_membership
from frontdesk.portal.models import AccessLink, PortalFor, PortalSettings, PortalUser
from frontdesk.support.models import Status, Task, TaskEvent, Topic
from frontdesk.support.services import change_customer, change_status, create_request

LINK = re.compile(r"http://127\.0\.0\.1:8000(/p/acme-support/requests/(\d+)/rating/"
                  r"([^/\s]+)/)\?rating=(\w+)")
INVALID = "This rating link does not work"


class RatingLinkTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.task = self.closed_request(self.portal_a1, "VPN is down")

    def closed_request(self, requester: object, title: str) -> Task:
        with self.sending():
            task = create_request(topic=self.topic,
                                  requester=requester,  # type: ignore[arg-type]
                                  title=title, description="...")
        self.smtp.clear()
        with self.sending():
            change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        return task

    def links(self, task: Task, address: str = "peter@initech.test") -> dict[str, str]:
        """The rating links of the e-mail about `task`: page path by rating."""
        [message] = [m for m in self.smtp.to(address)
                     if f"[#{task.pk}]" in str(m["Subject"])]
        return {rating: path for path, _task, _token, rating in LINK.findall(text_of(message))}

    def rated(self) -> tuple[str, str, int]:
        self.task.refresh_from_db()
        events = TaskEvent.objects.filter(task=self.task, kind=TaskEvent.Kind.RATED).count()
        return self.task.rating, self.task.rating_comment, events

    def test_a_get_shows_the_choice_and_changes_nothing(self) -> None:
        path = self.links(self.task)["bad"]
        response = self.client.get(f"{path}?rating=bad")
        self.assertContains(response, "VPN is down")
        self.assertRegex(response.content.decode(), r'value="bad"[^>]*checked')
        self.assertContains(response, "Send your rating")
        self.assertEqual(self.rated(), ("", "", 0))
        # The link opened no portal session.
        self.assertEqual(self.client.get("/p/acme-support/requests/").status_code, 302)

    def test_a_post_rates_without_signing_in(self) -> None:
        path = self.links(self.task)["good"]
        response = self.client.post(path, {"rating": "bad", "comment": " Too slow. "})
        self.assertRedirects(response, path, fetch_redirect_response=False)
        self.assertEqual(self.rated(), ("bad", "Too slow.", 1))
        event = TaskEvent.objects.get(task=self.task, kind=TaskEvent.Kind.RATED)
        self.assertEqual(event.portal_actor_id, self.portal_a1.pk)
        page = self.client.get(path)
        self.assertContains(page, "Thank you for your rating.")
        self.assertContains(page, "Change your rating")
        self.assertRegex(page.content.decode(), r'value="bad"[^>]*checked')

    def test_a_visitor_rates_with_the_page_s_own_csrf_token(self) -> None:
        # As a browser does: the page sets the CSRF cookie and token for a visitor.
        browser = Client(enforce_csrf_checks=True)
        path = self.links(self.task)["good"]
        self.assertEqual(browser.post(path, {"rating": "good"}).status_code, 403)
        page = browser.get(f"{path}?rating=good").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page
        response = browser.post(path, {"rating": "good", "csrfmiddlewaretoken": token[1]})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.rated(), ("good", "", 1))

    def test_it_works_signed_in_too(self) -> None:
        self.login_portal(self.portal_a1)
        path = self.links(self.task)["good"]
        self.assertContains(self.client.get(f"{path}?rating=good"), "VPN is down")
        self.assertRedirects(self.client.post(path, {"rating": "good"}), path)
        self.assertEqual(self.rated(), ("good", "", 1))

    def test_a_bad_choice_is_refused_with_the_form_again(self) -> None:
        path = self.links(self.task)["good"]
        self.assertEqual(self.client.get(f"{path}?rating=meh").status_code, 200)
        for data in ({"rating": "meh"}, {}):
            with self.subTest(data=data):
                self.assertContains(self.client.post(path, data), "VPN is down",
                                    status_code=400)
        self.assertEqual(self.rated(), ("", "", 0))

    def test_a_link_for_one_request_cannot_rate_another(self) -> None:
        token = self.token_of(self.task)
        other = self.closed_request(self.portal_a1, "Printer jammed")
        wrong = f"/p/acme-support/requests/{other.pk}/rating/{token}/"
        self.assertContains(self.client.get(f"{wrong}?rating=bad"), INVALID, status_code=404)
        self.assertContains(self.client.post(wrong, {"rating": "bad"}), INVALID,
                            status_code=404)
        other.refresh_from_db()
        self.assertEqual((other.rating, self.rated()), ("", ("", "", 0)))

    def test_another_customers_request_cannot_be_rated_with_it(self) -> None:
        token = self.token_of(self.task)
        theirs = self.closed_request(self.portal_a2, "Globex secret")
        url = f"/p/acme-support/requests/{theirs.pk}/rating/{token}/"
        response = self.client.post(url, {"rating": "bad"})
        self.assertContains(response, INVALID, status_code=404)
        self.assertNotContains(response, "Globex secret", status_code=404)
        theirs.refresh_from_db()
        self.assertEqual(theirs.rating, "")

    def test_another_customers_person_signed_in_rates_nothing_else(self) -> None:
        # Hank (Globex) signed in follows Peter's link: it rates Peter's request as Peter
        # (the link is the credential), and never opens Globex's request to it.
        path = self.links(self.task)["good"]
        theirs = self.closed_request(self.portal_a2, "Globex secret")
        self.login_portal(self.portal_a2)
        hanks = self.token_of(theirs, "hank@globex.test")
        self.assertContains(self.client.post(
            f"/p/acme-support/requests/{self.task.pk}/rating/{hanks}/", {"rating": "bad"}),
            INVALID, status_code=404)
        self.assertEqual(self.rated(), ("", "", 0))
        self.client.post(path, {"rating": "good"})
        self.assertEqual(self.rated(), ("good", "", 1))
        event = TaskEvent.objects.get(task=self.task, kind=TaskEvent.Kind.RATED)
        self.assertEqual(event.portal_actor_id, self.portal_a1.pk)

    def token_of(self, task: Task, address: str = "peter@initech.test") -> str:
        path = self.links(task, address)["good"]
        return path.rstrip("/").rsplit("/", 1)[1]

    def test_a_request_moved_to_another_customer_cannot_be_rated(self) -> None:
        path = self.links(self.task)["good"]
        change_customer(task=self.task, customer=self.customer_a2, by=self.agent_a)
        self.assertContains(self.client.post(path, {"rating": "bad"}), INVALID,
                            status_code=404)
        self.assertEqual(self.rated(), ("", "", 0))

    def test_another_organizations_portal_does_not_take_it(self) -> None:
        path = self.links(self.task)["good"]
        url = path.replace("/p/acme-support/", f"/p/{self.org_b.slug}/")
        self.assertEqual(self.client.post(url, {"rating": "bad"}).status_code, 404)
        self.assertEqual(self.rated(), ("", "", 0))

    def test_a_tampered_token_does_nothing(self) -> None:
        token = self.token_of(self.task)
        ids, signature = token.split(":", 1)
        link_id, task_id = ids.split(".")
        forged = [
            f"{ids}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
            f"{int(link_id) + 1}.{task_id}:{signature}",
            signing.Signer().sign(ids),  # signed, but not as a rating link
            "nonsense", f"{ids}",
        ]
        for bad in forged:
            with self.subTest(token=bad):
                url = f"/p/acme-support/requests/{self.task.pk}/rating/{bad}/"
                self.assertContains(self.client.get(url), INVALID, status_code=404)
                self.assertContains(self.client.post(url, {"rating": "bad"}), INVALID,
                                    status_code=404)
        self.assertEqual(self.rated(), ("", "", 0))

    def test_a_revoked_or_expired_link_does_nothing(self) -> None:
        path = self.links(self.task)["good"]
        revoke_access_links(portal_user=self.portal_a1)
        self.assertContains(self.client.get(path), INVALID, status_code=404)
        self.assertContains(self.client.post(path, {"rating": "bad"}), INVALID,
                            status_code=404)
        self.task = self.closed_request(self.portal_a1, "Second")
        path = self.links(self.task)["good"]
        AccessLink.objects.filter(portal_user=self.portal_a1).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertContains(self.client.post(path, {"rating": "bad"}), INVALID,
                            status_code=404)
        self.assertEqual(self.rated(), ("", "", 0))

    def test_a_person_who_lost_access_cannot_rate(self) -> None:
        path = self.links(self.task)["good"]
        set_portal_access(portal_user=self.portal_a1, active=False)
        self.assertContains(self.client.post(path, {"rating": "bad"}), INVALID,
                            status_code=404)
        set_portal_access(portal_user=self.portal_a1, active=True)  # the link stays revoked
        self.assertContains(self.client.post(path, {"rating": "bad"}), INVALID,
                            status_code=404)
        self.assertEqual(self.rated(), ("", "", 0))

    def test_a_customer_kept_out_of_the_portal_cannot_rate(self) -> None:
        path = self.links(self.task)["good"]
        PortalSettings.objects.filter(organization=self.org_a).update(
            portal_for=PortalFor.SELECTED)
        self.assertContains(self.client.post(path, {"rating": "bad"}), INVALID,
                            status_code=404)
        self.assertEqual(self.rated(), ("", "", 0))

    def test_a_request_reopened_meanwhile_cannot_be_rated(self) -> None:
        path = self.links(self.task)["good"]
        change_status(task=self.task, status=Status.OPEN, by=self.agent_a)
        response = self.client.get(f"{path}?rating=good")
        self.assertContains(response, "opened again")
        self.assertNotContains(response, 'id="rating"')
        self.assertContains(self.client.post(path, {"rating": "good"}), "opened again",
                            status_code=400)
        self.assertEqual(self.rated(), ("", "", 0))

    def test_the_page_is_read_in_four_statements(self) -> None:
        # The portal's settings, the link with its person, their customer's terms, the
        # request: however many requests and links the person has.
        path = self.links(self.task)["good"]
        for number in range(5):
            self.closed_request(self.portal_a1, f"Other {number}")
        self.client.post(path, {"rating": "good", "comment": "Fine."})
        with self.assertNumQueries(4):
            self.assertContains(self.client.get(f"{path}?rating=bad"), "VPN is down")

    def test_a_person_acting_for_another_customer_rates_while_acting_for_it(self) -> None:
        # SPEC X7: Anna (Initech's) acts for Globex too; her request for Globex is rated
        # through her link, which stops working once she no longer acts for Globex.
        anna = PortalUser.objects.create(organization=self.org_a, customer=self.customer_a1,
                                         email="anna@books.test", first_name="Anna")
        membership = add_portal_membership(customer=self.customer_a2, email=anna.email,
                                           by=self.admin_a)
        with self.sending():
            task = create_request(topic=self.topic, requester=anna, title="Globex payroll",
                                  description="...")
            change_customer(task=task, customer=self.customer_a2, by=self.agent_a)
        self.smtp.clear()
        with self.sending():
            change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        paths = self.links(task, "anna@books.test")
        self.assertContains(self.client.get(paths["good"]), "Globex payroll")
        self.assertEqual(self.client.post(paths["good"], {"rating": "good"}).status_code, 302)
        remove_portal_membership(membership=membership, by=self.admin_a)
        self.assertContains(self.client.post(paths["bad"], {"rating": "bad"}), INVALID,
                            status_code=404)
        # Its links were revoked with the membership: acting for Globex again does not
        # bring them back.
        add_portal_membership(customer=self.customer_a2, email=anna.email, by=self.admin_a)
        self.assertContains(self.client.post(paths["bad"], {"rating": "bad"}), INVALID,
                            status_code=404)
        task.refresh_from_db()
        self.assertEqual(task.rating, "good")
