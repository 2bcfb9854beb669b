"""The demo's support data (`manage.py seed_demo`): service levels, requests in every stage,
followers, shared work, a person acting for two customers and saved replies. Each is made
through the project's own actions, as a user would make it, so that the demo shows what those
actions do (due moments, events, notifications) and nothing a user could not have made.

The texts are data, in English, as a user would type them: not translated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from frontdesk.accounts.models import User
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.models import Customer
from frontdesk.files.services import add_customer_files
from frontdesk.organizations.models import Group, Organization
from frontdesk.portal.memberships import add_portal_membership
from frontdesk.portal.models import PortalUser
from frontdesk.portal.services import find_or_create_portal_user, set_password
from frontdesk.service_levels.business_time import NINE_TO_FIVE
from frontdesk.service_levels.services import save_business_hours, save_target
from frontdesk.support import followers
from frontdesk.support.models import Priority, Rating, Status, Task, Topic
from frontdesk.support.new_task import create_task
from frontdesk.support.posts import add_customer_reply, add_staff_post
from frontdesk.support.replies import save_reply
from frontdesk.support.services import change_status, create_request, delegate, describe, rate

TIME_ZONE = "Europe/Amsterdam"
ACCOUNTANT_LOGIN = ("accountant@example.com", "demo-accountant")

# Business minutes by priority, for any topic: (first visible answer, resolution).
TARGETS = {
    Priority.URGENT: (30, 4 * 60),
    Priority.HIGH: (2 * 60, 2 * 8 * 60),
    Priority.NORMAL: (4 * 60, 5 * 8 * 60),
    Priority.LOW: (8 * 60, 10 * 8 * 60),
}
# Billing questions wait for the bookkeeper, who works on invoices in the afternoon.
BILLING_NORMAL_TARGET = (8 * 60, 10 * 8 * 60)


def seed_service_levels(*, organization: Organization, billing_topic: Topic) -> None:
    """Monday to Friday, 09:00–17:00 in Amsterdam, the next Christmas and New Year off, and
    targets per priority (and one of the billing topic's own): made before the requests,
    which then get their due moments."""
    today = timezone.localdate()
    christmas = dt.date(today.year, 12, 25)
    if christmas < today:
        christmas = christmas.replace(year=today.year + 1)
    save_business_hours(organization=organization, time_zone=TIME_ZONE,
                        week=(NINE_TO_FIVE,) * 5 + (None, None),
                        holidays=[(christmas, "Christmas Day"),
                                  (dt.date(christmas.year + 1, 1, 1), "New Year's Day")])
    for priority, (first, resolution) in TARGETS.items():
        save_target(organization=organization, topic=None, priority=priority,
                    first_response_minutes=first, resolution_minutes=resolution)
    save_target(organization=organization, topic=billing_topic, priority=Priority.NORMAL,
                first_response_minutes=BILLING_NORMAL_TARGET[0],
                resolution_minutes=BILLING_NORMAL_TARGET[1])


@dataclass(frozen=True)
class DemoRequest:
    """One demo request and what happened to it, in order: its posts ("note": internal,
    "reply": a staff answer the customer sees, "customer": the customer's reply), then its
    priority and assignee, its solution, its status and the customer's rating."""

    requester: str
    topic: str  # "support" or "billing"
    title: str
    description: str
    posts: tuple[tuple[str, str], ...] = ()
    priority: Priority = Priority.NORMAL
    assignee: str = ""
    status: Status = Status.OPEN
    solution: str = ""
    rating: tuple[Rating, str] | None = None
    file: tuple[str, bytes] | None = None
    due_in_days: int | None = None


REQUESTS = [
    DemoRequest(
        "peter", "support", "VPN drops every hour",
        "Since Monday the VPN disconnects every hour.",
        posts=(("note", "Their gateway firmware is old; check the maintenance contract before "
                        "we offer an upgrade."),
               ("reply", "Thanks Peter, we are looking into it. Could you send the time of the "
                         "last disconnection?"),
               ("customer", "Today at 10:02 and 11:03.")),
        priority=Priority.HIGH, assignee="agent", status=Status.IN_PROGRESS,
        file=("vpn-client.log", b"10:02:11 tunnel down: peer timeout\n"
                                b"10:02:40 tunnel up\n11:03:09 tunnel down: peer timeout\n")),
    DemoRequest(
        "peter", "billing", "Invoice 2026-114 has the wrong address",
        "Please send it to our new office.",
        posts=(("reply", "Corrected and sent again. Sorry for the trouble!"),),
        status=Status.CLOSED, solution="We changed the invoice address to your new office "
                                       "and sent invoice 2026-114 again.",
        rating=(Rating.GOOD, "Quick and friendly, thank you.")),
    DemoRequest(
        "hank", "support", "New user for our accountant",
        "Please create an account for our new accountant.",
        assignee="agent", due_in_days=-1),  # past its due date: the "Overdue" view
    DemoRequest(
        "samir", "support", "Printer on the 3rd floor shows error E-17",
        "The printer next to the kitchen stopped printing this morning.",
        posts=(("reply", "E-17 is usually a paper jam behind the back cover. Could you send us "
                         "a photo of the display?"),),
        priority=Priority.LOW, assignee="agent", status=Status.WAITING),
    DemoRequest(
        "hank", "support", "E-mail stopped working for the whole office",
        "Nobody at Globex can send or receive e-mail since 8:30.",
        posts=(("note", "Their mail server's certificate expired last night; renewing it now."),
               ("reply", "We found the cause and are fixing it. Next update within the hour.")),
        priority=Priority.URGENT, assignee="agent", status=Status.IN_PROGRESS),
    DemoRequest(
        "hank", "billing", "Please send a copy of our contract",
        "Our auditors need the signed maintenance contract.",
        posts=(("reply", "We e-mailed the signed contract to your office address."),),
        status=Status.CLOSED, solution="The signed maintenance contract was sent on request.",
        rating=(Rating.BAD, "It took three days to get one PDF.")),
    DemoRequest(
        "hank", "support", "Laptop for a new employee",
        "Our new sales manager starts on the 1st. Can you prepare a laptop?",
        posts=(("reply", "Of course. Which keyboard layout and which software does she need?"),),
        assignee="agent", status=Status.WAITING, due_in_days=10),
    DemoRequest(
        "accountant", "billing", "Invoice 2026-098 was charged twice",
        "Globex's bank statement shows invoice 2026-098 twice. Please refund one payment.",
        posts=(("note", "Checked the ledger: the second payment is real. Refund approved."),),
        priority=Priority.HIGH, assignee="admin"),
    DemoRequest(
        "jill", "support", "Website certificate expires next week",
        "Our browser warns that the certificate of umbrella.example expires on Friday.",
        priority=Priority.HIGH, assignee="agent"),
    DemoRequest(
        "peter", "support", "Wi-Fi password for guests",
        "We have visitors tomorrow. What is the guest Wi-Fi password?",
        posts=(("reply", "The guest network's password is on the card at the reception."),),
        status=Status.CLOSED, solution="The guest Wi-Fi password is on the card at the "
                                       "reception; it changes every month."),
]

# A CC address and a colleague follow the VPN request (SPEC X5).
FOLLOWED = "VPN drops every hour"
FOLLOWER_CC = "it-team@initech.example"
FOLLOWER_COLLEAGUE = "samir"


def seed_requests(*, topics: Mapping[str, Topic], people: Mapping[str, PortalUser],
                  staff: Mapping[str, User]) -> dict[str, Task]:
    """The demo's requests (REQUESTS), by title: each made, answered, delegated and closed
    through the support actions, the way staff and customers would."""
    made = {}
    admin = staff["admin"]
    for spec in REQUESTS:
        requester = people[spec.requester]
        files = ([SimpleUploadedFile(spec.file[0], spec.file[1], content_type="text/plain")]
                 if spec.file else [])
        task = create_request(topic=topics[spec.topic], requester=requester, title=spec.title,
                              description=spec.description, files=files)
        for kind, body in spec.posts:
            if kind == "customer":
                add_customer_reply(task=task, portal_user=requester, body=body)
            else:
                add_staff_post(task=task, author=staff[spec.assignee or "admin"], body=body,
                               visible_to_customer=kind == "reply")
        if spec.assignee or spec.priority != Priority.NORMAL or spec.due_in_days:
            due = (timezone.localdate() + dt.timedelta(days=spec.due_in_days)
                   if spec.due_in_days else None)
            delegate(task=task, assignees=[staff[spec.assignee or "admin"]], due_date=due,
                     priority=spec.priority, by=admin)
        if spec.solution:
            describe(task=task, severity=None, category=None, solution=spec.solution, by=admin)
        if spec.status != Status.OPEN:
            change_status(task=task, status=spec.status, by=admin)
        if spec.rating:
            rate(task=task, portal_user=requester, rating=spec.rating[0],
                 comment=spec.rating[1])
        made[spec.title] = task
    followed = made[FOLLOWED]
    followers.add_follower(task=followed, portal_user=people[FOLLOWER_COLLEAGUE], by=admin)
    followers.add_follower(task=followed, email=FOLLOWER_CC, by=admin)
    return made


def seed_accountant(*, organization: Organization, own: Customer, other: Customer,
                    by: User) -> PortalUser:
    """A person acting for two customers (SPEC X7): the accountant, one of `own`'s people
    (their contact address joins them to it), who acts for `other` too; with a password."""
    add_contact(customer=own, first_name="Anna", last_name="Berg",
                email=ACCOUNTANT_LOGIN[0], position="Accountant")
    accountant = find_or_create_portal_user(organization=organization,
                                            email=ACCOUNTANT_LOGIN[0], first_name="Anna",
                                            last_name="Berg")
    set_password(portal_user=accountant, password=ACCOUNTANT_LOGIN[1])
    add_portal_membership(customer=other, email=ACCOUNTANT_LOGIN[0], by=by)
    return accountant


def seed_shared_work(*, organization: Organization, group: Group, customer: Customer,
                     agent: User, admin: User) -> Task:
    """A staff task shared with the customer (SPEC P16), with an answer they see, a task
    staff keep to themselves, and a file shared with the customer's people."""
    shared = create_task(
        organization=organization, by=admin, group=group, customer=customer, shared=True,
        title="Replace the gateway at Initech", priority=Priority.HIGH,
        description="Order the GX-200, configure it, install it on a Saturday.",
        due_date=timezone.localdate() + dt.timedelta(days=14), assignees=[agent])
    add_staff_post(task=shared, author=agent, visible_to_customer=True,
                   body="The new gateway is ordered. We propose to install it on Saturday "
                        "morning, 08:00–10:00; the VPN is down meanwhile.")
    add_staff_post(task=shared, author=agent,
                   body="Order number at the supplier: GX-88812.")
    create_task(organization=organization, by=admin, group=group, title="Renew our "
                "certificate for the portal", description="It expires at the end of the "
                "month.", due_date=timezone.localdate() + dt.timedelta(days=20),
                assignees=[agent])
    add_customer_files(customer=customer, folder=None, by=admin, shared=True, files=[
        SimpleUploadedFile("network-plan.txt", b"Gateway GX-200 -> switch SW-1 -> floors 1-3\n",
                           content_type="text/plain")])
    return shared


SAVED_REPLIES = [
    ("Asking for details",
     "Hello {requester},\n\nthank you for your request {request} (“{title}”). So that we can "
     "help {customer} quickly, could you tell us when the problem started and send a "
     "screenshot?\n\nKind regards,\n{agent}\n{organization}"),
    ("Solved: please confirm",
     "We believe this is solved now. Please let us know if anything is still not working."),
]


def seed_saved_replies(*, organization: Organization, by: User) -> None:
    """Saved replies (SPEC X9), one with every placeholder."""
    for title, body in SAVED_REPLIES:
        save_reply(organization=organization, title=title, body=body, by=by)
