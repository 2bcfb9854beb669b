"""The followers of a support request (SPEC X5): colleagues of the request's customer and
CC addresses, added and removed by the requester, by a colleague who follows, or by staff.

A colleague follower sees the request in the portal and may reply like its requester, even
where each person sees only their own requests (support.visibility); a CC address only gets
the customer-facing e-mails, without a link into the portal (support.follower_emails). The
actions here are the only way followers change; each records an event in the request's
activity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import BooleanField, F, Func, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.lib.json_rows import JSONRows, parsed_rows
from frontdesk.mail.services import Email, queue_emails
from frontdesk.portal.models import PortalUser, person_name
from frontdesk.support import announce
from frontdesk.support.models import Follower, Post, Task, TaskEvent

# Each follower is e-mailed on every reply: a bound on how many one request may have keeps
# a portal user from turning the desk into a mailing list.
MAX_FOLLOWERS = 20
EMAIL_LENGTH = 254  # Follower.email's
# The colleagues a request page offers to add, read with the request.
COLLEAGUES_OFFERED = 200


# What a request page shows of a follower, read with the request (lib/json_rows.py).
FOLLOWER_ROW = ("pk", "portal_user_id", "email", "portal_user__first_name",
                "portal_user__last_name", "portal_user__email")
COLLEAGUE_ROW = ("pk", "first_name", "last_name", "email")


class FollowerLine(NamedTuple):
    """A follower as a request page lists it: a colleague (`portal_user_id`) by name, or a
    CC address."""

    pk: int
    portal_user_id: int | None
    name: str
    email: str


class _IdAmong(Func):
    """`id IN (subquery)`, written on PostgreSQL as `id = ANY(ARRAY(subquery))`: an array
    computed once, which an index scan of the primary key takes as its condition, so that
    `requester_id = x OR id = ANY(…)` is read as a bitmap OR of two index scans (the requester's
    index and the primary key) instead of a walk over every request of the customer."""

    output_field = BooleanField()
    conditional = True

    template = "%(column)s IN %(subquery)s"

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any  # type: ignore[override]
               ) -> tuple[str, tuple[Any, ...]]:
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        template = extra_context.get("template", self.template)
        return (template % {"column": column_sql, "subquery": subquery_sql},
                (*column_params, *subquery_params))

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any
                      ) -> tuple[str, tuple[Any, ...]]:
        return self.as_sql(compiler, connection,
                           template="%(column)s = ANY(ARRAY%(subquery)s)", **extra_context)


def followed_by(portal_user_id: Any) -> _IdAmong:
    """For a query of tasks: those the portal user follows (SPEC X5)."""
    return _IdAmong(F("pk"), Subquery(Follower.objects.filter(portal_user_id=portal_user_id)
                                      .values("task_id")))


def follower_rows() -> JSONRows:
    """For a query of tasks: their followers, oldest first (`follower_lines`)."""
    return JSONRows(Follower.objects.filter(task_id=OuterRef("pk")).order_by("id"),
                    FOLLOWER_ROW)


def colleague_rows() -> JSONRows:
    """For a query of tasks: the active portal users of each task's customer, by name, who
    could follow it (`colleague_choices`); none for a task without a customer."""
    return JSONRows(PortalUser.objects.filter(customer_id=OuterRef("customer_id"),
                                              organization_id=OuterRef("organization_id"),
                                              is_active=True)
                    .order_by("first_name", "last_name", "id")[:COLLEAGUES_OFFERED],
                    COLLEAGUE_ROW)


def _lines(rows: list[list[Any]]) -> tuple[FollowerLine, ...]:
    lines = []
    for pk, portal_user_id, email, first_name, last_name, person_email in rows:
        if portal_user_id is not None:
            lines.append(FollowerLine(pk, portal_user_id,
                                      person_name(first_name, last_name, person_email),
                                      person_email))
        else:
            lines.append(FollowerLine(pk, None, email, email))
    return tuple(lines)


def _colleagues(rows: list[list[Any]]) -> tuple[tuple[int, str, str], ...]:
    return tuple((pk, person_name(first, last, email), email) for pk, first, last, email in rows)


def follower_lines(task: Task) -> tuple[FollowerLine, ...]:
    """The followers of a task read with `follower_rows` (as `follower_rows`)."""
    return parsed_rows(getattr(task, "follower_rows", None), _lines)


def colleague_choices(task: Task, followers: Sequence[FollowerLine]
                      ) -> list[tuple[int, str]]:
    """(portal user id, "Name <e-mail>") of the colleagues read with `colleague_rows` who do
    not follow the task yet and are not its requester."""
    taken = {line.portal_user_id for line in followers} | {task.requester_id}
    rows = parsed_rows(getattr(task, "colleague_rows", None), _colleagues)
    return [(pk, f"{name} <{email}>" if name != email else email)
            for pk, name, email in rows if pk not in taken]


def colleagues_of(task: Task) -> QuerySet[PortalUser]:
    """The people who may be added to `task` as colleague followers: the active portal users
    of its own customer (none without one), never another customer's."""
    if task.customer_id is None:
        return PortalUser.objects.none()
    return (PortalUser.objects.for_org(task.organization_id)
            .filter(customer_id=task.customer_id, is_active=True)
            .order_by("first_name", "last_name", "id"))


