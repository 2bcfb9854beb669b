"""What a customer may see of a request: this module, and nothing else, decides it.

Portal pages (and their live updates, X3), e-mails to customers, file downloads (and later
exports, search and the API) all ask these functions. The rules (SPEC P7, P11, T5):
- a portal user signed in with a password sees the requests of their customer; one signed in
  through a passwordless link (or where the organization shows each person their own) sees
  only the requests they made themselves and those they follow as a colleague (SPEC X5),
  while those are still their customer's (staff may tag a request with another customer:
  SPEC C13);
- of a request, they see the title, the stage, who handles it (the assignees' names, never
  their e-mail addresses) and by when (the due date staff set, else, while open, the resolution
  due by the organization's service levels: SPEC X8) (SPEC P11, seed 003), the requester's own
  description and files, the posts of the customer's people, the staff posts made visible to
  the customer, and the solution staff wrote for them (T6);
- nothing else: no internal post, group, severity, category or other dates (not the first
  response's target, nor whether a target was missed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Avg, Count, DurationField, F, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from frontdesk.lib.choices import choice_labels
from frontdesk.lib.jinja_memo import FrozenDict
from frontdesk.lib.paging import keyset_query
from frontdesk.lib.prepared import prepared
from frontdesk.portal.auth import PortalViewer, shared_work_shown, viewer_outside_a_page
from frontdesk.portal.models import PortalSettings, PortalUser
from frontdesk.support.followers import colleague_rows, followed_by, follower_rows
from frontdesk.support.live import State, posts_after, state_from, state_of_tasks
from frontdesk.support.models import (
    Assignment,
    Attachment,
    AttachmentQuerySet,
    Post,
    Source,
    Status,
    Task,
    TaskQuerySet,
)
from frontdesk.support.queries import (
    FileLine,
    PostLine,
    assignee_names,
    has_files,
    post_lines_of,
    post_rows,
    with_assignee_names,
)


def _since(tasks: TaskQuerySet, since: dt.datetime | None) -> TaskQuerySet:
    # The customer's people see its requests from this moment on (SPEC P10).
    return tasks if since is None else tasks.filter(created_at__gte=since)


def _requests_of_customer(org_id: int, customer_id: int, since: dt.datetime | None
                          ) -> TaskQuerySet:
    return _since(Task.objects.for_org(org_id).filter(customer_id=customer_id).requests(),
                  since)


def _requests_of_requester(org_id: int, portal_user_id: int, customer_id: int,
                           since: dt.datetime | None) -> TaskQuerySet:
    # The requests they made and those they follow as a colleague (SPEC X5), in the same
    # statement; only those of the customer they act for (a person may act for several,
    # SPEC X7), and only while they are still that customer's: staff may tag a request with
    # another customer (SPEC C13), whose people then see it instead.
    return _since(Task.objects.for_org(org_id).filter(
        Q(requester_id=portal_user_id) | Q(followed_by(portal_user_id)),
        customer_id=customer_id).requests(), since)


def _for_viewer(viewer: PortalViewer, of_customer: Callable[..., Any],
                of_requester: Callable[..., Any], *args: Any) -> Any:
    """Ask the question of the viewer's customer (the one they act for now, SPEC X7), or of
    the viewer alone there (a link, or an organization that shows each person their own
    requests only), from the moment their customer's requests are shown (SPEC P10)."""
    portal_user = viewer.portal_user
    if viewer.own_requests_only:
        return of_requester(portal_user.organization_id, portal_user.pk,
                            portal_user.customer_id, viewer.since, *args)
    return of_customer(portal_user.organization_id, portal_user.customer_id, viewer.since,
                       *args)


def requests_visible_to(viewer: PortalViewer) -> TaskQuerySet:
    result: TaskQuerySet = _for_viewer(viewer, _requests_of_customer, _requests_of_requester)
    return result


# The portal's pages ask the same questions on every request: prepared once per process
# (lib/prepared.py), from the same querysets as above.
REQUEST_ROW = ("pk", "title", "status", "created_at", "due_date", "resolution_due_at")


def _page_rows(tasks: TaskQuerySet, before: int | None, after: int | None
               ) -> QuerySet[Task, Any]:
    # Each with who handles it, by name (support.queries.with_assignee_names).
    ascending = after is not None and before is None  # keyset_query's order
    return with_assignee_names(tasks, REQUEST_ROW,
                               lambda rows: keyset_query(rows, before, after),
                               ("pk",) if ascending else ("-pk",), for_customers=True)


