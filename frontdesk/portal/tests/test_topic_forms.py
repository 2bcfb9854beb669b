"""A topic's own form (SPEC T3) on the public support form and the portal's new-request form:
asked, validated per kind, kept with the request and shown to staff and the requester only."""

from __future__ import annotations

from django.utils import translation

from frontdesk.organizations.models import Group, Organization
from frontdesk.portal.tests.helpers import PortalTestCase, form_data
from frontdesk.support.models import Task, Topic
from frontdesk.support.services import create_request
from frontdesk.support.topics import save_topic

FIELDS = [
    {"key": "model", "label": "Printer model", "kind": "text", "required": True,
     "help": "On the sticker at the back", "choices": []},
    {"key": "pages", "label": "Pages a day", "kind": "number", "required": False, "help": "",
     "choices": []},
    {"key": "since", "label": "Broken since", "kind": "date", "required": False, "help": "",
     "choices": []},
    {"key": "floor", "label": "Floor", "kind": "choice", "required": False, "help": "",
     "choices": ["Ground", "First"]},
    {"key": "urgent", "label": "Is it urgent?", "kind": "yes_no", "required": False,
     "help": "", "choices": []},
    {"key": "notes", "label": "Anything else", "kind": "textarea", "required": False,
     "help": "", "choices": []},
]


