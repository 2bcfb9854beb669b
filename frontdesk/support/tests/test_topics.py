from __future__ import annotations

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.models import Group, Membership
from frontdesk.portal.tests.helpers import PortalTestCase, form_data
from frontdesk.support.models import Assignment, Task, Topic


class TopicPageTests(FrontdeskTestCase):
    def test_an_admin_adds_a_topic_with_its_group_and_assignees(self) -> None:
        self.login_staff(self.admin_a)
        group = Group.objects.for_org(self.org_a).get()
        response = self.client.post("/app/acme-support/settings/topics/new/", {
            "name": "Billing", "group": group.pk, "assignees": [self.viewer_a.pk]})
        self.assertRedirects(response, "/app/acme-support/settings/portal/")
        topic = Topic.objects.for_org(self.org_a).get(name="Billing")
        self.assertEqual(list(topic.assignees.all()), [self.viewer_a])

    def test_another_organizations_group_or_staff_cannot_be_chosen(self) -> None:
        self.login_staff(self.admin_a)
        group_b = Group.objects.for_org(self.org_b).get()
        response = self.client.post("/app/acme-support/settings/topics/new/", {
            "name": "Sneaky", "group": group_b.pk, "assignees": [self.staff_b.pk]})
        self.assertContains(response, "Select a valid choice")
        self.assertFalse(Topic.objects.filter(name="Sneaky").exists())

    def test_the_last_topic_cannot_be_deleted(self) -> None:
        self.login_staff(self.admin_a)
        topic = Topic.objects.for_org(self.org_a).get()
        response = self.client.post(f"/app/acme-support/settings/topics/{topic.pk}/delete/",
                                    follow=True)
        self.assertContains(response, "At least one topic must remain.")
        self.assertTrue(Topic.objects.filter(pk=topic.pk).exists())

    def test_a_topic_is_deleted_when_another_remains(self) -> None:
        self.login_staff(self.admin_a)
        first = Topic.objects.for_org(self.org_a).get()
        Topic.objects.create(organization=self.org_a, name="Other", group=first.group)
        self.client.post(f"/app/acme-support/settings/topics/{first.pk}/delete/")
        self.assertFalse(Topic.objects.filter(pk=first.pk).exists())

    def test_non_admins_cannot_change_topics(self) -> None:
        self.login_staff(self.agent_a)
        group = Group.objects.for_org(self.org_a).get()
        response = self.client.post("/app/acme-support/settings/topics/new/",
                                    {"name": "X", "group": group.pk})
        self.assertEqual(response.status_code, 403)


class TopicRoutingTests(PortalTestCase):
    def test_a_request_goes_to_the_chosen_topics_group_and_assignees(self) -> None:
        billing_group = Group.objects.create(organization=self.org_a, name="Billing")
        billing = Topic.objects.create(organization=self.org_a, name="Billing",
                                       group=billing_group)
        billing.assignees.add(self.viewer_a)
        task = self.submit(topic=billing.pk)
        self.assertEqual(task.group, billing_group)
        self.assertEqual(list(task.assignees.all()), [self.viewer_a])
        self.assertEqual(len(self.smtp.to("viewer@acme.test")), 1)
        self.assertEqual(self.smtp.to("agent@acme.test"), [])

    def test_a_request_is_assigned_only_to_the_topics_assignees_still_on_staff(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        topic.assignees.set([self.agent_a, self.viewer_a, self.admin_a])
        # The viewer's membership ends without the topic being told (as an old database or
        # a direct deletion could leave it).
        Membership.objects.filter(organization=self.org_a, user=self.viewer_a).delete()
        Membership.objects.create(organization=self.org_b, user=self.viewer_a)
        task = self.submit(topic=topic.pk)
        assignments = Assignment.objects.filter(task=task).order_by("user_id")
        self.assertEqual([(a.user_id, a.is_open) for a in assignments],
                         sorted([(self.agent_a.pk, 1), (self.admin_a.pk, 1)]))
        other = self.submit(topic=topic.pk, title="Second")
        self.assertEqual(Assignment.objects.filter(task=other).count(), 2)
        self.assertEqual(Assignment.objects.filter(user=self.viewer_a).count(), 0)

    def test_a_topic_of_another_organization_is_refused(self) -> None:
        Topic.objects.create(organization=self.org_a, name="Second",
                             group=Group.objects.for_org(self.org_a).get())
        foreign = Topic.objects.for_org(self.org_b).get()
        response = self.client.post("/p/acme-support/support/", form_data(topic=foreign.pk))
        self.assertContains(response, "Select a valid choice")
        self.assertFalse(Task.objects.exists())
