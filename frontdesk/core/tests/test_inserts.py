"""`insert` stores what the ORM stores, and the instances come back as saved ones."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.models import Customer
from frontdesk.lib.inserts import Insert, insert, new
from frontdesk.mail.models import OutboxMessage
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import Notification, Source, Status, Task, TaskEvent, Topic

IGNORED = {"id", "created_at", "updated_at"}


def stored(obj: object) -> dict[str, object]:
    model = type(obj)
    row = model._default_manager.filter(pk=obj.pk).values().get()  # type: ignore[attr-defined]
    return {key: value for key, value in row.items() if key not in IGNORED}


class InsertTests(FrontdeskTestCase):
    def test_rows_are_stored_as_the_orm_stores_them(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        fields = {"organization": self.org_a, "title": "Printer", "description": "Offline",
                  "group_id": topic.group_id, "topic": topic, "customer": self.customer_a1,
                  "requester": self.portal_a1, "source": Source.FORM}
        by_orm = Task.objects.create(**fields)
        [ours] = insert([Task(**fields)])
        self.assertEqual(stored(ours), stored(by_orm))
        # Saved: an id, the generated column and the dates are there; a reload agrees.
        self.assertIsNotNone(ours.pk)
        self.assertEqual((ours.is_open, by_orm.is_open), (1, 1))
        self.assertFalse(ours._state.adding)
        reloaded = Task.objects.get(pk=ours.pk)
        self.assertEqual(reloaded.created_at, ours.created_at)
        self.assertEqual(reloaded.status, Status.OPEN)

        data = {"post": 7, "words": ["ä", "<b>"]}
        event_orm = TaskEvent.objects.create(organization=self.org_a, task=by_orm,
                                             kind=TaskEvent.Kind.POSTED, actor=self.agent_a,
                                             data=data)
        [event] = insert([TaskEvent(organization=self.org_a, task=ours,
                                    kind=TaskEvent.Kind.POSTED, actor=self.agent_a, data=data)])
        expected = stored(event_orm) | {"task_id": ours.pk}
        self.assertEqual(stored(event), expected)
        self.assertEqual(TaskEvent.objects.get(pk=event.pk).data, data)

    def test_several_rows_go_in_one_statement_in_order(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        task = Task.objects.create(organization=self.org_a, title="t", group_id=topic.group_id)
        people = [self.admin_a, self.agent_a, self.viewer_a]
        with CaptureQueriesContext(connection) as queries:
            made = insert([Notification(organization=self.org_a, user=user, task=task,
                                        kind=Notification.Kind.NEW_REQUEST, actor_name="Ann")
                           for user in people])
        self.assertEqual(len(queries), 1)
        self.assertEqual([Notification.objects.get(pk=n.pk).user_id for n in made],
                         [user.pk for user in people])
        messages = insert([OutboxMessage(organization=self.org_a, kind="portal.access_link",
                                         to=f"{n}@x.test", language="nl",
                                         context={"portal_user_id": n}) for n in range(3)])
        self.assertEqual([OutboxMessage.objects.get(pk=m.pk).context for m in messages],
                         [{"portal_user_id": n} for n in range(3)])

    def test_it_refuses_saved_instances_and_mixed_models(self) -> None:
        with self.assertRaises(ValueError):
            insert([self.customer_a1])
        with self.assertRaises(ValueError):
            insert([Notification(), OutboxMessage()])
        self.assertEqual(insert([]), [])

    def test_unless_taken_writes_nothing_when_the_unique_values_are_taken(self) -> None:
        def person(email: str, first_name: str) -> PortalUser:
            return PortalUser(organization=self.org_a, customer=self.customer_a2, email=email,
                              first_name=first_name)

        with CaptureQueriesContext(connection) as queries:
            [saved] = Insert([person("new@globex.test", "New")],
                             unless=("organization", "email")).run()
            taken = Insert([person("peter@initech.test", "Impostor")],
                           unless=("organization", "email")).run()
        self.assertEqual(len(queries.captured_queries), 2)  # no savepoints
        self.assertIsNotNone(saved.pk)
        self.assertEqual(PortalUser.objects.get(pk=saved.pk).first_name, "New")
        self.assertEqual(taken, [])
        self.portal_a1.refresh_from_db()
        self.assertEqual((self.portal_a1.first_name, self.portal_a1.customer_id),
                         ("Peter", self.customer_a1.pk))
        self.assertEqual(PortalUser.objects.filter(email="peter@initech.test").count(), 1)
        # The same address in another organization is not taken.
        other = Insert([PortalUser(organization=self.org_b, email="peter@initech.test",
                                   customer=Customer.objects.create(organization=self.org_b,
                                                                    short_name="B"))],
                       unless=("organization", "email")).run()
        self.assertEqual(len(other), 1)


class InsertAheadTests(FrontdeskTestCase):
    """`Insert` makes the statement when it is built and only sends it when it runs."""

    def test_keys_of_rows_saved_in_between_are_filled_in(self) -> None:
        customer = new(Customer, organization=self.org_a, short_name="Ann Ahead")
        person = new(PortalUser, organization=self.org_a, customer=customer,
                     email="ann@ahead.test")
        with CaptureQueriesContext(connection) as queries:
            customer_insert, person_insert = Insert([customer]), Insert([person])
        self.assertEqual(len(queries), 0)  # nothing sent before run()
        customer_insert.run()
        [saved] = person_insert.run()
        self.assertEqual(PortalUser.objects.get(pk=saved.pk).customer_id, customer.pk)
        self.assertEqual(saved.customer_id, customer.pk)

    def test_a_key_still_missing_when_it_runs_is_refused(self) -> None:
        customer = new(Customer, organization=self.org_a, short_name="Never saved")
        person = new(PortalUser, organization=self.org_a, customer=customer,
                     email="nobody@ahead.test")
        with self.assertRaisesMessage(ValueError, "customer of this PortalUser is not saved"):
            Insert([person]).run()
        self.assertFalse(PortalUser.objects.filter(email="nobody@ahead.test").exists())

    def test_fill_sets_a_value_known_only_later_and_it_runs_once(self) -> None:
        first, second = (new(TaskEvent, organization=self.org_a, kind=TaskEvent.Kind.CREATED)
                         for _ in range(2))
        topic = Topic.objects.for_org(self.org_a).get()
        task = Task.objects.create(organization=self.org_a, title="t", group_id=topic.group_id)
        writing = Insert([first, second])
        writing.fill(second, task_id=task.pk, data={"post": 3})
        with self.assertRaises(TypeError):
            writing.fill(first, colour="red")
        writing.fill(first, task_id=task.pk)
        writing.run()
        self.assertEqual(list(TaskEvent.objects.filter(task=task).order_by("pk")
                              .values_list("pk", "data")),
                         [(first.pk, {}), (second.pk, {"post": 3})])
        with self.assertRaisesMessage(ValueError, "this insert has run"):
            writing.run()
        self.assertEqual(TaskEvent.objects.filter(task=task).count(), 2)


    def test_parameters_are_what_django_makes_of_each_value(self) -> None:
        # Most values are passed as they are (lib/inserts.py: _passed_as_is); every one must
        # be what the field's own conversion makes of it, on this database.
        from django_tasks_db.models import DBTaskResult

        topic = Topic.objects.for_org(self.org_a).get()
        rows: list[Any] = [
            new(Task, organization=self.org_a, title="Printer", description="",
                group_id=topic.group_id, topic=topic, customer=self.customer_a1,
                requester=self.portal_a1, source=Source.FORM, priority=2),
            new(TaskEvent, organization_id=self.org_a.pk, kind=TaskEvent.Kind.CREATED,
                portal_actor=self.portal_a1, data={"post": 1}),
            new(Customer, organization=self.org_a, short_name="Acme", email="a@acme.test"),
            new(PortalUser, organization=self.org_a, customer=self.customer_a1,
                email="p@example.com", is_active=False),
            new(Notification, organization=self.org_a, user=self.agent_a,
                kind=Notification.Kind.NEW_REQUEST, actor_name="Ann"),
            new(DBTaskResult, id="0190d3e2-aaaa-7bbb-8ccc-dddddddddddd", task_path="x.y",
                queue_name="default", backend_name="default", args_kwargs={"args": [1]},
                run_after=timezone.now(), priority=-3),
        ]
        for obj in rows:
            with self.subTest(model=type(obj).__name__):
                made = Insert([obj])
                expected = [field.get_db_prep_save(getattr(obj, field.attname), connection)
                            for field in made.fields]
                # psycopg's JSON wrapper compares by identity: compare what it wraps.
                self.assertEqual([getattr(value, "obj", value) for value in made.params],
                                 [getattr(value, "obj", value) for value in expected])
                self.assertEqual([type(value) for value in made.params],
                                 [type(value) for value in expected])


def _values(obj: Any) -> dict[str, object]:
    """Every concrete field's value as set on the instance ("unset" if it is not)."""
    return {field.attname: obj.__dict__.get(field.attname, "unset")
            for field in type(obj)._meta.concrete_fields}