class TopicFormTestCase(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.general = Topic.objects.for_org(self.org_a).get()
        self.printers = save_topic(organization=self.org_a, name="Printers",
                                   group=Group.objects.for_org(self.org_a).get(),
                                   assignees=[self.agent_a], form_fields=FIELDS)

    def answers(self, **values: str) -> dict[str, str]:
        return {f"t{self.printers.pk}_{key}": value for key, value in values.items()}

    def tearDown(self) -> None:
        translation.deactivate()
        super().tearDown()


class PublicFormTests(TopicFormTestCase):
    def test_it_shows_each_topics_fields_under_its_name(self) -> None:
        response = self.client.get("/p/acme-support/support/")
        self.assertContains(response, "If your topic is “Printers”")
        self.assertContains(response, f'name="t{self.printers.pk}_model"')
        self.assertContains(response, "On the sticker at the back")
        self.assertContains(response, f'data-topic="{self.printers.pk}"')
        self.assertContains(response, "portal/topic_fields.js")

    def test_a_missing_required_answer_is_refused_in_the_visitors_language(self) -> None:
        Organization.objects.filter(pk=self.org_a.pk).update(language="tr")
        response = self.client.post("/p/acme-support/support/", form_data(
            topic=self.printers.pk, **self.answers(pages="12")), HTTP_ACCEPT_LANGUAGE="tr")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Bu alan zorunludur.")
        self.assertContains(response, 'aria-invalid="true"')
        self.assertFalse(Task.objects.exists())

    def test_each_kind_is_validated(self) -> None:
        response = self.client.post("/p/acme-support/support/", form_data(
            topic=self.printers.pk, **self.answers(
                model="x" * 501, pages="many", since="2026-13-45", floor="Roof",
                urgent="perhaps")))
        for message in ["Ensure this value has at most 500 characters",
                        "Enter a number.", "Enter a valid date.",
                        "Select a valid choice. Roof is not one of the available choices.",
                        "Select a valid choice. perhaps is not one of the available choices."]:
            self.assertContains(response, message)
        self.assertFalse(Task.objects.exists())

    def test_the_answers_are_kept_with_the_request(self) -> None:
        task = self.submit(topic=self.printers.pk, **self.answers(
            model=" LaserJet 4 ", pages="12.50", since="2026-11-02", floor="First",
            urgent="no"))
        self.assertEqual(task.answers, [
            {"key": "model", "label": "Printer model", "kind": "text", "value": "LaserJet 4"},
            {"key": "pages", "label": "Pages a day", "kind": "number", "value": "12.5"},
            {"key": "since", "label": "Broken since", "kind": "date", "value": "2026-11-02"},
            {"key": "floor", "label": "Floor", "kind": "choice", "value": "First"},
            {"key": "urgent", "label": "Is it urgent?", "kind": "yes_no", "value": False},
        ])

    def test_another_topics_fields_are_neither_required_nor_kept(self) -> None:
        task = self.submit(topic=self.general.pk, **self.answers(pages="lots"))
        self.assertIsNone(task.answers)

    def test_another_organizations_topic_fields_never_appear_nor_count(self) -> None:
        foreign = Topic.objects.for_org(self.org_b).get()
        save_topic(organization=self.org_b, topic=foreign, name=foreign.name,
                   group=foreign.group, assignees=[], form_fields=[
                       {"label": "Their secret question", "kind": "text", "required": True}])
        foreign.refresh_from_db()
        self.assertNotContains(self.client.get("/p/acme-support/support/"),
                               "Their secret question")
        key = foreign.form_fields[0]["key"]
        task = self.submit(topic=self.general.pk, **{f"t{foreign.pk}_{key}": "smuggled"})
        self.assertIsNone(task.answers)
        response = self.client.post("/p/acme-support/support/", form_data(topic=foreign.pk))
        self.assertContains(response, "Select a valid choice")


class AnswersShownTests(TopicFormTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.task = create_request(topic=self.printers, requester=self.portal_a1,
                                   title="Jammed", description="Paper stuck",
                                   answers={"model": "LaserJet 4", "urgent": "yes",
                                            "since": "2026-11-02"})

    def test_staff_see_the_answers_on_the_request(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.get(f"/app/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, "<dt>Printer model</dt><dd>LaserJet 4</dd>", html=True)
        self.assertContains(response, "<dt>Is it urgent?</dt><dd>Yes</dd>", html=True)

    def test_the_requester_sees_their_answers(self) -> None:
        self.login_portal(self.portal_a1)
        response = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, "<dt>Printer model</dt><dd>LaserJet 4</dd>", html=True)

    def test_another_customers_portal_user_and_another_organization_get_404(self) -> None:
        self.login_portal(self.portal_a2)
        response = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
        self.assertEqual(response.status_code, 404)
        self.client.logout()
        self.login_staff(self.staff_b)
        response = self.client.get(f"/app/other-org/requests/{self.task.pk}/")
        self.assertEqual(response.status_code, 404)
        response = self.client.get(f"/app/acme-support/requests/{self.task.pk}/")
        self.assertNotContains(response, "LaserJet 4", status_code=response.status_code)

    def test_answers_stay_readable_after_their_field_is_removed_or_renamed(self) -> None:
        save_topic(organization=self.org_a, topic=self.printers, name="Printers",
                   group=self.printers.group, assignees=[self.agent_a],
                   form_fields=[{**FIELDS[1], "label": "Pages a week"}])
        self.login_staff(self.agent_a)
        response = self.client.get(f"/app/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, "<dt>Printer model</dt><dd>LaserJet 4</dd>", html=True)
        self.client.logout()
        self.login_portal(self.portal_a1)
        response = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, "<dt>Printer model</dt><dd>LaserJet 4</dd>", html=True)

    def test_the_answers_are_listed_nowhere_else(self) -> None:
        self.login_staff(self.agent_a)
        self.assertNotContains(self.client.get("/app/acme-support/requests/"), "LaserJet 4")
        self.client.logout()
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get("/p/acme-support/requests/"), "LaserJet 4")


class PortalNewRequestTests(TopicFormTestCase):
    def test_a_signed_in_requester_answers_the_chosen_topics_fields(self) -> None:
        self.login_portal(self.portal_a1)
        response = self.client.get("/p/acme-support/requests/new/")
        self.assertContains(response, f'name="t{self.printers.pk}_model"')
        response = self.client.post("/p/acme-support/requests/new/", {
            "topic": self.printers.pk, "title": "Jammed", "description": "Stuck",
            **self.answers(model="LaserJet 4", floor="Ground")})
        task = Task.objects.get()
        self.assertRedirects(response, f"/p/acme-support/requests/{task.pk}/")
        self.assertEqual([(a["label"], a["value"]) for a in task.answers or []],
                         [("Printer model", "LaserJet 4"), ("Floor", "Ground")])

    def test_a_missing_required_answer_creates_nothing(self) -> None:
        self.login_portal(self.portal_a1)
        response = self.client.post("/p/acme-support/requests/new/", {
            "topic": self.printers.pk, "title": "Jammed", "description": "Stuck"})
        self.assertContains(response, "This field is required.")
        self.assertFalse(Task.objects.exists())

    def test_with_one_topic_its_fields_are_asked_without_a_choice(self) -> None:
        Topic.objects.filter(pk=self.general.pk).delete()
        self.login_portal(self.portal_a1)
        response = self.client.get("/p/acme-support/requests/new/")
        self.assertNotContains(response, 'name="topic"')
        self.assertContains(response, "About your request")
        self.assertNotContains(response, "topic_fields.js")
        self.client.post("/p/acme-support/requests/new/", {
            "title": "Jammed", "description": "Stuck", **self.answers(model="X1")})
        self.assertEqual(Task.objects.get().answers[0]["value"], "X1")  # type: ignore[index]
