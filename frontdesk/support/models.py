from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from frontdesk.customers.models import Customer
from frontdesk.lib.choices import choice_label
from frontdesk.organizations.models import Group, Organization
from frontdesk.organizations.querysets import OrgQuerySet
from frontdesk.portal.models import PortalUser
from frontdesk.support.choices import OPEN_STATUSES as OPEN_STATUSES
from frontdesk.support.choices import AssignmentMode as AssignmentMode
from frontdesk.support.choices import Category as Category
from frontdesk.support.choices import Priority as Priority
from frontdesk.support.choices import Rating as Rating
from frontdesk.support.choices import Severity as Severity
from frontdesk.support.choices import Source as Source
from frontdesk.support.choices import Status as Status


class Topic(models.Model):
    """A support topic: routes requests to a group and assignees (SPEC T3, X6), and may ask
    the requester extra questions (its form, support.topic_fields)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("group"))
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                       verbose_name=_("assignees"))
    # The requests of a customer with portal customer managers go to those managers alone
    # (SPEC C5, T3); of any other customer, to `assignees`.
    to_customer_managers = models.BooleanField(_("the customer's managers"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # The topic's custom form: a list of field definitions (topic_fields.FieldDefinition),
    # read with the topic by the support forms' one query for the topics: a topic without
    # fields costs the forms nothing, one with fields no statement more.
    form_fields = models.JSONField(default=list, blank=True)
    assignment = models.CharField(_("automatic assignment"), max_length=12,
                                  choices=AssignmentMode.choices, default=AssignmentMode.ALL)
    # Round-robin: who got the last request, so the next goes to the one after them. Written
    # in the request's own transaction, with the topic's row locked (services.NewRequest).
    last_assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")

    objects = OrgQuerySet["Topic"].as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class TaskQuerySet(OrgQuerySet["Task"]):
    def requests(self) -> TaskQuerySet:
        return self.exclude(source=Source.STAFF)

    def open(self) -> TaskQuerySet:
        return self.filter(is_open=1)


class Task(models.Model):
    """A unit of work (SPEC T1). A support request is a task with a requester (SPEC T2)."""

    # Foreign keys whose column leads one of the indexes below need no index of their own.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="tasks",
                              verbose_name=_("group"))
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("topic"), db_index=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.OPEN)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices,
                                default=Priority.NORMAL)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Empty until staff set them (SPEC T6).
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices,
                                blank=True, default="")
    category = models.CharField(_("category"), max_length=10, choices=Category.choices,
                                blank=True, default="")
    # Written by staff for the customer, who sees it on the request (SPEC T6; seed 002).
    solution = models.TextField(_("solution"), blank=True, default="")
    # The customer's rating of a closed request and what they said with it (SPEC X2).
    rating = models.CharField(_("rating"), max_length=4, choices=Rating.choices, blank=True,
                              default="")
    rating_comment = models.TextField(_("comment"), blank=True, default="")
    # The requester's answers to the topic's custom form, as asked then (label and kind with
    # each value, topic_fields.Answer): they stay readable when the topic's form changes or
    # the topic goes. NULL (no JSON to decode on the lists) for the many without any.
    answers = models.JSONField(null=True, blank=True, default=None)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_tasks",
        through="Assignment", verbose_name=_("assignees"))
    # Indexed where set (task_creator): the requests customers make have none.
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", db_index=False)
    # Deleting a customer unlinks its tasks; the tasks stay (SPEC C10).
    customer = models.ForeignKey(Customer, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="tasks", verbose_name=_("customer"),
                                 db_index=False)
    requester = models.ForeignKey(PortalUser, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="requests", db_index=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    # A staff task (never a request) that its customer's people see in the portal, its posts
    # made visible to them only (SPEC P16; support.sharing, support.visibility).
    shared_with_customer = models.BooleanField(_("shared with the customer"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # 1 while open, kept by the database from `status`: an equality the indexes can serve in
    # order (an IN over three statuses cannot be, and SQLite cannot match a partial index to
    # bound parameters). An integer, as a boolean column is compared bare, without "= 1".
    is_open = models.GeneratedField(
        expression=Case(When(status__in=OPEN_STATUSES, then=Value(1)), default=Value(0)),
        output_field=models.PositiveSmallIntegerField(), db_persist=True)
    # Service levels (SPEC X8), worked out by service_levels.queries.due_moments when the
    # request is made and again when its priority changes: when a first visible staff answer
    # and the resolution are due (None: no target), when that answer was given, and the
    # earlier of the two still pending while open and not waiting for the customer (the
    # "breaching" view's column).
    first_response_due_at = models.DateTimeField(_("first response due"), null=True,
                                                 blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    # The clock stops while the request waits for the customer: since when, and the business
    # minutes of the waits that ended (service_levels.clock.follow_status; None: none yet,
    # and no default, so that adding the column does not rebuild the table on SQLite).
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    sla_paused_minutes = models.PositiveIntegerField(null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        indexes = [
            # Staff lists: newest first, by status.
            models.Index(fields=["organization", "status", "-id"], name="task_org_status_id"),
            models.Index(fields=["organization", "-id"], name="task_org_id"),
            # The open requests, newest first, however old the oldest open one is.
            models.Index(fields=["organization", "is_open", "-id"], name="task_org_open_id"),
            # Overdue: the open requests by due date. Partial: most requests have none, and
            # their inserts cost this index nothing.
            models.Index(fields=["organization", "is_open", "due_date", "id"],
                         name="task_org_open_due", condition=Q(due_date__isnull=False)),
            # Breaching (SPEC X8): the open requests past a service-level target, the
            # earliest due first. Partial: only requests under a target pay for it.
            models.Index(fields=["organization", "is_open", "next_due_at", "id"],
                         name="task_org_open_next_due",
                         condition=Q(next_due_at__isnull=False)),
            # The view by topic: a topic's open requests, newest first (a topic is one
            # organization's). It is the topic's index, for its deletion (SET_NULL) too.
            models.Index(fields=["topic", "is_open", "-id"], name="task_topic_open_id"),
            # Portal lists: a customer's requests, a requester's requests.
            models.Index(fields=["customer", "-id"], name="task_customer_id"),
            models.Index(fields=["requester", "-id"], name="task_requester_id"),
            # The portal's shared tasks: a customer's, newest first (as its organization's:
            # task_customer_id is the same columns). Partial: few tasks are shared.
            models.Index(fields=["organization", "customer", "-id"],
                         name="task_customer_shared_id", condition=Q(shared_with_customer=True)),
            # For the creator's deletion (SET_NULL) only.
            models.Index(fields=["creator"], name="task_creator",
                         condition=Q(creator__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def reference(self) -> str:
        return f"#{self.pk}"

    # Django's get_FOO_display() rebuilds a dict of every choice per call; these look up one,
    # translated once per language.
    @property
    def status_label(self) -> str:
        return choice_label(Status, self.status)

    @property
    def priority_label(self) -> str:
        return choice_label(Priority, self.priority)

    @property
    def severity_label(self) -> str:
        return choice_label(Severity, self.severity) if self.severity else ""

    @property
    def category_label(self) -> str:
        return choice_label(Category, self.category) if self.category else ""

    @property
    def rating_label(self) -> str:
        return choice_label(Rating, self.rating) if self.rating else ""

    @property
    def is_request(self) -> bool:
        return self.source != Source.STAFF

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class Assignment(models.Model):
    """A staff member assigned to a task: the rows of `Task.assignees` (the table Django made
    for it first), each with its task's open flag.

    The flag is the database's to keep (migration 0004's triggers, on SQLite and PostgreSQL):
    it is copied from the task when the row is inserted, however it is inserted, and again
    whenever the task's status opens or closes it. So "assigned to me" reads the member's open
    assignments newest first from one index, and its cost follows the page, whether the desk
    has a few open requests or a million and whether the member has two or thousands.
    """

    # No index of their own: the unique (task, user) and assignment_user_open_task lead with them.
    task = models.ForeignKey(Task, on_delete=models.CASCADE, db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False)
    is_open = models.PositiveSmallIntegerField(default=1, editable=False)

    class Meta:
        db_table = "support_task_assignees"
        unique_together = [("task", "user")]
        indexes = [models.Index(fields=["user", "is_open", "-task"],
                                name="assignment_user_open_task")]

    def __str__(self) -> str:
        return f"#{self.task_id} → {self.user_id}"


class PostQuerySet(OrgQuerySet["Post"]):
    def visible_to_customer(self) -> PostQuerySet:
        return self.filter(is_visible_to_customer=True)


class Post(models.Model):
    """A message on a task. Staff posts are internal until made visible (SPEC T5)."""

    # No index of its own: posts are read by task (post_task_id), and an organization is
    # only ever deleted with all of its tasks.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="posts",
                             db_index=False)  # post_task_id leads with it
    # A post has one author: staff, a portal user, or (a reply e-mailed by a CC follower,
    # SPEC X5) an e-mail address. The two people are each indexed where set (post_author,
    # post_portal_author), for their deletion (SET_NULL); the address needs no index.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", db_index=False)
    portal_author = models.ForeignKey(PortalUser, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+", db_index=False)
    author_email = models.EmailField(_("e-mail"), blank=True, default="")
    body = models.TextField(_("message"))
    is_visible_to_customer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["task", "id"], name="post_task_id"),
            models.Index(fields=["author"], name="post_author",
                         condition=Q(author__isnull=False)),
            models.Index(fields=["portal_author"], name="post_portal_author",
                         condition=Q(portal_author__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"post {self.pk} on task {self.task_id}"

    @property
    def is_from_customer(self) -> bool:
        return self.portal_author_id is not None or bool(self.author_email)


class AttachmentQuerySet(OrgQuerySet["Attachment"]):
    def visible_to_customer(self) -> AttachmentQuerySet:
        # Files without a post are the requester's own, sent with the request; every other
        # file belongs to a post and is visible exactly when that post is.
        return self.filter(Q(post__isnull=True, task__requester__isnull=False)
                           | Q(post__is_visible_to_customer=True))


def attachment_path(instance: Attachment, filename: str) -> str:
    # The original name is kept in the row; the stored name carries no user input.
    return f"attachments/{instance.organization_id}/{instance.task_id}/{instance.token}"


class Attachment(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attachments")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="attachments")
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    uploaded_by_portal_user = models.ForeignKey(PortalUser, on_delete=models.SET_NULL,
                                                null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class TaskEvent(models.Model):
    """One line of a task's activity history (SPEC T1)."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("activity", "Created")
        POSTED = "posted", pgettext_lazy("activity", "Post")
        POST_SHOWN = "post_shown", _("Post made visible")
        POST_HIDDEN = "post_hidden", _("Post made internal")
        STATUS = "status", _("Status changed")
        ASSIGNEES = "assignees", _("Assignees changed")
        DUE_DATE = "due_date", _("Due date changed")
        PRIORITY = "priority", _("Priority changed")
        SEVERITY = "severity", _("Severity changed")
        CATEGORY = "category", _("Category changed")
        SOLUTION = "solution", _("Solution changed")
        RATED = "rated", _("Rated by the customer")
        CUSTOMER = "customer", _("Customer changed")
        SHARED = "shared", _("Shared with the customer")
        UNSHARED = "unshared", _("No longer shared with the customer")
        TOPIC = "topic", _("Topic changed")
        FOLLOWER_ADDED = "follower_added", _("Follower added")
        FOLLOWER_REMOVED = "follower_removed", _("Follower removed")

    # As on Post: read by task; the actor of either kind indexed where set.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", db_index=False)
    portal_actor = models.ForeignKey(PortalUser, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", db_index=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["TaskEvent"].as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["actor"], name="event_actor", condition=Q(actor__isnull=False)),
            models.Index(fields=["portal_actor"], name="event_portal_actor",
                         condition=Q(portal_actor__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.task_id}"


# In modules of their own: the followers of a request (SPEC X5), and what staff keep beside
# the requests (their notifications, saved replies).
from frontdesk.support.follower_model import Follower as Follower  # noqa: E402
from frontdesk.support.staff_models import Notification as Notification  # noqa: E402
from frontdesk.support.staff_models import SavedReply as SavedReply  # noqa: E402
