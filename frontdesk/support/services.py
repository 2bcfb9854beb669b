"""Actions on tasks and support requests. Views, the portal, e-mail ingestion and imports
all change tasks only through these functions (and posts.py's, for the posts of a request)."""

from __future__ import annotations

import datetime as dt
import mimetypes
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.customers import activity as customer_activity
from frontdesk.customers.models import Activity, Customer
from frontdesk.lib.background import enqueue_when_committed, prepare_enqueue
from frontdesk.lib.inserts import Insert, new
from frontdesk.lib.json_rows import rows_of
from frontdesk.mail.services import queue_email
from frontdesk.organizations.queries import are_active_staff
from frontdesk.portal.models import PortalUser
from frontdesk.service_levels import clock
from frontdesk.service_levels.queries import due_moments, next_due
from frontdesk.support import announce, closing, followers
from frontdesk.support.assignment import assign_new_request
from frontdesk.support.models import (
    Assignment,
    Attachment,
    Category,
    Post,
    Priority,
    Rating,
    Severity,
    Source,
    Status,
    Task,
    TaskEvent,
    Topic,
)
from frontdesk.support.topic_fields import build_answers


def save_files(*, task: Task, post: Post | None, files: Sequence[UploadedFile],
               user: User | None = None, portal_user: PortalUser | None = None) -> None:
    """Store uploads as the task's (or its post's) attachments, inside the caller's action."""
    for upload in files:
        name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachment = Attachment(
            organization_id=task.organization_id, task=task, post=post,
            token=secrets.token_hex(16), name=name, size=upload.size or 0,
            content_type=content_type, uploaded_by=user, uploaded_by_portal_user=portal_user,
        )
        # Stored through the storage API under a random name (see attachment_path).
        attachment.file.save(attachment.token, upload, save=False)
        attachment.save()


def create_request(*, topic: Topic, requester: PortalUser, title: str, description: str,
                   files: Sequence[UploadedFile] = (), source: Source = Source.FORM,
                   answers: Mapping[str, Any] | None = None) -> Task:
    """A support request (SPEC T2): a task in the topic's group with the topic's assignees
    (all of them, or one: SPEC X6), for the requester's customer, with the answers to the
    topic's form (cleaned values by field key, SPEC T3). Once it commits, the worker notifies
    the assignees and sends the requester a confirmation (notify_about_new_request)."""
    request = NewRequest(topic=topic, requester=requester, title=title,
                         description=description, files=files, source=source,
                         answers=answers)
    with transaction.atomic():
        return request.save()


_NOT_READ = object()


class NewRequest:
    """The rows of `create_request`, made ahead of the write transaction, for a caller that
    opens its own (on SQLite the public form counts its flood limits in the same one): make
    it before, `save()` it inside.

    `save()` then only sends a handful of statements: on SQLite the write transaction is the
    single writer's turn, which every other submission waits for (docs/architecture.md).
    The requester may be new, saved in the same transaction just before `save()` (the public
    form's new customer and portal user): its keys are filled in then.
    """

    def __init__(self, *, topic: Topic, requester: PortalUser, title: str, description: str,
                 files: Sequence[UploadedFile] = (), source: Source = Source.FORM,
                 answers: Mapping[str, Any] | None = None) -> None:
        if topic.organization_id != requester.organization_id:
            raise ValidationError("topic and requester belong to different organizations")
        # Checked against the topic's form as loaded with it: no statement (ValidationError
        # for a required field unanswered or a field not on the form). None: the requester
        # was not asked (an e-mail, the API, staff), and nothing is required of them.
        kept_answers = (None if answers is None
                        else build_answers(topic.form_fields, answers))
        # A new requester's customer may be new too (not saved yet): its key is filled in
        # when the task is inserted, after theirs.
        customer = ({"customer_id": requester.customer_id} if requester.customer_id is not None
                    else {"customer": requester.customer})
        # Its service levels (SPEC X8), read here, before the write transaction: one
        # statement, or none where the forms read the topic's targets with it
        # (`service_targets`, portal.forms). Counted from now; the row's created_at, set at
        # the insert, is a few milliseconds later.
        read_along: Any = getattr(topic, "service_targets", _NOT_READ)
        dues = due_moments(organization_id=topic.organization_id, topic_id=topic.pk,
                           priority=Priority.NORMAL, start=timezone.now(),
                           rows=None if read_along is _NOT_READ else rows_of(read_along))
        self.task = new(Task, organization=topic.organization, title=title.strip(),
                        description=description.strip(), group_id=topic.group_id, topic=topic,
                        requester=requester, source=source, answers=kept_answers,
                        first_response_due_at=dues.first_response,
                        resolution_due_at=dues.resolution,
                        next_due_at=next_due(is_closed=False, responded=False, dues=dues),
                        **customer)
        self._task = Insert([self.task])
        self._event = Insert([new(TaskEvent, organization_id=topic.organization_id,
                                  task=self.task, kind=TaskEvent.Kind.CREATED,
                                  portal_actor=requester)])
        # Notifications and e-mails are the worker's (notify_about_new_request): a topic with
        # many assignees costs the customer's submission nothing more.
        from frontdesk.support.tasks import notify_about_new_request

        self._notify = prepare_enqueue(notify_about_new_request)
        self.topic, self.requester, self.files = topic, requester, files

    def save(self, *, new_customer: Customer | None = None) -> Task:
        """Write the request (once); call it inside the write transaction. `new_customer`:
        the requester's customer record, made with the request (its webhook is the worker's
        too, notify_about_new_request)."""
        task = self.task
        self._task.run()
        assign_new_request(task=task, topic=self.topic)
        save_files(task=task, post=None, files=self.files, portal_user=self.requester)
        self._event.run()
        self._notify(task.pk, *([new_customer.pk] if new_customer is not None else []))
        return task


