"""Severity, category and solution of a request (SPEC T6): staff set them, each change is in
the activity, the customer reads the solution on their request (and no other customer does),
bad input changes nothing, and only the organization's contributors may change them."""

from __future__ import annotations

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import Category, Severity, Task, TaskEvent, Topic
from frontdesk.support.services import create_request, describe

LIST = "/app/acme-support/requests/"
SOLUTION = "Restart the print spooler,\nthen print a test page."


class DescribeTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.task = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                                   requester=self.portal_a1, title="Printer offline",
                                   description="Since Monday.")
        self.url = f"{LIST}{self.task.pk}/describe/"

    def events(self) -> list[tuple[str, dict[str, object]]]:
        return list(TaskEvent.objects.filter(task=self.task).exclude(
            kind=TaskEvent.Kind.CREATED).order_by("pk").values_list("kind", "data"))

    def test_staff_set_them_and_the_customer_reads_the_solution(self) -> None:
        self.login_staff(self.agent_a)
        self.assertContains(self.client.get(f"{LIST}{self.task.pk}/"), self.url)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        response = self.client.post(self.url, {"severity": Severity.CRITICAL,
                                               "category": Category.SMALL,
                                               "solution": f"  {SOLUTION}  "})
        self.assertRedirects(response, f"{LIST}{self.task.pk}/")
        self.task.refresh_from_db()
        self.assertEqual((self.task.severity, self.task.category, self.task.solution),
                         (Severity.CRITICAL, Category.SMALL, SOLUTION))
        self.assertEqual(self.events(), [
            ("severity", {"from": "", "to": "critical"}),
            ("category", {"from": "", "to": "small"}),
            ("solution", {"written": True})])
        page = self.client.get(f"{LIST}{self.task.pk}/").content.decode()
        for text in ("<dd>Critical</dd>", "<dd>Small problem</dd>", SOLUTION,
                     "Alan Agent changed the severity", "Alan Agent changed the solution"):
            self.assertIn(text, page)

        # The customer's portal users read the solution; not severity or category (SPEC P11).
        for portal_user in (self.portal_a1, self.other_user_of_customer_a1()):
            self.login_portal(portal_user)
            portal_page = self.client.get(
                f"/p/acme-support/requests/{self.task.pk}/").content.decode()
            self.assertIn(SOLUTION, portal_page)
            self.assertNotIn("Critical", portal_page)
        # Another customer's user has no way to it.
        self.login_portal(self.portal_a2)
        self.assertEqual(
            self.client.get(f"/p/acme-support/requests/{self.task.pk}/").status_code, 404)

        # Saved again unchanged: no new event. Then cleared.
        self.login_staff(self.agent_a)
        self.client.post(self.url, {"severity": Severity.CRITICAL, "category": Category.SMALL,
                                    "solution": SOLUTION})
        self.assertEqual(len(self.events()), 3)
        self.client.post(self.url, {"severity": "", "category": "", "solution": "  "})
        self.task.refresh_from_db()
        self.assertEqual((self.task.severity, self.task.category, self.task.solution),
                         ("", "", ""))
        self.assertEqual(self.events()[3:], [
            ("severity", {"from": "critical", "to": ""}),
            ("category", {"from": "small", "to": ""}),
            ("solution", {"written": False})])
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get(f"/p/acme-support/requests/{self.task.pk}/"),
                               'id="solution"')

    def other_user_of_customer_a1(self) -> PortalUser:
        return PortalUser.objects.create(organization=self.org_a, customer=self.customer_a1,
                                         email="colleague@a1.test", first_name="Col")

    def test_bad_input_changes_nothing(self) -> None:
        self.login_staff(self.agent_a)
        for data in ({"severity": "apocalyptic", "solution": "x"},
                     {"category": "medium", "solution": "x"},
                     {"severity": Severity.MINOR, "solution": "x" * 20001}):
            with self.subTest(data=data):
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="errors"')
        self.task.refresh_from_db()
        self.assertEqual((self.task.severity, self.task.category, self.task.solution),
                         ("", "", ""))
        self.assertEqual(self.events(), [])

    def test_viewers_and_other_organizations_cannot_change_them(self) -> None:
        data = {"severity": Severity.MAJOR, "solution": "Leaked?"}
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, data).status_code, 403)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        other = f"/app/other-org/requests/{self.task.pk}/describe/"
        self.assertEqual(self.client.post(other, data).status_code, 404)
        self.task.refresh_from_db()
        self.assertEqual((self.task.severity, self.task.solution), ("", ""))

    def test_the_service_records_only_what_changed(self) -> None:
        describe(task=self.task, severity=Severity.FEATURE, category=None, solution="",
                 by=self.agent_a)
        describe(task=self.task, severity=Severity.FEATURE, category=Category.OTHER,
                 solution="", by=self.agent_a)
        self.assertEqual(self.events(), [("severity", {"from": "", "to": "feature"}),
                                         ("category", {"from": "", "to": "other"})])
        self.assertEqual(Task.objects.get(pk=self.task.pk).category, Category.OTHER)


class SolutionNoticeTests(FrontdeskTestCase):
    """The requester is told by e-mail when staff write or change the solution, with a fresh
    link; not for the severity or category, nor when the solution is gone by delivery."""

    def setUp(self) -> None:
        super().setUp()
        with self.sending():
            self.task = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                                       requester=self.portal_a1, title="Printer offline",
                                       description="Since Monday.")
        self.smtp.clear()

    def describe(self, **changes: object) -> None:
        values: dict[str, object] = {"severity": None, "category": None, "solution": "",
                                     **changes}
        describe(task=self.task, by=self.agent_a, **values)  # type: ignore[arg-type]

    def test_the_requester_reads_the_solution_in_an_e_mail_with_a_link(self) -> None:
        with self.sending():
            self.describe(severity=Severity.MAJOR)
        self.assertEqual(self.smtp.messages, [])
        with self.sending():
            self.describe(severity=Severity.MAJOR, solution=SOLUTION)
        [mail] = self.smtp.to(self.portal_a1.email)
        self.assertIn("A solution to your request: Printer offline", mail["Subject"])
        body = mail.get_body(preferencelist=("plain",))
        assert body is not None
        text = body.get_content()
        self.assertIn("Restart the print spooler,", text)
        self.assertIn("/p/acme-support/link/", text)
        self.assertEqual(len(self.smtp.messages), 1)  # to no one else
        # Saved again unchanged, or cleared: nothing more.
        with self.sending():
            self.describe(severity=Severity.MAJOR, solution=SOLUTION)
            self.describe(severity=Severity.MAJOR, solution="")
        self.assertEqual(len(self.smtp.messages), 1)

    def test_a_solution_taken_away_before_delivery_is_not_sent(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.describe(solution=SOLUTION)
        Task.objects.filter(pk=self.task.pk).update(solution="")
        with self.sending():
            pass
        self.assertEqual(self.smtp.messages, [])
