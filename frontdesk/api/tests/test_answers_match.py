"""The request list and detail make their answers from rows (api/rows.py), without django-ninja's
validation: they must be exactly what validating the model-based payloads (payloads.py, also the
webhooks') through the declared schemas gives, field for field and in the same order."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from frontdesk.accounts.models import User
from frontdesk.api import payloads
from frontdesk.api.rest import api
from frontdesk.api.schemas import RequestDetailOut, RequestOut
from frontdesk.api.tests.helpers import ApiTestCase
from frontdesk.portal.models import PortalUser
from frontdesk.service_levels.services import save_target
from frontdesk.support.followers import add_follower
from frontdesk.support.models import Follower, Post, Priority, Status, Task, Topic
from frontdesk.support.posts import add_customer_reply, add_staff_post
from frontdesk.support.services import change_status, create_request, delegate


def ordered(content: bytes) -> Any:
    """JSON with its objects as lists of pairs: the order of the fields counts."""
    return json.loads(content, object_pairs_hook=list)


def as_ninja_answers(schema: type[RequestOut], data: dict[str, Any]) -> Any:
    """What django-ninja answered for `data` returned by an operation declaring `schema`."""
    return ordered(api.renderer.render(None, schema.model_validate(data).model_dump(),  # type: ignore[arg-type]
                                       response_status=200))


class AnswersMatchTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client_a = self.api(self.token_of(self.agent_a))
        topic = Topic.objects.for_org(self.org_a).get()
        nameless = User.objects.filter(pk=self.viewer_a.pk)
        nameless.update(full_name="")
        # Service levels (SPEC X8): due moments on the requests, a first response on one.
        save_target(organization=self.org_a, topic=None, priority=Priority.NORMAL,
                    first_response_minutes=90, resolution_minutes=None)
        save_target(organization=self.org_a, topic=topic, priority=Priority.URGENT,
                    first_response_minutes=30, resolution_minutes=600)
        plain = create_request(topic=topic, requester=self.portal_a1, title="Plain",
                               description="")
        busy = create_request(topic=topic, requester=self.portal_a2, title="Busy «ü»",
                              description="Line\nline")
        delegate(task=busy, assignees=[self.viewer_a, self.agent_a, self.admin_a],
                 due_date=dt.date(2031, 2, 3), priority=Priority.URGENT, by=self.admin_a)
        add_staff_post(task=busy, author=self.agent_a, body="Note")
        add_staff_post(task=busy, author=self.viewer_a, body="Reply", visible_to_customer=True)
        add_customer_reply(task=busy, portal_user=self.portal_a2, body="Thanks")
        # E-mailed by a CC follower (SPEC X5): no person, the address.
        add_customer_reply(task=busy, author_email="boss@example.test", body="Thanks too")
        gone = add_staff_post(task=busy, author=self.admin_a, body="By someone gone")
        Post.objects.filter(pk=gone.pk).update(author=None)
        # Followers (SPEC X5): a colleague without a name, an address.
        colleague = PortalUser.objects.create(organization=self.org_a,
                                              customer=self.customer_a2, email="z@globex.test")
        add_follower(task=busy, portal_user=colleague, by=self.admin_a)
        add_follower(task=busy, email="Boss@Else.test", by=self.admin_a)
        closed = create_request(topic=topic, requester=self.portal_a1, title="Closed",
                                description="")
        change_status(task=closed, status=Status.CLOSED, by=self.admin_a)
        # A request whose customer and requester were deleted (SET_NULL), without a topic,
        # with a time of whole seconds.
        Task.objects.filter(pk=plain.pk).update(
            customer=None, requester=None, topic=None,
            created_at=timezone.now().replace(microsecond=0))
        self.tasks = [plain, busy, closed]

    def test_the_list_answers_as_the_schema_would(self) -> None:
        for query in ("", "open=true", "open=false", "limit=1", f"assignee={self.viewer_a.pk}"):
            response = self.client_a.get(f"/api/v1/requests?{query}")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
            items = dict(ordered(response.content))["items"]
            for item in items:
                task = payloads.requests_for_output(Task.objects.filter(
                    pk=dict(item)["id"])).get()
                self.assertEqual(item, as_ninja_answers(RequestOut,
                                                        payloads.request_data(task)))
        self.assertEqual(len(self.get_json(self.client_a, "/api/v1/requests")["items"]), 3)

    def test_the_detail_answers_as_the_schema_would(self) -> None:
        for task in self.tasks:
            response = self.client_a.get(f"/api/v1/requests/{task.pk}")
            self.assertEqual(response.status_code, 200)
            found = payloads.requests_for_output(Task.objects.filter(pk=task.pk)).get()
            posts = list(payloads.posts_for_output(Post.objects.filter(task_id=task.pk)))
            followers = list(payloads.followers_for_output(
                Follower.objects.filter(task_id=task.pk)))
            self.assertEqual(ordered(response.content), as_ninja_answers(
                RequestDetailOut, payloads.request_detail_data(found, posts, followers)))
        busy = self.get_json(self.client_a, f"/api/v1/requests/{self.tasks[1].pk}")
        self.assertEqual([post["author"]["kind"] for post in busy["posts"]],
                         ["staff", "staff", "customer", "customer", "unknown"])
        self.assertEqual(busy["posts"][3]["author"],
                         {"kind": "customer", "id": None, "name": "boss@example.test"})
        self.assertEqual([person["name"] for person in busy["assignees"]][:1],
                         [self.admin_a.full_name or self.admin_a.email])
        self.assertEqual([(item["kind"], item["email"]) for item in busy["followers"]],
                         [("colleague", "z@globex.test"), ("email", "boss@else.test")])
        self.assertEqual(busy["followers"][0]["portal_user"]["name"], "z@globex.test")
        for name in ("first_response_due_at", "first_responded_at", "resolution_due_at",
                     "next_due_at"):
            self.assertIsNotNone(busy[name], name)
        plain = self.get_json(self.client_a, f"/api/v1/requests/{self.tasks[0].pk}")
        self.assertIsNotNone(plain["first_response_due_at"])
        self.assertIsNone(plain["resolution_due_at"])
        self.assertEqual(plain["followers"], [])