@transaction.atomic
def change_status(*, task: Task, status: Status, by: User | None = None,
                  by_customer: PortalUser | None = None) -> Task:
    """Set a request's status, by staff (`by`) or by a portal user who closes it
    (`by_customer`, SPEC P12): a closed request takes no more replies. Closed by staff, its
    requester and followers are e-mailed (support/closing.py, SPEC X2)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == status:
        return task
    old, dues = task.status, clock.dues_of(task)
    task.status = status
    task.closed_at = timezone.now() if status == Status.CLOSED else None
    # Closing records the resolution (closed_at) and stops the clock, waiting for the
    # customer pauses it (SPEC X8).
    sla_fields = clock.follow_status(task)
    task.save(update_fields=["status", "closed_at", *sla_fields, "updated_at"])
    TaskEvent.objects.create(organization_id=task.organization_id, task=task,
                             kind=TaskEvent.Kind.STATUS, actor=by, portal_actor=by_customer,
                             data={"from": old, "to": status})
    announce.request_updated(task, ["status", *clock.due_changes(task, dues)])
    if status == Status.CLOSED and by_customer is None:
        closing.queue_closed_notices(task=task)  # SPEC X2: the customer is told, may rate
    return task


@transaction.atomic
def rate(*, task: Task, portal_user: PortalUser, rating: Rating, comment: str) -> Task:
    """The customer's rating of their closed request (SPEC X2), which they may change; an
    open request cannot be rated (ValidationError)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != Status.CLOSED:
        raise ValidationError(_("Only a closed request can be rated."))
    if (task.rating, task.rating_comment) == (rating, comment.strip()):
        return task  # sent again unchanged: nothing new to record
    task.rating, task.rating_comment = rating, comment.strip()
    task.save(update_fields=["rating", "rating_comment", "updated_at"])
    TaskEvent.objects.create(organization_id=task.organization_id, task=task,
                             kind=TaskEvent.Kind.RATED, portal_actor=portal_user,
                             data={"rating": rating})
    return task