@prepared
def _customer_request_rows(org_id: int, customer_id: int, since: dt.datetime | None,
                           before: int | None, after: int | None) -> QuerySet[Task, Any]:
    return _page_rows(_requests_of_customer(org_id, customer_id, since), before, after)


@prepared
def _requester_request_rows(org_id: int, portal_user_id: int, customer_id: int,
                            since: dt.datetime | None, before: int | None, after: int | None
                            ) -> QuerySet[Task, Any]:
    return _page_rows(_requests_of_requester(org_id, portal_user_id, customer_id, since),
                      before, after)


def request_rows_visible_to(viewer: PortalViewer, before: int | None, after: int | None
                            ) -> list[Any]:
    """A page of the viewer's requests (see lib/paging.py) as rows of REQUEST_ROW and
    `assignee_names`."""
    rows: list[Any] = _for_viewer(viewer, _customer_request_rows, _requester_request_rows,
                                  before, after)
    return rows


# The portal's home page (SPEC P14): its newest requests, and whose hands they are in.
RECENT_REQUESTS = 5
HANDLERS = 6
HANDLERS_OF_NEWEST = 50


def recent_requests_of(org_id: int, customer_id: int, scope_id: int, own_only: bool,
                       since: dt.datetime | None) -> QuerySet[Task]:
    """A viewer's newest requests (RECENT_REQUESTS), as a query to read along with others
    (portal/home.py, which names who handles them apart: `handlers_of`); the viewer's requests
    as in `handlers_of`."""
    tasks = (_requests_of_requester(org_id, scope_id, customer_id, since) if own_only
             else _requests_of_customer(org_id, scope_id, since))
    return tasks.order_by("-pk")[:RECENT_REQUESTS]


def handlers_of(org_id: int, customer_id: int, scope_id: int, own_only: bool,
                since: dt.datetime | None) -> QuerySet[Any]:
    """Who handles a viewer's open requests (SPEC P14, "who is handling my requests"), kept a
    minute by the home page as its charts' figures (portal/home.py): the staff assigned to the
    newest of them (HANDLERS_OF_NEWEST, so the cost stays that of a page for a customer with
    thousands open), those with the most of these first, by name (`user__full_name`). The
    viewer's requests are those of `_for_viewer`: of the customer `scope_id`, or of the person
    `scope_id` (acting for `customer_id`) when `own_only`. By name only, as everywhere
    customers see staff: a nameless member is left out, never shown by e-mail."""
    tasks = (_requests_of_requester(org_id, scope_id, customer_id, since) if own_only
             else _requests_of_customer(org_id, scope_id, since))
    newest_open = tasks.filter(is_open=1).order_by("-pk").values("pk")[:HANDLERS_OF_NEWEST]
    return (Assignment.objects.filter(task__in=newest_open).exclude(user__full_name="")
            .values("user_id").annotate(n=Count("task_id"))
            .order_by("-n", "user__full_name", "user_id")[:HANDLERS])


def request_figures_visible_to(viewer: PortalViewer, closed_since: dt.datetime
                               ) -> list[Any]:
    """Per priority, of the viewer's requests: how many are open, how many were closed since
    `closed_since`, and how long those took on average (a timedelta, None without any): the
    home page's charts (SPEC P14; seed 002). One query, over the customer's requests only."""
    closed = Q(status=Status.CLOSED, closed_at__gte=closed_since)
    return list(requests_visible_to(viewer).order_by().values("priority").annotate(
        open=Count("pk", filter=Q(is_open=1)),
        closed=Count("pk", filter=closed),
        close_time=Avg(F("closed_at") - F("created_at"), filter=closed,
                       output_field=DurationField()),
    ).values_list("priority", "open", "closed", "close_time", named=True))


def _one_request(tasks: TaskQuerySet, task_id: int, with_posts: bool) -> TaskQuerySet:
    tasks = tasks.filter(pk=task_id).select_related("requester").annotate(
        has_files=has_files(), assignee_names=assignee_names(for_customers=True))
    if with_posts:
        # The posts its customer may read, with the request (lib/json_rows.py).
        tasks = tasks.annotate(post_rows=post_rows(
            Post.objects.filter(task_id=OuterRef("pk")).visible_to_customer()),
            # Its followers, and the colleagues who could follow it (SPEC X5).
            follower_rows=follower_rows(), colleague_rows=colleague_rows())
    return tasks[:1]


