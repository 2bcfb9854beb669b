"""Actions on support topics (SPEC T3, X6): create, change and delete them. Views and the demo
and bench seeds change topics only through these functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.organizations.models import Group, Membership, Organization
from frontdesk.support.models import AssignmentMode, Topic
from frontdesk.support.topic_fields import clean_definitions


@transaction.atomic
def save_topic(*, organization: Organization, name: str, group: Group,
               assignees: Iterable[User], topic: Topic | None = None,
               to_customer_managers: bool = False,
               assignment: AssignmentMode | None = None,
               form_fields: Sequence[Mapping[str, Any]] | None = None) -> Topic:
    """Create or change a support topic: the group its requests go to and their assignees,
    or, `to_customer_managers`, the customer's managers where it has any (SPEC T3, C5);
    whether a request goes to all the assignees or to one (`assignment`, SPEC X6); the
    fields of its form, in order (`form_fields`, SPEC T3: definitions as
    topic_fields.clean_definitions takes them; a field's `key` kept when it is changed).
    `assignment` and `form_fields` left None stay as they are (a new topic: all, none)."""
    assignees = list(assignees)
    fields = clean_definitions(form_fields) if form_fields is not None else None
    if group.organization_id != organization.pk:
        raise ValidationError(_("Choose a group of this organization."))
    staff_ids = set(Membership.objects.filter(organization=organization, user__in=assignees)
                    .values_list("user_id", flat=True))
    if any(user.pk not in staff_ids for user in assignees):
        raise ValidationError(_("Assignees must be staff of this organization."))
    if topic is None:
        position = Topic.objects.for_org(organization).count()
        topic = Topic.objects.create(organization=organization, name=name.strip(), group=group,
                                     position=position,
                                     to_customer_managers=to_customer_managers,
                                     assignment=assignment or AssignmentMode.ALL,
                                     form_fields=fields or [])
    else:
        topic.name = name.strip()
        topic.group = group
        topic.to_customer_managers = to_customer_managers
        changed = ["name", "group", "to_customer_managers"]
        if assignment is not None:
            topic.assignment = assignment
            changed.append("assignment")
        if fields is not None:
            topic.form_fields = fields
            changed.append("form_fields")
        topic.save(update_fields=changed)
    topic.assignees.set(assignees)
    return topic


@transaction.atomic
def delete_topic(*, topic: Topic) -> None:
    """Delete a topic; the last one stays (a form always has a topic, SPEC T3). Its requests
    keep their group and assignees."""
    remaining = (Topic.objects.select_for_update().for_org(topic.organization)
                 .exclude(pk=topic.pk))
    if not remaining.exists():
        raise ValidationError(_("At least one topic must remain."))
    topic.delete()
