"""The schema of topics' forms and of the answers kept with requests (support.topic_fields),
checked by the actions that write them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.support.models import Task, Topic
from frontdesk.support.services import create_request
from frontdesk.support.topic_fields import (
    MAX_FIELDS,
    Answer,
    answer_lines,
    build_answers,
    clean_definitions,
)
from frontdesk.support.topics import save_topic


class DefinitionTests(FrontdeskTestCase):
    def test_keys_are_made_for_new_fields_and_repaired_when_doubled_or_odd(self) -> None:
        fields = clean_definitions([
            {"label": "A", "kind": "text"}, {"key": "same", "label": "B", "kind": "text"},
            {"key": "same", "label": "C", "kind": "text"},
            {"key": "<b>", "label": "D", "kind": "text"}])
        keys = [field["key"] for field in fields]
        self.assertEqual(keys[1], "same")
        self.assertEqual(len(set(keys)), 4)
        self.assertTrue(all(key.isalnum() for key in keys))

    def test_options_are_trimmed_and_kept_once(self) -> None:
        [field] = clean_definitions([{"label": "Floor", "kind": "choice",
                                      "choices": [" 1 ", "", "2", "1"]}])
        self.assertEqual(field["choices"], ["1", "2"])

    def test_what_cannot_be_kept_is_refused(self) -> None:
        for fields in ([{"label": " ", "kind": "text"}], [{"label": "X", "kind": "html"}],
                       [{"label": "X", "kind": "choice", "choices": []}],
                       [{"label": f"F{n}", "kind": "text"} for n in range(MAX_FIELDS + 1)]):
            with self.subTest(fields=fields[:1]), self.assertRaises(ValidationError):
                clean_definitions(fields)

    def test_save_topic_refuses_a_bad_form_and_changes_nothing(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        with self.assertRaises(ValidationError):
            save_topic(organization=self.org_a, topic=topic, name="Renamed", group=topic.group,
                       assignees=[], form_fields=[{"label": "", "kind": "text"}])
        topic.refresh_from_db()
        self.assertEqual((topic.name, topic.form_fields), ("General", []))


class AnswerTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = save_topic(
            organization=self.org_a, topic=Topic.objects.for_org(self.org_a).get(),
            name="General", group=Topic.objects.for_org(self.org_a).get().group,
            assignees=[self.agent_a],
            form_fields=[{"key": "model", "label": "Model", "kind": "text", "required": True},
                         {"key": "ok", "label": "Working?", "kind": "yes_no"}])

    def test_the_action_refuses_a_missing_required_answer_or_a_stranger(self) -> None:
        for answers in ({"ok": "yes"}, {"model": "X", "admin": "1"}):
            with self.subTest(answers=answers), self.assertRaises(ValidationError):
                create_request(topic=self.topic, requester=self.portal_a1, title="T",
                               description="D", answers=answers)
        self.assertFalse(Task.objects.exists())

    def test_unanswered_optional_fields_are_left_out(self) -> None:
        self.assertEqual(build_answers(self.topic.form_fields, {"model": "X", "ok": ""}),
                         [{"key": "model", "label": "Model", "kind": "text", "value": "X"}])
        self.assertIsNone(build_answers([], {}))

    def test_answers_are_shown_in_the_readers_language(self) -> None:
        answers = [Answer(key="a", label="Working?", kind="yes_no", value=True),
                   Answer(key="b", label="Since", kind="date", value="2026-11-02")]
        with translation.override("nl"):
            self.assertEqual(answer_lines(answers), [("Working?", "Ja"), ("Since", "2-11-2026")])