@prepared
def _customer_request(org_id: int, customer_id: int, since: dt.datetime | None, task_id: int,
                      with_posts: bool) -> TaskQuerySet:
    return _one_request(_requests_of_customer(org_id, customer_id, since), task_id, with_posts)


@prepared
def _requester_request(org_id: int, portal_user_id: int, customer_id: int,
                       since: dt.datetime | None, task_id: int, with_posts: bool
                       ) -> TaskQuerySet:
    return _one_request(_requests_of_requester(org_id, portal_user_id, customer_id, since),
                        task_id, with_posts)


def request_visible_to(viewer: PortalViewer, task_id: int, *, with_posts: bool = False
                       ) -> Task | None:
    """One of the viewer's requests, with its requester and whether it has files at all
    (`has_files`); None if it is not theirs to see. `with_posts`: with the posts its customer
    may read too (`posts_visible_on_page`)."""
    found = _for_viewer(viewer, _customer_request, _requester_request, task_id, with_posts)
    return found[0] if found else None


@prepared
def _customer_request_state(org_id: int, customer_id: int, since: dt.datetime | None,
                            task_id: int) -> QuerySet[Any]:
    return state_of_tasks(_requests_of_customer(org_id, customer_id, since).filter(pk=task_id),
                          customer_visible=True)


@prepared
def _requester_request_state(org_id: int, portal_user_id: int, customer_id: int,
                             since: dt.datetime | None, task_id: int) -> QuerySet[Any]:
    return state_of_tasks(_requests_of_requester(org_id, portal_user_id, customer_id, since)
                          .filter(pk=task_id), customer_visible=True)


def request_state_visible_to(viewer: PortalViewer, task_id: int) -> State | None:
    """For a live request page (SPEC X3, support/live.py): the status of one of the viewer's
    requests, and how many posts its customer may read and the newest one's id, in one
    query; None if it is not theirs to see."""
    return state_from(_for_viewer(viewer, _customer_request_state, _requester_request_state,
                                  task_id))


def posts_visible_after(task_id: int, after: int) -> tuple[PostLine, ...]:
    """The posts of a request (already known to be the viewer's: `request_state_visible_to`)
    newer than `after` that its customer may read, with their files, as its page shows them."""
    return posts_after(task_id, after, customer_visible=True)


def posts_visible_on_page(task: Task, files: Mapping[int | None, tuple[FileLine, ...]]
                          ) -> tuple[PostLine, ...]:
    """The posts of a request read `with_posts` (`request_visible_to`), those its customer may
    read, as a request page shows them, each with its files among `files` (`file_lines` of
    `attachments_visible_on_page`; support.queries.post_lines_of)."""
    return post_lines_of(task.post_rows, files)  # type: ignore[attr-defined]


@prepared
def _attachments_visible_on_page(task_id: int) -> AttachmentQuerySet:
    return Attachment.objects.filter(task_id=task_id).visible_to_customer().order_by("id")


def attachments_visible_on_page(task: Task) -> list[Attachment]:
    """The files of a request (already known to be visible) that its customer may open, oldest
    first. None to read when the request has no file at all (`has_files`, if it was read)."""
    if not getattr(task, "has_files", True):
        return []
    return _attachments_visible_on_page(task.pk)


def attachments_visible_to(viewer: PortalViewer) -> AttachmentQuerySet:
    tasks = requests_visible_to(viewer)
    return Attachment.objects.filter(task__in=tasks.values("pk")).visible_to_customer()


def portal_user_may_read_post(portal_user: PortalUser, post: Post) -> bool:
    """For e-mails to customers: is this post something this person may read, acting for
    its request's customer (one of theirs, SPEC X7)?"""
    viewer = viewer_outside_a_page(portal_user, in_portal=False,
                                   customer_id=post.task.customer_id)
    return (viewer is not None and post.is_visible_to_customer
            and requests_visible_to(viewer).filter(pk=post.task_id).exists())


def portal_user_may_read_request(portal_user: PortalUser, task_id: int) -> bool:
    """For e-mails to customers: is this request something this person may read (as in the
    portal, whether or not the portal is open to their customer)?"""
    viewer = viewer_outside_a_page(portal_user, in_portal=False)
    return viewer is not None and requests_visible_to(viewer).filter(pk=task_id).exists()


