"""What staff keep beside the requests: their in-app notifications (SPEC T8) and the replies
they saved to use again (SPEC X9). Kept apart from models.py, which imports them, so that file
stays a readable size."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet


class Notification(models.Model):
    """An in-app notification for a staff user (SPEC T8)."""

    class Kind(models.TextChoices):
        NEW_REQUEST = "new_request", _("New request")
        CUSTOMER_REPLY = "customer_reply", _("Customer replied")
        ASSIGNED = "assigned", _("Assigned to you")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications",
                             db_index=False)  # notification_inbox leads with it
    task = models.ForeignKey("support.Task", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet["Notification"].as_manager()

    class Meta:
        indexes = [
            # The badge and "mark all read": the member's unread ones.
            models.Index(fields=["user", "organization", "read_at", "-id"],
                         name="notification_inbox"),
            # The notifications page: all of the member's, newest first, a page at a time (by
            # notification_inbox the database sorted every one of them for each page).
            models.Index(fields=["user", "organization", "-id"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class SavedReply(models.Model):
    """A reply staff write once and use again (SPEC X9), with placeholders filled in for the
    request it goes to (support.replies)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # saved_reply_title_unique leads with it
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["SavedReply"].as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "title"],
                                    name="saved_reply_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title