class NewTests(FrontdeskTestCase):
    """`new(Model, ...)` makes what `Model(...)` makes."""

    def test_every_field_is_what_keyword_construction_gives(self) -> None:
        from django_tasks_db.models import DBTaskResult

        topic = Topic.objects.for_org(self.org_a).get()
        cases: list[tuple[type[Any], dict[str, Any]]] = [
            (Task, {"organization": self.org_a, "title": "Printer", "group_id": topic.group_id,
                    "topic": topic, "customer_id": self.customer_a1.pk,
                    "requester": self.portal_a1, "source": Source.FORM}),
            (TaskEvent, {"organization_id": self.org_a.pk, "kind": TaskEvent.Kind.CREATED,
                         "portal_actor": self.portal_a1}),
            (Customer, {"organization": self.org_a, "short_name": "Acme"}),
            (PortalUser, {"organization": self.org_a, "customer": self.customer_a1,
                          "email": "p@example.com"}),
            (DBTaskResult, {"id": "abc", "task_path": "x.y", "queue_name": "default",
                            "backend_name": "default", "args_kwargs": {"args": [1]}}),
        ]
        for model, values in cases:
            with self.subTest(model=model.__name__):
                ours, theirs = new(model, **values), model(**values)
                self.assertIs(type(ours), model)
                self.assertEqual(_values(ours), _values(theirs))
                self.assertTrue(ours._state.adding)
                self.assertIsNone(ours._state.db)
        # The generated column is left to the database, as keyword construction leaves it.
        self.assertNotIn("is_open", new(Task, title="t").__dict__)

    def test_related_objects_given_are_cached_and_defaults_not_shared(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        with CaptureQueriesContext(connection) as queries:
            task = new(Task, organization=self.org_a, topic=topic, group_id=topic.group_id)
            self.assertIs(task.organization, self.org_a)
            self.assertIs(task.topic, topic)
            self.assertIsNone(task.requester)
        self.assertEqual(len(queries), 0)
        first, second = (new(TaskEvent, organization_id=self.org_a.pk, kind="created")
                         for _ in range(2))
        self.assertEqual(first.data, {})
        self.assertIsNot(first.data, second.data)
        self.assertIsNone(new(Task, requester=None).requester_id)

    def test_unknown_fields_are_refused(self) -> None:
        with self.assertRaisesMessage(TypeError, "Task has no fields ['colour']"):
            new(Task, title="t", colour="red")