def may_manage_followers(task: Task, portal_user: PortalUser,
                         followers: Iterable[FollowerLine] | None = None) -> bool:
    """Whether a portal user who sees `task` may add and remove its followers: its
    requester, or a colleague who follows it (`followers`: as read with the task, else they
    are asked for)."""
    if portal_user.organization_id != task.organization_id:
        return False
    if portal_user.pk == task.requester_id:
        return True
    if followers is not None:
        return any(line.portal_user_id == portal_user.pk for line in followers)
    return Follower.objects.filter(task_id=task.pk, portal_user_id=portal_user.pk).exists()


def _locked(task: Task) -> Task:
    # The request's row serialises changes of its followers (the bound, the duplicates).
    return (Task.objects.select_for_update(of=("self",)).select_related("requester")
            .get(pk=task.pk))


def _check_actor(task: Task, by: User | None, by_portal_user: PortalUser | None) -> None:
    if (by is None) == (by_portal_user is None):
        raise ValueError("a follower is changed by staff or by a portal user, one of them")
    if by_portal_user is not None and not may_manage_followers(task, by_portal_user):
        raise ValidationError(_("Only the requester and the people who follow the request "
                                "can change who follows it."))


def _record(task: Task, kind: TaskEvent.Kind, follower: Follower, by: User | None,
            by_portal_user: PortalUser | None) -> None:
    TaskEvent.objects.create(organization_id=task.organization_id, task=task, kind=kind,
                             actor=by, portal_actor=by_portal_user,
                             data={"follower": follower.pk,
                                   "portal_user": follower.portal_user_id,
                                   "email": follower.email})


def _colleague_of_address(task: Task, email: str) -> PortalUser | None:
    # An address of one of the customer's own active people makes them a colleague follower:
    # they then see the request in the portal, as the one adding them meant.
    return colleagues_of(task).filter(email__iexact=email).first()


@transaction.atomic
def add_follower(*, task: Task, portal_user: PortalUser | None = None, email: str = "",
                 by: User | None = None, by_portal_user: PortalUser | None = None
                 ) -> Follower:
    """Add a follower to a support request: `portal_user`, a colleague of the request's own
    customer (never another customer's), or a CC `email`; by staff (`by`) or by a portal
    user who may manage its followers (`by_portal_user`: the requester or a colleague
    follower). ValidationError, with nothing changed, for anyone else, a person of another
    customer, a bad address, the requester themselves, a follower twice, or more than
    MAX_FOLLOWERS."""
    task = _locked(task)
    _check_actor(task, by, by_portal_user)
    if not task.is_request:
        raise ValidationError(_("Only support requests have followers."))
    if (portal_user is None) == (not email.strip()):
        raise ValidationError(_("Choose a colleague or enter an e-mail address."))
    if portal_user is None:
        email = email.strip().lower()
        try:
            validate_email(email)
            if len(email) > EMAIL_LENGTH:  # what the column holds (PostgreSQL refuses more)
                raise ValidationError("too long")
        except ValidationError:
            raise ValidationError(_("Enter a valid e-mail address.")) from None
        requester = task.requester
        if requester is not None and requester.email.lower() == email:
            raise ValidationError(_("The requester gets the e-mails already."))
        portal_user = _colleague_of_address(task, email)
    if portal_user is not None:
        if (portal_user.organization_id != task.organization_id
                or task.customer_id is None or portal_user.customer_id != task.customer_id
                or not portal_user.is_active):
            raise ValidationError(_("Only people of the request's customer can follow it in "
                                    "the portal."))
        if portal_user.pk == task.requester_id:
            raise ValidationError(_("The requester gets the e-mails already."))
        email = ""
    existing = Follower.objects.filter(task=task)
    same = (existing.filter(portal_user=portal_user) if portal_user is not None
            else existing.filter(portal_user__isnull=True, email=email))
    if same.exists():
        raise ValidationError(_("%(name)s follows this request already.")
                              % {"name": portal_user or email})
    if existing.count() >= MAX_FOLLOWERS:
        raise ValidationError(_("A request can have at most %(count)s followers.")
                              % {"count": MAX_FOLLOWERS})
    follower = Follower.objects.create(organization_id=task.organization_id, task=task,
                                       portal_user=portal_user, email=email, added_by=by,
                                       added_by_portal_user=by_portal_user)
    _record(task, TaskEvent.Kind.FOLLOWER_ADDED, follower, by, by_portal_user)
    announce.follower_added(task, follower)
    return follower


