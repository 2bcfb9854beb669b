"""Staff make a task of their own (SPEC T1): work for a group, with its priority, due date and
assignees, for a customer or for none. A staff task is not a support request (`Source.STAFF`):
no requester, no confirmation e-mail, and no customer sees it unless staff share it with its
customer (support/sharing.py, SPEC P16)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.customers import activity as customer_activity
from frontdesk.customers.models import Activity, Customer
from frontdesk.lib.background import enqueue_when_committed
from frontdesk.organizations.models import Group, Organization
from frontdesk.organizations.queries import are_active_staff
from frontdesk.support.models import Assignment, Priority, Source, Task, TaskEvent
from frontdesk.support.services import save_files


@transaction.atomic
def create_task(*, organization: Organization, by: User, title: str, group: Group,
                description: str = "", priority: Priority = Priority.NORMAL,
                due_date: dt.date | None = None, assignees: Iterable[User] = (),
                customer: Customer | None = None, shared: bool = False,
                files: Sequence[UploadedFile] = ()) -> Task:
    """A new staff task: an event on it, an activity on its customer; the assignees but
    `by` are notified after the commit. The group, the assignees (active staff) and the
    customer must be the organization's, or nothing is made (ValidationError); `shared`
    shows it to its customer's people at once (a customer is then required)."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the task a title."))
    if group.organization_id != organization.pk:
        raise ValidationError(_("Choose a group of this organization."))
    if customer is not None and customer.organization_id != organization.pk:
        raise ValidationError(_("Choose a customer of this organization."))
    if shared and customer is None:
        raise ValidationError(_("Choose the task's customer first: a task is shared with "
                                "its customer."))
    wanted = sorted({user.pk for user in assignees})
    if not are_active_staff(organization.pk, wanted):
        raise ValidationError(_("Assignees must be staff of this organization."))
    task = Task.objects.create(
        organization=organization, title=title, description=description.strip(),
        group=group, priority=priority, due_date=due_date, creator=by,
        customer=customer, source=Source.STAFF, shared_with_customer=shared)
    Assignment.objects.bulk_create([Assignment(task=task, user_id=user_id)
                                    for user_id in wanted])
    save_files(task=task, post=None, files=files, user=by)
    TaskEvent.objects.create(organization_id=organization.pk, task=task,
                             kind=TaskEvent.Kind.CREATED, actor=by)
    if customer is not None:
        customer_activity.record(customer=customer.pk, organization_id=organization.pk,
                                 kind=Activity.Kind.TASK_LINKED, by=by, task=task.pk,
                                 title=task.title)
    notified = [user_id for user_id in wanted if user_id != by.pk]
    if notified:
        from frontdesk.support.tasks import notify_about_assignment

        enqueue_when_committed(notify_about_assignment, task.pk, notified, by.pk)
    return task
