"""Reads of the support area for staff pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection
from django.db.models import (
    Aggregate,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf

from frontdesk.lib.json_rows import JSONRows, datetime_of, parsed_rows
from frontdesk.portal.models import person_name
from frontdesk.support.models import Assignment, Attachment, Notification, Post, Task

if TYPE_CHECKING:
    from frontdesk.organizations.access import StaffRequest


# What a request page shows of a post and its author, as plain rows: a page has dozens of
# posts, and a post with its two possible authors made three model instances.
POST_ROW = ("pk", "body", "is_visible_to_customer", "created_at", "author_id",
            "portal_author_id", "author__full_name", "portal_author__first_name",
            "portal_author__last_name", "portal_author__email", "author_email")


class FileLine(NamedTuple):
    """A file as a request page lists it (`file_links`), as plain values."""

    pk: int
    name: str
    size: int


def file_lines(attachments: Iterable[Attachment]) -> dict[int | None, tuple[FileLine, ...]]:
    """Files by the post they came with (None: with the request itself), in the order given."""
    grouped: dict[int | None, list[FileLine]] = {}
    for attachment in attachments:
        grouped.setdefault(attachment.post_id, []).append(
            FileLine(attachment.pk, attachment.name, attachment.size))
    return {post_id: tuple(lines) for post_id, lines in grouped.items()}


class PostLine(NamedTuple):
    """A post as a request page shows it; `who` is its author's name ("" for none), `files`
    those of its files the page lists, `author_email` the address of a CC follower who
    e-mailed it (SPEC X5). A tuple of plain values, so that a page may remember its HTML
    (`{% memo %}`, lib/jinja_memo.py)."""

    pk: int
    body: str
    is_visible_to_customer: bool
    created_at: dt.datetime
    author_id: int | None
    portal_author_id: int | None
    who: str
    files: tuple[FileLine, ...] = ()
    author_email: str = ""

    @property
    def is_from_customer(self) -> bool:
        return self.portal_author_id is not None or bool(self.author_email)


FilesByPost = tuple[tuple[int | None, tuple[FileLine, ...]], ...]  # `file_lines(…).items()`


def post_lines(rows: Iterable[Sequence[Any]], files: FilesByPost = ()) -> tuple[PostLine, ...]:
    """The rows of `post_rows` (`rows_of` its column) with their authors' names (a customer's
    person by full name or e-mail, a CC follower's reply by its address, staff by full name,
    as the activity list writes them) and their files among `files` (the items of
    `file_lines`, hashable for `post_lines_of`)."""
    files_of = dict(files)
    lines = []
    for (pk, body, visible, created_at, author_id, portal_author_id, author_name, first_name,
         last_name, email, author_email) in rows:
        if portal_author_id is not None:
            who = person_name(first_name, last_name, email)
        elif author_id is not None:
            who = author_name  # never a staff member's e-mail to a customer
        else:
            who = author_email  # "" when the author's account is gone
        lines.append(PostLine(pk, body, bool(visible), datetime_of(created_at), author_id,
                              portal_author_id, who, files_of.get(pk, ()), author_email))
    return tuple(lines)


def post_lines_of(value: str | None, files: Mapping[int | None, tuple[FileLine, ...]]
                  ) -> tuple[PostLine, ...]:
    """`post_lines` of a `post_rows` column, kept while its text and the files are the same
    (lib/json_rows.parsed_rows)."""
    return parsed_rows(value, post_lines, tuple(files.items()))


def post_rows(posts: QuerySet[Post]) -> JSONRows:
    """For a query of tasks: `posts` (filtered by `task_id=OuterRef("pk")`) as their page
    shows them, read with the task (`post_lines_of(...)`)."""
    return JSONRows(posts.order_by("id"), POST_ROW)


# The badge shows "99+" from 100 on: counting further is work nobody sees (a member who never
# reads them has thousands; counting 7,000 took 1 ms, on every staff page).
BADGE_COUNTS_UP_TO = 100


class CappedCount(Subquery):
    """How many rows the queryset has, counting no further than `cap`: a COUNT over the
    subquery cut with LIMIT, so the database stops reading at `cap` rows."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet[Any, Any], cap: int) -> None:
        super().__init__(queryset.order_by().values("pk")[:cap])


def _unread(user: Any, organization: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, organization=organization,
                                       read_at__isnull=True)


