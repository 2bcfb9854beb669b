"""Who follows a support request besides its requester (SPEC X5): a colleague (a portal user
of the request's customer) or a bare e-mail address (CC). Kept apart from models.py, which
imports it, so that file stays a readable size."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet
from frontdesk.portal.models import PortalUser, person_name


class Follower(models.Model):
    """One follower of a request: exactly one of `portal_user` (a colleague, who then sees the
    request in the portal and replies to it: support.visibility) and `email` (an address that
    only gets the e-mails, without a way into the portal). Who added it: staff (`added_by`)
    or a portal user (`added_by_portal_user`)."""

    # No index of its own: an organization is only ever deleted with all of its tasks.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    # follower_task_person and follower_task_email lead with it.
    task = models.ForeignKey("support.Task", on_delete=models.CASCADE,
                             related_name="followers", db_index=False)
    # A colleague who leaves takes their follows along; the request stays.
    portal_user = models.ForeignKey(PortalUser, on_delete=models.CASCADE, null=True,
                                    blank=True, related_name="+", db_index=False)
    email = models.EmailField(_("e-mail"), blank=True, default="")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+", db_index=False)
    added_by_portal_user = models.ForeignKey(PortalUser, on_delete=models.SET_NULL, null=True,
                                             blank=True, related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["Follower"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "portal_user"], name="follower_task_person",
                                    condition=Q(portal_user__isnull=False)),
            models.UniqueConstraint(fields=["task", "email"], name="follower_task_email",
                                    condition=Q(portal_user__isnull=True)),
            models.CheckConstraint(
                condition=(Q(portal_user__isnull=False, email="")
                           | Q(portal_user__isnull=True) & ~Q(email="")),
                name="follower_person_or_email"),
        ]
        indexes = [
            # The portal's "requests I follow" (support.visibility), and the CASCADE when a
            # portal user is deleted.
            models.Index(fields=["portal_user", "task"], name="follower_person_task",
                         condition=Q(portal_user__isnull=False)),
            # The SET_NULL when the person who added followers is deleted.
            models.Index(fields=["added_by"], name="follower_added_by",
                         condition=Q(added_by__isnull=False)),
            models.Index(fields=["added_by_portal_user"], name="follower_added_by_person",
                         condition=Q(added_by_portal_user__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"follower {self.pk} of task {self.task_id}"

    @property
    def is_colleague(self) -> bool:
        return self.portal_user_id is not None

    @property
    def name(self) -> str:
        person = self.portal_user
        if person is not None:
            return person_name(person.first_name, person.last_name, person.email)
        return self.email
