from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet


def normalize_email_address(email: str) -> str:
    """E-mail addresses are compared and stored lower-cased and trimmed."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=normalize_email_address(email), **extra)
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email_address(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """A staff person. One login may be staff of several organizations (see Membership).

    Portal users (people of an organization's customers) are not Users: they are
    `portal.PortalUser`, known to one organization only, and never authenticated here.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                blank=True, help_text=_("Empty: the organization's language."))
    is_active = models.BooleanField(default=True)
    # Only for the Django admin of the installation, not for organizations' staff.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Which of their notifications also come by e-mail (SPEC T8); in the app they all do.
    email_new_requests = models.BooleanField(default=True)
    email_customer_replies = models.BooleanField(default=True)
    email_assignments = models.BooleanField(default=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email_address(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class StaffInvitation(models.Model):
    """An e-mailed invitation to join an organization's staff; the token is stored hashed."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # (organization, email) leads with it
    email = models.EmailField(_("e-mail"))
    is_admin = models.BooleanField(_("administrator"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet["StaffInvitation"].as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization", "email"])]

    def __str__(self) -> str:
        return self.email

    @property
    def is_usable(self) -> bool:
        return (self.accepted_at is None and self.revoked_at is None
                and self.expires_at > timezone.now())


class Session(AbstractBaseSession):
    """A browser's session (Django's database session), with the staff user and the portal user
    it signs in as in columns of their own, written from the session's data at every save (see
    `accounts.sessions.SessionStore`). A staff page reads the session and the member's
    membership in one query through them (`organizations.access`), a portal page the session
    and its portal user (`portal.access`). The data stays the authority: a column only finds
    the row, and whom it names is checked against the data."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="sessions")
    # The portal user (portal.PortalUser) the session signed in last; no foreign key, so that
    # accounts does not depend on the portal: a row it names that is gone is simply not found.
    portal_user_id = models.BigIntegerField(null=True, blank=True)

    @classmethod
    def get_session_store_class(cls) -> type[SessionBase]:
        from frontdesk.accounts.sessions import SessionStore

        return SessionStore