@transaction.atomic
def remove_follower(*, follower: Follower, by: User | None = None,
                    by_portal_user: PortalUser | None = None) -> None:
    """Remove a follower from its request, by staff (`by`) or by a portal user who may
    manage its followers (`by_portal_user`; a colleague may stop following themselves). A
    removed colleague no longer sees the request where people see only their own."""
    task = _locked(follower.task)
    _check_actor(task, by, by_portal_user)
    deleted, _rows = Follower.objects.filter(pk=follower.pk, task=task).delete()
    if deleted:
        _record(task, TaskEvent.Kind.FOLLOWER_REMOVED, follower, by, by_portal_user)
        announce.followers_removed(task, [follower])


def remove_all_followers(*, task: Task, by: User) -> None:
    """Inside an action that moved a request to another customer (SPEC C13): its followers,
    who were the old customer's, are removed, each with its event."""
    gone = list(Follower.objects.filter(task_id=task.pk).select_related("portal_user")
                .order_by("id"))
    if not gone:
        return
    Follower.objects.filter(pk__in=[follower.pk for follower in gone]).delete()
    TaskEvent.objects.bulk_create([
        TaskEvent(organization_id=task.organization_id, task=task,
                  kind=TaskEvent.Kind.FOLLOWER_REMOVED, actor=by,
                  data={"follower": follower.pk, "portal_user": follower.portal_user_id,
                        "email": follower.email})
        for follower in gone])
    announce.followers_removed(task, gone)


def _follower_emails(task: Task, kind: str, context: dict[str, int]) -> list[Email]:
    requester_email = task.requester.email.lower() if task.requester else ""
    emails = []
    for follower in (Follower.objects.filter(task_id=task.pk).select_related("portal_user")
                     .order_by("id")):
        person = follower.portal_user
        address = person.email if person is not None else follower.email
        if person is not None and not person.is_active:
            continue
        if address.lower() == requester_email:
            continue  # the requester's own e-mail goes to that address already
        emails.append(Email(kind=kind, to=address, organization=task.organization,
                            language=(person.language if person else "")
                            or task.organization.language,
                            context={**context, "follower_id": follower.pk}))
    return emails


def queue_reply_notices(*, post: Post) -> None:
    """Inside an action that showed a staff post to the customer: the request's followers
    get it by e-mail as its requester does (built at delivery, when the post must still be
    visible: support.follower_emails)."""
    queue_emails(_follower_emails(post.task, "support.follower_reply_notice",
                                  {"post_id": post.pk}))


def queue_solution_notices(*, task: Task) -> None:
    """Inside an action that wrote a request's solution: its followers get it by e-mail."""
    queue_emails(_follower_emails(task, "support.follower_solution_notice",
                                  {"task_id": task.pk}))


def closed_notice_emails(*, task: Task) -> list[Email]:
    """The e-mails telling a request's followers that staff closed it (SPEC X2), for the
    action to queue with its requester's (support/closing.py)."""
    return _follower_emails(task, "support.follower_closed_notice", {"task_id": task.pk})
