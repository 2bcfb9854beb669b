from __future__ import annotations

from typing import Any

from frontdesk.api.tests.helpers import ApiTestCase
from frontdesk.core.testing import text_of
from frontdesk.support.models import Post, Priority, Status, Task, TaskEvent, Topic
from frontdesk.support.posts import add_customer_reply, add_staff_post
from frontdesk.support.services import create_request


class RequestApiTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.client_a = self.api(self.token_of(self.agent_a))

    def request(self, title: str = "Printer", **kwargs: Any) -> Task:
        return create_request(topic=self.topic, requester=kwargs.pop("requester", self.portal_a1),
                              title=title, description="It smokes.", **kwargs)

    def test_the_list_pages_newest_first_in_a_stable_order(self) -> None:
        tasks = [self.request(f"Request {n}") for n in range(5)]
        first = self.get_json(self.client_a, "/api/v1/requests?limit=2")
        self.assertEqual([item["id"] for item in first["items"]],
                         [tasks[4].pk, tasks[3].pk])
        second = self.get_json(self.client_a,
                               f"/api/v1/requests?limit=2&before={first['next_before']}")
        self.assertEqual([item["id"] for item in second["items"]],
                         [tasks[2].pk, tasks[1].pk])
        last = self.get_json(self.client_a,
                             f"/api/v1/requests?limit=2&before={second['next_before']}")
        self.assertEqual([item["id"] for item in last["items"]], [tasks[0].pk])
        self.assertIsNone(last["next_before"])

    def test_the_list_filters_as_the_staff_list_does(self) -> None:
        mine = self.request("Mine")
        other = self.request("Other customer", requester=self.portal_a2)
        closed = self.request("Closed")
        from frontdesk.support.services import change_status, delegate

        change_status(task=closed, status=Status.CLOSED, by=self.admin_a)
        change_status(task=other, status=Status.WAITING, by=self.admin_a)
        delegate(task=other, assignees=[self.viewer_a], due_date=None,
                 priority=Priority(other.priority), by=self.admin_a)

        def ids(query: str) -> list[int]:
            return [item["id"] for item in
                    self.get_json(self.client_a, f"/api/v1/requests?{query}")["items"]]

        self.assertEqual(ids("status=closed"), [closed.pk])
        self.assertEqual(ids("open=true"), [other.pk, mine.pk])
        self.assertEqual(ids(f"customer={self.customer_a2.pk}"), [other.pk])
        self.assertEqual(ids(f"assignee={self.viewer_a.pk}"), [other.pk])
        self.assertEqual(ids(f"topic={self.topic.pk}&status=open"), [mine.pk])
        self.assertEqual(ids("q=customer"), [other.pk])
        body = self.get_json(self.client_a, "/api/v1/requests?q=printer&status=open", 400)
        self.assertIn("cannot be combined", body["detail"])
        self.get_json(self.client_a, "/api/v1/requests?status=lost", 422)

    def test_the_detail_flags_internal_notes(self) -> None:
        task = self.request()
        note = add_staff_post(task=task, author=self.agent_a, body="Only us")
        reply = add_staff_post(task=task, author=self.agent_a, body="Dear customer",
                               visible_to_customer=True)
        theirs = add_customer_reply(task=task, portal_user=self.portal_a1, body="Thanks")
        body = self.get_json(self.client_a, f"/api/v1/requests/{task.pk}")
        self.assertEqual(body["description"], "It smokes.")
        self.assertEqual(body["requester"]["email"], "peter@initech.test")
        self.assertIn(self.agent_a.pk, [a["id"] for a in body["assignees"]])
        posts = {post["id"]: post for post in body["posts"]}
        self.assertTrue(posts[note.pk]["internal"])
        self.assertFalse(posts[reply.pk]["internal"])
        self.assertEqual(posts[theirs.pk]["author"]["kind"], "customer")
        self.assertEqual(posts[note.pk]["author"], {"kind": "staff", "id": self.agent_a.pk,
                                                     "name": "Alan Agent"})

    def test_a_missing_request_is_404(self) -> None:
        body = self.get_json(self.client_a, "/api/v1/requests/999999", 404)
        self.assertEqual(body["detail"], "No such request.")

    def test_it_creates_a_request_and_the_requester_is_told(self) -> None:
        with self.sending():
            body = self.send_json(self.client_a, "post", "/api/v1/requests", {
                "topic_id": self.topic.pk, "requester_email": "Rita@NewCo.test",
                "requester_first_name": "Rita", "title": "Fax broken",
                "description": "Since Monday."}, 201)
        task = Task.objects.get(pk=body["id"])
        self.assertEqual((task.title, task.requester.email), ("Fax broken",  # type: ignore[union-attr]
                                                              "rita@newco.test"))
        self.assertEqual({a["id"] for a in body["assignees"]},
                         set(self.topic.assignees.values_list("pk", flat=True)))
        self.assertEqual(task.source, "api")  # a request, shown in the requester's portal
        self.assertTrue(Task.objects.requests().filter(pk=task.pk).exists())
        [confirmation] = self.smtp.to("rita@newco.test")
        self.assertIn("Fax broken", str(confirmation["Subject"]) + text_of(confirmation))
        self.assertTrue(self.smtp.to("agent@acme.test"))

    def test_bad_input_is_400_or_422_and_changes_nothing(self) -> None:
        body = self.send_json(self.client_a, "post", "/api/v1/requests", {
            "topic_id": self.topic.pk, "requester_email": "not an address", "title": "T"}, 400)
        self.assertEqual(body["errors"]["requester_email"], ["Enter a valid e-mail address."])
        self.send_json(self.client_a, "post", "/api/v1/requests", {"title": "T"}, 422)
        task = self.request()
        self.send_json(self.client_a, "post", f"/api/v1/requests/{task.pk}/posts",
                       {"body": "   "}, 400)
        body = self.send_json(self.client_a, "patch", f"/api/v1/requests/{task.pk}",
                              {"status": "closed", "assignee_ids": [self.staff_b.pk]}, 400)
        self.assertIn("Assignees must be staff of this organization.", body["detail"])
        task.refresh_from_db()
        self.assertEqual(task.status, "open")  # the status change was rolled back with it
        self.assertEqual(Task.objects.count(), 1)
        self.assertFalse(Post.objects.exists())
        response = self.client_a.post(f"/api/v1/requests/{task.pk}/posts", data="{",
                                      content_type="application/json")
        self.assertIn(response.status_code, (400, 422))

    def test_an_internal_note_is_not_emailed_and_a_reply_is(self) -> None:
        with self.sending():
            task = self.request()
        self.smtp.clear()  # the confirmation
        with self.sending():
            note = self.send_json(self.client_a, "post", f"/api/v1/requests/{task.pk}/posts",
                                  {"body": "Internal thought"}, 201)
        self.assertTrue(note["internal"])
        self.assertEqual(self.smtp.to("peter@initech.test"), [])
        with self.sending():
            reply = self.send_json(self.client_a, "post", f"/api/v1/requests/{task.pk}/posts",
                                   {"body": "We are on it", "visible_to_customer": True}, 201)
        self.assertFalse(reply["internal"])
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)
        self.assertEqual(TaskEvent.objects.filter(task=task, kind="posted").count(), 2)

    def test_it_changes_status_priority_and_assignees_through_the_actions(self) -> None:
        task = self.request()
        with self.sending():
            body = self.send_json(self.client_a, "patch", f"/api/v1/requests/{task.pk}", {
                "status": "in_progress", "priority": "high",
                "assignee_ids": [self.viewer_a.pk]}, 200)
        self.assertEqual((body["status"], body["priority"]), ("in_progress", "high"))
        self.assertEqual([a["id"] for a in body["assignees"]], [self.viewer_a.pk])
        kinds = set(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))
        self.assertTrue({"status", "priority", "assignees"} <= kinds, kinds)
        # The newly assigned member is told, as from the staff page.
        self.assertTrue(self.smtp.to("viewer@acme.test"))
        body = self.send_json(self.client_a, "patch", f"/api/v1/requests/{task.pk}",
                              {"priority": "low"}, 200)
        self.assertEqual([a["id"] for a in body["assignees"]], [self.viewer_a.pk])  # unchanged
