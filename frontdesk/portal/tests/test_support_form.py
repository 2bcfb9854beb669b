from __future__ import annotations

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from frontdesk.customers.models import Contact, Customer
from frontdesk.portal import services
from frontdesk.portal.models import PortalSettings, PortalUser
from frontdesk.portal.tests.helpers import PortalTestCase, form_data, upload
from frontdesk.support.models import Attachment, Notification, Source, Task, TaskEvent, Topic


class SupportFormTests(PortalTestCase):
    def test_it_shows_the_organizations_form_texts(self) -> None:
        response = self.client.get("/p/acme-support/support/")
        self.assertContains(response, "Acme help desk")
        self.assertContains(response, "Tell us what happened.")
        # One topic: the form does not ask for it.
        self.assertNotContains(response, 'name="topic"')

    def test_it_asks_for_the_topic_when_there_are_several(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        Topic.objects.create(organization=self.org_a, name="Billing", group=topic.group)
        response = self.client.get("/p/acme-support/support/")
        self.assertContains(response, 'name="topic"')
        self.assertContains(response, "Billing")

    def test_a_switched_off_form_says_so_and_takes_nothing(self) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(public_form_enabled=False)
        response = self.client.get("/p/acme-support/support/")
        self.assertContains(response, "The support form is closed")
        response = self.client.post("/p/acme-support/support/", form_data())
        self.assertContains(response, "The support form is closed")
        self.assertFalse(Task.objects.exists())

    def test_it_creates_a_request_for_a_new_customer(self) -> None:
        task = self.submit()
        topic = Topic.objects.for_org(self.org_a).get()
        self.assertEqual(task.title, "Printer on fire")
        self.assertEqual(task.source, Source.FORM)
        self.assertEqual(task.group_id, topic.group_id)
        self.assertEqual(set(task.assignees.all()), set(topic.assignees.all()))
        requester = task.requester
        assert requester is not None
        self.assertEqual(requester.email, "rita@newco.test")
        self.assertFalse(requester.has_password)
        self.assertEqual(task.customer, requester.customer)
        self.assertEqual(Customer.objects.filter(pk=requester.customer_id,
                                                 email="rita@newco.test").count(), 1)
        # The rows made before the transaction got the keys of the person saved in it.
        created = TaskEvent.objects.get(task=task, kind=TaskEvent.Kind.CREATED)
        self.assertEqual((created.portal_actor_id, created.organization_id),
                         (requester.pk, self.org_a.pk))

    def test_it_matches_the_requester_to_a_customer_by_its_email(self) -> None:
        task = self.submit(email="OFFICE@initech.test")
        self.assertEqual(task.customer, self.customer_a1)

    def test_it_matches_the_requester_to_a_customer_by_a_contact_email(self) -> None:
        Contact.objects.create(organization=self.org_a, customer=self.customer_a2,
                               first_name="Mia", email="mia@globex.test")
        task = self.submit(email="mia@globex.test")
        self.assertEqual(task.customer, self.customer_a2)
        self.assertEqual(PortalUser.objects.get(email="mia@globex.test").customer,
                         self.customer_a2)

    def test_the_same_email_at_another_organization_is_another_portal_user(self) -> None:
        PortalSettings.objects.filter(organization=self.org_b).update(public_form_enabled=True)
        with self.sending():
            self.client.post("/p/other-org/support/", form_data(email="peter@initech.test"))
        users = PortalUser.objects.filter(email="peter@initech.test")
        self.assertEqual(users.count(), 2)
        other = users.get(organization=self.org_b)
        self.assertNotEqual(other.customer.organization_id, self.org_a.pk)

    def test_it_notifies_the_assignees_in_the_app_and_by_email(self) -> None:
        task = self.submit()
        notification = Notification.objects.get(user=self.agent_a)
        self.assertEqual(notification.task, task)
        staff_mail = self.smtp.to("agent@acme.test")
        self.assertEqual(len(staff_mail), 1)
        self.assertIn("Printer on fire", str(staff_mail[0]["Subject"]))
        self.assertIn(f"/app/acme-support/requests/{task.pk}/", staff_mail[0].as_string())

    def test_it_confirms_to_the_requester_with_a_link(self) -> None:
        task = self.submit()
        [confirmation] = self.smtp.to("rita@newco.test")
        self.assertIn(task.reference, str(confirmation["Subject"]))
        self.assertIn("Acme Support", str(confirmation["From"]))
        self.open_link_of(confirmation)
        response = self.client.get("/p/acme-support/requests/")
        self.assertContains(response, "Printer on fire")

    def test_it_keeps_the_files(self) -> None:
        task = self.submit(attachments=[upload("a.txt", b"first"), upload("b.log", b"second")])
        names = sorted(Attachment.objects.filter(task=task).values_list("name", flat=True))
        self.assertEqual(names, ["a.txt", "b.log"])
        stored = Attachment.objects.get(task=task, name="a.txt")
        with stored.file.open("rb") as handle:
            self.assertEqual(handle.read(), b"first")
        # Kept as the new person's, saved in the same transaction just before.
        self.assertEqual(stored.uploaded_by_portal_user_id, task.requester_id)
        self.assertIsNotNone(task.requester_id)

    def test_missing_fields_are_shown_next_to_the_field_and_nothing_is_created(self) -> None:
        response = self.client.post("/p/acme-support/support/",
                                    form_data(email="not-an-email", title=""))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Enter a valid email address.")
        self.assertContains(response, "This field is required.")
        self.assertContains(response, 'value="Rita"')  # what was typed is kept
        self.assertFalse(Task.objects.exists())
        self.assertFalse(PortalUser.objects.filter(email="not-an-email").exists())

    @override_settings(FRONTDESK_MAX_UPLOAD_MB=1)
    def test_an_oversized_file_is_refused_and_nothing_is_created(self) -> None:
        big = upload("big.bin", b"x" * (1024 * 1024 + 1))
        response = self.client.post("/p/acme-support/support/", form_data(attachments=[big]))
        self.assertContains(response, "is larger than 1 MB")
        self.assertFalse(Task.objects.exists())

    def test_an_empty_file_is_refused(self) -> None:
        response = self.client.post("/p/acme-support/support/",
                                    form_data(attachments=[upload("empty.txt", b"")]))
        self.assertContains(response, "is empty")
        self.assertFalse(Task.objects.exists())

    def test_a_filled_honeypot_creates_nothing(self) -> None:
        response = self.client.post("/p/acme-support/support/",
                                    form_data(website="http://spam.test"))
        self.assertRedirects(response, "/p/acme-support/support/thanks/")
        self.assertFalse(Task.objects.exists())

    @override_settings(FRONTDESK_FORM_LIMIT_PER_EMAIL=2)
    def test_a_flood_from_one_email_gets_429(self) -> None:
        for _ in range(2):
            self.submit()
        response = self.client.post("/p/acme-support/support/", form_data())
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many requests", status_code=429)
        self.assertEqual(Task.objects.count(), 2)

    @override_settings(FRONTDESK_FORM_LIMIT_PER_IP=2)
    def test_a_flood_from_one_address_gets_429(self) -> None:
        self.submit(email="one@x.test")
        self.submit(email="two@x.test")
        response = self.client.post("/p/acme-support/support/", form_data(email="three@x.test"))
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Task.objects.count(), 2)
        # Refused before anything of the request was written: no person, no customer record.
        self.assertFalse(PortalUser.objects.filter(email="three@x.test").exists())
        self.assertFalse(Customer.objects.filter(email="three@x.test").exists())

    def test_the_flood_counters_are_written_where_the_database_wants_them(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            self.submit(email="counted@x.test")
        statements = [query["sql"] for query in queries.captured_queries]
        counted = next(i for i, sql in enumerate(statements) if "core_ratecounter" in sql)
        # The request's transaction (a savepoint inside the test's own).
        opened = next(i for i, sql in enumerate(statements) if sql.startswith("SAVEPOINT"))
        if connection.vendor == "sqlite":
            # In the request's write transaction: one writer's turn, not two.
            self.assertGreater(counted, opened)
        else:
            # On their own first: the address's counter row is not locked while the request
            # is written.
            self.assertLess(counted, opened)

    def test_a_person_who_writes_in_twice_at_once_gets_one_record(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        customers_before = Customer.objects.count()

        def other_submission_commits_first() -> bool:
            # Runs in the write transaction, after this submission looked the address up.
            services.find_or_create_portal_user(organization=self.org_a, email="ann@twice.test",
                                                first_name="Ann", last_name="Twice")
            return True

        task = services.submit_public_request(
            organization=self.org_a, topic=topic, first_name="Ann", last_name="Twice",
            email="ann@twice.test", title="Hello", description="Twice",
            admit=other_submission_commits_first)
        assert task is not None
        self.assertEqual(task.requester, PortalUser.objects.get(email="ann@twice.test"))
        self.assertEqual(Customer.objects.count(), customers_before + 1)
        self.assertEqual(task.customer_id, PortalUser.objects.get(email="ann@twice.test")
                         .customer_id)

    def test_an_unknown_organization_is_404(self) -> None:
        self.assertEqual(self.client.get("/p/no-such-org/support/").status_code, 404)

    def test_a_script_in_the_title_is_shown_as_text(self) -> None:
        task = self.submit(title="<script>alert(1)</script>", description="<img src=x onerror=1>")
        self.login_staff(self.admin_a)
        for path in ["/app/acme-support/requests/", f"/app/acme-support/requests/{task.pk}/"]:
            response = self.client.get(path)
            self.assertNotContains(response, "<script>alert(1)</script>")
            self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        [confirmation] = self.smtp.to("rita@newco.test")
        html = confirmation.get_body(preferencelist=("html",))
        assert html is not None
        self.assertNotIn("<script>", html.get_content())