_STAGES: dict[tuple[tuple[str, ...], str | None], FrozenDict] = {}
_STAGE_FIELDS = {Status.OPEN: "stage_open", Status.IN_PROGRESS: "stage_in_progress",
                 Status.WAITING: "stage_waiting", Status.CLOSED: "stage_closed"}


def stage_labels(portal_settings: PortalSettings) -> FrozenDict:
    """What customers call each status, by value: the organization's own names (SPEC X4), else
    the usual ones in the active language. Kept per names and language (frozen: a page keeps
    its rows' HTML, lib/jinja_memo.py)."""
    own = tuple(getattr(portal_settings, field) for field in _STAGE_FIELDS.values())
    key = (own, get_language())
    labels = _STAGES.get(key)
    if labels is None:
        usual = choice_labels(Status)
        if len(_STAGES) > 10_000:
            _STAGES.clear()
        labels = _STAGES[key] = FrozenDict({status.value: name or usual[status.value]
                                            for status, name in zip(_STAGE_FIELDS, own,
                                                                    strict=True)})
    return labels


# Shared work (SPEC P16, support/sharing.py): the staff tasks shared with a customer, for its
# people signed in with a password (a link reaches only its person's own requests), where the
# organization shows the module "shared tasks and files" (SPEC P15: PortalSettings.
# show_documents). Of a shared task they see what they see of a request (SPEC P11): its title,
# stage, assignees and due date, and the posts made visible to them; its description is staff's
# own, and not shown.


def shared_tasks_shown(viewer: PortalViewer | None, portal_settings: PortalSettings) -> bool:
    """Whether the viewer has the portal's tab of shared tasks."""
    return shared_work_shown(viewer, portal_settings)


def _shared_tasks_of_customer(org_id: int, customer_id: int) -> TaskQuerySet:
    # Never a request (`requests()` is the other half), whatever the flag says.
    return Task.objects.for_org(org_id).filter(customer_id=customer_id, source=Source.STAFF,
                                               shared_with_customer=True)


@prepared
def _shared_task_rows(org_id: int, customer_id: int, before: int | None, after: int | None
                      ) -> QuerySet[Task, Any]:
    return _page_rows(_shared_tasks_of_customer(org_id, customer_id), before, after)


def shared_task_rows_visible_to(viewer: PortalViewer, before: int | None, after: int | None
                                ) -> list[Any]:
    """A page of the tasks shared with the viewer's customer (see lib/paging.py), as rows of
    REQUEST_ROW and `assignee_names`. The caller checks `shared_tasks_shown`."""
    person = viewer.portal_user
    rows: list[Any] = _shared_task_rows(person.organization_id, person.customer_id, before,
                                        after)
    return rows


@prepared
def _shared_task(org_id: int, customer_id: int, task_id: int) -> TaskQuerySet:
    return _one_request(_shared_tasks_of_customer(org_id, customer_id), task_id, True)


def shared_task_visible_to(viewer: PortalViewer, task_id: int) -> Task | None:
    """One task shared with the viewer's customer, with the posts its customer may read
    (`posts_visible_on_page`); None if it is not shared with them."""
    person = viewer.portal_user
    found = _shared_task(person.organization_id, person.customer_id, task_id)
    return found[0] if found else None


@prepared
def _shared_task_state(org_id: int, customer_id: int, task_id: int) -> QuerySet[Any]:
    return state_of_tasks(_shared_tasks_of_customer(org_id, customer_id).filter(pk=task_id),
                          customer_visible=True)


def shared_task_state_visible_to(viewer: PortalViewer, task_id: int) -> State | None:
    """`request_state_visible_to` of a shared task (its live page, SPEC X3)."""
    person = viewer.portal_user
    return state_from(_shared_task_state(person.organization_id, person.customer_id, task_id))


def shared_attachments_visible_to(viewer: PortalViewer) -> AttachmentQuerySet:
    """The files of the posts of tasks shared with the viewer's customer that they may read."""
    person = viewer.portal_user
    tasks = _shared_tasks_of_customer(person.organization_id, person.customer_id)
    return Attachment.objects.filter(task__in=tasks.values("pk"), post__isnull=False
                                     ).visible_to_customer()