def unread_notifications_of_member() -> CappedCount:
    """For `Membership` rows: the member's unread notifications in that organization, up to
    BADGE_COUNTS_UP_TO (an index-only read on notification_inbox)."""
    return CappedCount(_unread(OuterRef("user"), OuterRef("organization")), BADGE_COUNTS_UP_TO)


def unread_notification_count(request: StaffRequest) -> int:
    """The badge's figure: unread notifications, up to BADGE_COUNTS_UP_TO."""
    figure = getattr(request.membership, "unread_notifications", None)
    if figure is not None:
        return int(figure)
    return len(_unread(request.user, request.org).values_list("pk")[:BADGE_COUNTS_UP_TO])


def dashboard_counts(request: StaffRequest) -> dict[str, int]:
    tasks = Task.objects.for_org(request.org).open()
    return {
        "open": tasks.count(),
        # The member's open assignments (their index; Assignment.is_open is the task's).
        "mine": Task.objects.for_org(request.org).filter(
            assignment__user=request.user, assignment__is_open=1).count(),
        "unread": _unread(request.user, request.org).count(),
    }


def has_files() -> Exists:
    """Whether a task has any file at all, read with the task: a request page reads its
    files only then (most requests have none)."""
    return Exists(Attachment.objects.filter(task_id=OuterRef("pk")))


class JoinedNames(Subquery):
    """The `name` column of a subquery's rows, in the subquery's order, joined by ", " (NULL
    when it has none): a list page's names of each row, read with the row."""

    template = "(SELECT GROUP_CONCAT(joined.name, ', ') FROM (%(subquery)s) joined)"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any
                      ) -> tuple[str, Any]:
        # string_agg keeps the order its input comes in from an ordered subquery (as the
        # PostgreSQL manual says of aggregates); SQLite's GROUP_CONCAT does as well.
        return self.as_sql(compiler, connection,
                           template="(SELECT STRING_AGG(joined.name, ', ') "
                                    "FROM (%(subquery)s) joined)", **extra_context)


def _display_name(user: str) -> Coalesce:
    """The name a list shows of the staff user at `user` (a relation): their full name, or
    their e-mail when they have none."""
    return Coalesce(NullIf(f"{user}__full_name", Value("")), f"{user}__email",
                    output_field=CharField())


def _name(user: str, for_customers: bool) -> Coalesce | NullIf:
    # Customers see staff by name only: never their e-mail (a nameless one is left out).
    return (NullIf(f"{user}__full_name", Value(""), output_field=CharField()) if for_customers
            else _display_name(user))


def assignee_names_aggregate(for_customers: bool = False) -> Aggregate:
    """`assignee_names` as an aggregate of a PostgreSQL query that groups a page's tasks with
    their assignees (`assignees` joined): the same names in the same order."""
    from django.contrib.postgres.aggregates import StringAgg

    return StringAgg(_name("assignees", for_customers), delimiter=", ",
                     order_by=("assignees__full_name", "assignees__id"))


def assignee_names(for_customers: bool = False) -> JoinedNames:
    """A task's assignees by name (their e-mail for a nameless one, but `for_customers`), in
    name order."""
    return JoinedNames(
        Assignment.objects.filter(task_id=OuterRef("pk"))
        .annotate(name=_name("user", for_customers))
        .order_by("user__full_name", "user_id").values("name"))


def with_assignee_names(tasks: QuerySet[Task], columns: tuple[str, ...],
                        cut: Callable[[QuerySet[Any, Any]], QuerySet[Any, Any]],
                        order: tuple[str, ...], *, for_customers: bool = False
                        ) -> QuerySet[Task, Any]:
    """The rows of `tasks` that `cut` keeps for a page (in the order `order`) as named rows of
    `columns` and `assignee_names`: one query for the page, not one more for the names."""
    if connection.vendor != "postgresql":
        # SQLite joins each row's names in a subquery (assignee_names) at little cost.
        return cut(tasks.annotate(assignee_names=assignee_names(for_customers))
                   .values_list(*columns, "assignee_names", named=True))
    # PostgreSQL ran that subquery as a join of its own per row, two thirds of the query's
    # time; here the page is cut first, and its tasks are joined to their assignees once.
    return (Task.objects.filter(pk__in=cut(tasks.values("pk")))
            .values(*columns)
            .annotate(assignee_names=assignee_names_aggregate(for_customers))
            .values_list(*columns, "assignee_names", named=True)
            .order_by(*order))
