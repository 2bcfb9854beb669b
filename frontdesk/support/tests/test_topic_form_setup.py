"""Staff set up a topic's form (SPEC T3) and its automatic assignment (SPEC X6) on the
topic's page."""

from __future__ import annotations

from typing import Any

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.support.models import AssignmentMode, Topic
from frontdesk.support.topics import save_topic


def _fields(*rows: dict[str, Any], extra: int = 0) -> dict[str, Any]:
    """The POST of the fields' boxes: `rows` as filled in, then `extra` left empty."""
    data: dict[str, Any] = {"fields-TOTAL_FORMS": len(rows) + extra,
                            "fields-INITIAL_FORMS": 0, "fields-MIN_NUM_FORMS": 0,
                            "fields-MAX_NUM_FORMS": 1000}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"fields-{index}-{name}"] = value
    for index in range(len(rows), len(rows) + extra):
        data[f"fields-{index}-kind"] = "text"
    return data


class TopicFormSetupTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.url = f"/app/acme-support/settings/topics/{self.topic.pk}/"

    def post(self, *rows: dict[str, Any], extra: int = 1, **topic: Any) -> Any:
        data = {"name": "General", "group": self.topic.group_id,
                "assignees": [self.agent_a.pk], "assignment": "all", **topic,
                **_fields(*rows, extra=extra)}
        return self.client.post(self.url, data)

    def test_an_admin_adds_fields_of_each_kind_in_the_order_given(self) -> None:
        self.login_staff(self.admin_a)
        response = self.post(
            {"label": "Floor", "kind": "choice", "choices": "Ground\r\nFirst\r\n", "ORDER": 2},
            {"label": "Model", "kind": "text", "required": "on", "help": "On the back",
             "ORDER": 1},
            {"label": "Since", "kind": "date", "ORDER": 3})
        self.assertRedirects(response, "/app/acme-support/settings/portal/")
        fields = Topic.objects.get(pk=self.topic.pk).form_fields
        self.assertEqual([(f["label"], f["kind"], f["required"], f["choices"]) for f in fields],
                         [("Model", "text", True, []), ("Floor", "choice", False,
                                                        ["Ground", "First"]),
                          ("Since", "date", False, [])])
        self.assertEqual(fields[0]["help"], "On the back")
        self.assertEqual(len({f["key"] for f in fields}), 3)

    def test_the_page_shows_the_fields_and_keeps_their_keys_when_changed(self) -> None:
        save_topic(organization=self.org_a, topic=self.topic, name="General",
                   group=self.topic.group, assignees=[self.agent_a], form_fields=[
                       {"label": "Model", "kind": "text"}, {"label": "Pages", "kind": "number"}])
        key = Topic.objects.get(pk=self.topic.pk).form_fields[1]["key"]
        self.login_staff(self.admin_a)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="Pages"')
        self.assertContains(response, "Field “Model”")
        self.assertContains(response, "New field")
        # "Model" removed, "Pages" renamed.
        first_key = Topic.objects.get(pk=self.topic.pk).form_fields[0]["key"]
        self.post({"key": first_key, "label": "Model", "kind": "text", "DELETE": "on"},
                  {"key": key, "label": "Pages a day", "kind": "number"})
        fields = Topic.objects.get(pk=self.topic.pk).form_fields
        self.assertEqual([(f["key"], f["label"]) for f in fields], [(key, "Pages a day")])

    def test_a_choice_without_options_or_a_field_without_label_is_refused(self) -> None:
        self.login_staff(self.admin_a)
        response = self.post({"label": "Floor", "kind": "choice", "choices": " \r\n"},
                             {"label": "", "kind": "number", "required": "on"})
        self.assertContains(response, "Give the options, one a line.")
        self.assertContains(response, "This field is required.")
        self.assertEqual(Topic.objects.get(pk=self.topic.pk).form_fields, [])

    def test_an_unknown_kind_is_refused(self) -> None:
        self.login_staff(self.admin_a)
        response = self.post({"label": "Hack", "kind": "script"})
        self.assertContains(response, "Select a valid choice.")
        self.assertEqual(Topic.objects.get(pk=self.topic.pk).form_fields, [])

    def test_the_automatic_assignment_is_chosen_on_the_page(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(self.url)
        self.assertContains(response, "One at a time, in turn (round-robin)")
        self.post(assignment="round_robin")
        self.assertEqual(Topic.objects.get(pk=self.topic.pk).assignment,
                         AssignmentMode.ROUND_ROBIN)
        response = self.post(assignment="everyone_but_me")
        self.assertContains(response, "Select a valid choice.")
        self.assertEqual(Topic.objects.get(pk=self.topic.pk).assignment,
                         AssignmentMode.ROUND_ROBIN)

    def test_non_admins_and_other_organizations_cannot_change_them(self) -> None:
        self.login_staff(self.agent_a)
        self.assertEqual(self.post({"label": "X", "kind": "text"}).status_code, 403)
        self.client.logout()
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.url = f"/app/other-org/settings/topics/{self.topic.pk}/"
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.post({"label": "X", "kind": "text"}).status_code, 404)
        self.assertEqual(Topic.objects.get(pk=self.topic.pk).form_fields, [])
