"""Shared work (SPEC P16): staff share one of their own tasks with its customer, whose people
then see it in the portal (support.visibility: its title, stage, assignees, due date and the
posts made visible to them, never its description or an internal note), and may reply to it.

Only a staff task with a customer can be shared: a request is its customer's already, and a
task without a customer has no one to show it to. The task stops being shared when it leaves
its customer (services.change_customer): the next one's people never see what was shared
with the last one's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.support.models import Source, Task, TaskEvent


@transaction.atomic
def share_task_with_customer(*, task: Task, shared: bool, by: User) -> Task:
    """Show a staff task to its customer in the portal (`shared`), or stop showing it: an event
    on the task. Refused, with a message, for a request or a task without a customer."""
    task = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    if task.source != Source.STAFF:
        raise ValidationError(_("Only a staff task can be shared: the customer sees their "
                                "requests already."))
    if shared and task.customer_id is None:
        raise ValidationError(_("Choose the task's customer first: a task is shared with "
                                "its customer."))
    if task.shared_with_customer == shared:
        return task
    task.shared_with_customer = shared
    task.save(update_fields=["shared_with_customer", "updated_at"])
    TaskEvent.objects.create(organization_id=task.organization_id, task=task,
                             kind=TaskEvent.Kind.SHARED if shared else TaskEvent.Kind.UNSHARED,
                             actor=by, data={"customer": task.customer_id})
    return task
