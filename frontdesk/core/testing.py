"""The test base: personas, a real SMTP server on loopback, and the background worker.

Personas (Healthchecks-style) cover the permission matrix:
- org A ("acme-support"): `admin_a` (admin), `agent_a` (Contribute in support and customers,
  assignee of the default topic), `viewer_a` (View only in every area);
- org B ("other-org"): `staff_b` (admin);
- customers of A: `customer_a1` with portal user `portal_a1`, `customer_a2` with `portal_a2`.
"""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any, ClassVar
from unittest import mock

from django.core.management import call_command
from django.test import TestCase, override_settings

from frontdesk.accounts.models import User
from frontdesk.customers.models import Customer
from frontdesk.organizations.models import Membership, Organization
from frontdesk.organizations.permissions import Level
from frontdesk.organizations.services import add_staff_member, create_organization
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import Task, Topic


class SmtpSink:
    """An aiosmtpd server on a loopback port that keeps every message it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=default_policy)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted"

    def stop(self) -> None:
        self._controller.stop()

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if address in str(m["To"])]


_sink: SmtpSink | None = None


def smtp_sink() -> SmtpSink:
    """The SMTP server of this test process (started on first use)."""
    global _sink
    if _sink is None:
        _sink = SmtpSink()
    return _sink


def run_worker() -> None:
    """Run the background worker until no task is ready (as `make run` does, in batch).

    The worker closes stale database connections between tasks; inside a test that would
    close the test's own connection (and its transaction) on PostgreSQL.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, queue_name="*", startup_delay=False,
                     reload=False, verbosity=0)


def query_plan(queryset: Any) -> str:
    """The database's plan for a queryset, its steps joined by " | ". On PostgreSQL inside
    the test's transaction with sequential scans off: a test table of a few rows would be
    read whole, and the plan would not show which index serves the query."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return " | ".join(str(row[0]) for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""


def browser_sign_in(page: Any, base_url: str, email: str, password: str, *,
                    portal: str | None = None) -> None:
    """Sign in on a real browser page through the log-in form, as a person does: staff's, or
    the portal's of the organization `portal` (its slug)."""
    page.goto(f"{base_url}/p/{portal}/login/" if portal else f"{base_url}/login/")
    page.fill("input[name=email]" if portal else "input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def make_staff(email_address: str, name: str, organization: Organization, *,
               admin: bool = False, **levels: Level) -> User:
    user = User.objects.create_user(email_address, "pw-" + email_address, full_name=name)
    membership = add_staff_member(organization=organization, user=user, is_admin=admin)
    if levels:
        for area, level in levels.items():
            setattr(membership, f"level_{area}", level)
        membership.save()
    return user


class FrontdeskTestCase(TestCase):
    org_a: ClassVar[Organization]
    org_b: ClassVar[Organization]
    admin_a: ClassVar[User]
    agent_a: ClassVar[User]
    viewer_a: ClassVar[User]
    staff_b: ClassVar[User]
    customer_a1: ClassVar[Customer]
    customer_a2: ClassVar[Customer]
    portal_a1: ClassVar[PortalUser]
    portal_a2: ClassVar[PortalUser]
    smtp: ClassVar[SmtpSink]
    _smtp_override: ClassVar[override_settings]

    @classmethod
    def setUpClass(cls) -> None:
        cls.smtp = smtp_sink()
        # The test runner swaps in the in-memory backend; we want the real SMTP conversation.
        cls._smtp_override = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=cls.smtp.port)
        cls._smtp_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._smtp_override.disable()

    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin_a = User.objects.create_user("admin@acme.test", "pw-admin@acme.test",
                                               full_name="Ada Admin")
        cls.org_a = create_organization(slug="acme-support", name="Acme Support",
                                        admin=cls.admin_a)
        cls.agent_a = make_staff("agent@acme.test", "Alan Agent", cls.org_a,
                                 support=Level.CONTRIBUTE, customers=Level.CONTRIBUTE)
        cls.viewer_a = make_staff("viewer@acme.test", "Vera Viewer", cls.org_a)
        cls.staff_b = User.objects.create_user("staff@other.test", "pw-staff@other.test",
                                               full_name="Bea Other")
        cls.org_b = create_organization(slug="other-org", name="Other Org", admin=cls.staff_b)
        default_topic = Topic.objects.for_org(cls.org_a).get()
        default_topic.assignees.add(cls.agent_a)

        cls.customer_a1 = Customer.objects.create(organization=cls.org_a, short_name="Initech",
                                                  email="office@initech.test")
        cls.customer_a2 = Customer.objects.create(organization=cls.org_a, short_name="Globex",
                                                  email="office@globex.test")
        cls.portal_a1 = PortalUser.objects.create(organization=cls.org_a,
                                                  customer=cls.customer_a1,
                                                  email="peter@initech.test", first_name="Peter")
        cls.portal_a2 = PortalUser.objects.create(organization=cls.org_a,
                                                  customer=cls.customer_a2,
                                                  email="hank@globex.test", first_name="Hank")

    def setUp(self) -> None:
        super().setUp()
        self.smtp.clear()

    def membership(self, user: User, organization: Organization | None = None) -> Membership:
        return Membership.objects.get(user=user, organization=organization or self.org_a)

    def peters_request(self, title: str = "VPN is down", description: str = "...") -> Task:
        """A request of Peter's (portal_a1, of Initech) in org A's default topic."""
        from frontdesk.support.services import create_request

        return create_request(topic=Topic.objects.for_org(self.org_a).get(),
                              requester=self.portal_a1, title=title, description=description)

    def colleague_of_peter(self, **fields: str) -> PortalUser:
        """Joan, another portal user of Initech: a colleague who may follow Peter's requests
        (SPEC X5)."""
        values = {"email": "joan@initech.test", "first_name": "Joan", **fields}
        return PortalUser.objects.create(organization=self.org_a, customer=self.customer_a1,
                                         **values)

    def login_staff(self, user: User) -> None:
        self.client.force_login(user)

    def login_portal(self, portal_user: PortalUser) -> None:
        """Sign a portal user in with a password session (not a link session)."""
        from frontdesk.portal.auth import login_portal_user

        session = self.client.session
        login_portal_user(session, portal_user)
        session.save()
        self.client.cookies["sessionid"] = session.session_key or ""

    @contextmanager
    def sending(self) -> Iterator[None]:
        """Run the on-commit hooks of what happens inside (TestCase never commits), then the
        worker, so the e-mails queued inside are really sent to `self.smtp`."""
        with self.captureOnCommitCallbacks(execute=True):
            yield
        while True:
            # A task may queue more work on commit (a retry, a follow-up e-mail).
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                run_worker()
            if not callbacks:
                break