@transaction.atomic
def delegate(*, task: Task, assignees: Iterable[User], due_date: dt.date | None,
             priority: Priority, by: User) -> Task:
    """Set who works on a request, by when and how urgently (SPEC T4, T6): an event for each
    of the three that changed; those newly assigned (but `by`) are notified after the commit.
    Everyone in `assignees` must be active staff of the request's organization, or nothing
    changes (ValidationError), as for a topic's assignees (save_topic)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    dues = clock.dues_of(task)
    wanted = {user.pk for user in assignees}
    if not are_active_staff(task.organization_id, wanted):
        raise ValidationError(_("Assignees must be staff of this organization."))
    current = set(Assignment.objects.filter(task=task).values_list("user_id", flat=True))
    events: list[tuple[TaskEvent.Kind, dict[str, Any]]] = []
    if wanted != current:
        Assignment.objects.filter(task=task, user_id__in=current - wanted).delete()
        Assignment.objects.bulk_create([Assignment(task=task, user_id=user_id)
                                        for user_id in sorted(wanted - current)])
        events.append((TaskEvent.Kind.ASSIGNEES, {"added": sorted(wanted - current),
                                                  "removed": sorted(current - wanted)}))
    changed = []
    if task.due_date != due_date:
        events.append((TaskEvent.Kind.DUE_DATE, {
            "from": task.due_date.isoformat() if task.due_date else None,
            "to": due_date.isoformat() if due_date else None}))
        task.due_date = due_date
        changed.append("due_date")
    if task.priority != priority:
        events.append((TaskEvent.Kind.PRIORITY, {"from": task.priority, "to": priority}))
        task.priority = priority
        changed.append("priority")
        changed.extend(clock.recompute(task))
    if changed:
        task.save(update_fields=[*changed, "updated_at"])
    TaskEvent.objects.bulk_create([TaskEvent(organization_id=task.organization_id, task=task,
                                             kind=kind, actor=by, data=data)
                                   for kind, data in events])
    changes = [name for kind, name in ((TaskEvent.Kind.ASSIGNEES, "assignees"),
                                       (TaskEvent.Kind.DUE_DATE, "due_date"),
                                       (TaskEvent.Kind.PRIORITY, "priority"))
               if any(event_kind == kind for event_kind, _data in events)]
    changes += clock.due_changes(task, dues)  # the priority's service levels (SPEC X8)
    if changes:
        announce.request_updated(task, changes)
    notified = sorted(wanted - current - {by.pk})
    if notified:
        from frontdesk.support.tasks import notify_about_assignment

        enqueue_when_committed(notify_about_assignment, task.pk, notified, by.pk)
    return task


@transaction.atomic
def change_customer(*, task: Task, customer: Customer | None, by: User) -> Task:
    """Tag a task with another customer, or with none (SPEC C13): an event on the task, an
    activity on the customer it leaves and on the one it joins. The request is then seen in
    the portal by the new customer's people, and no longer by the old one's: visibility
    follows `Task.customer` (support/visibility.py), the requester's own link included. Its
    followers are removed (SPEC X5)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if customer is not None and customer.organization_id != task.organization_id:
        raise ValidationError(_("Choose a customer of this organization."))
    before = task.customer_id
    after = customer.pk if customer is not None else None
    if before == after:
        return task
    task.customer_id = after
    # Shared work stays with the customer it was shared with (support/sharing.py).
    unshared = task.shared_with_customer
    task.shared_with_customer = False
    task.save(update_fields=["customer", "shared_with_customer", "updated_at"])
    TaskEvent.objects.create(organization_id=task.organization_id, task=task,
                             kind=TaskEvent.Kind.CUSTOMER, actor=by,
                             data={"from": before, "to": after,
                                   **({"unshared": True} if unshared else {})})
    announce.request_updated(task, ["customer"])
    # The followers were the old customer's people and the addresses they chose: nothing of
    # the new customer's request goes to them (SPEC X5).
    followers.remove_all_followers(task=task, by=by)
    for customer_id, kind in ((before, Activity.Kind.TASK_UNLINKED),
                              (after, Activity.Kind.TASK_LINKED)):
        if customer_id is not None:
            customer_activity.record(customer=customer_id,
                                     organization_id=task.organization_id,
                                     kind=kind, by=by, task=task.pk, title=task.title)
    return task


@transaction.atomic
def change_topic(*, task: Task, topic: Topic, by: User) -> Task:
    """Move a request to another topic of its organization: an event on it, and its service
    levels worked out again for the topic (SPEC X8). Its group and assignees stay as they
    are (they were the old topic's choice; staff change them apart)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if topic.organization_id != task.organization_id:
        raise ValidationError(_("Choose a topic of this organization."))
    before = task.topic_id
    if before == topic.pk:
        return task
    task.topic = topic
    dues = clock.dues_of(task)
    changed = ["topic", *clock.recompute(task)]
    task.save(update_fields=[*changed, "updated_at"])
    TaskEvent.objects.create(organization_id=task.organization_id, task=task,
                             kind=TaskEvent.Kind.TOPIC, actor=by,
                             data={"from": before, "to": topic.pk})
    announce.request_updated(task, ["topic", *clock.due_changes(task, dues)])
    return task


@transaction.atomic
def describe(*, task: Task, severity: Severity | None, category: Category | None,
             solution: str, by: User) -> Task:
    """Set a request's severity and category (None: not set) and its solution, which the
    customer reads on the request (SPEC T6): an event for each that changed. The solution's
    text stays out of the event (the activity shows that it changed). A solution written or
    changed is e-mailed to the requester, with a fresh link."""
    task = (Task.objects.select_for_update(of=("self",)).select_related("requester", "organization")
            .get(pk=task.pk))
    solution = solution.strip()
    wanted = {"severity": severity or "", "category": category or "", "solution": solution}
    kinds = {"severity": TaskEvent.Kind.SEVERITY, "category": TaskEvent.Kind.CATEGORY,
             "solution": TaskEvent.Kind.SOLUTION}
    events, changed = [], []
    for name, value in wanted.items():
        before = getattr(task, name)
        if before == value:
            continue
        data = ({"from": before, "to": value} if name != "solution"
                else {"written": bool(value)})
        events.append(TaskEvent(organization_id=task.organization_id, task=task,
                                kind=kinds[name], actor=by, data=data))
        setattr(task, name, value)
        changed.append(name)
    if changed:
        task.save(update_fields=[*changed, "updated_at"])
        TaskEvent.objects.bulk_create(events)
        announce.request_updated(task, changed)
    requester = task.requester
    if (solution and "solution" in changed
            and requester is not None and requester.is_active):
        queue_email(kind="portal.solution_notice", to=requester.email,
                    organization=task.organization,
                    language=requester.language or task.organization.language,
                    context={"task_id": task.pk, "portal_user_id": requester.pk})
    if solution and "solution" in changed:
        followers.queue_solution_notices(task=task)  # SPEC X5
    return task
