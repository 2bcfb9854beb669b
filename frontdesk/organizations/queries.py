"""Reads for the organization settings pages: staff, invitations, groups."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from frontdesk.accounts.models import StaffInvitation, User
from frontdesk.organizations.models import Group, Membership, Organization


def staff_memberships(organization: Organization) -> QuerySet[Membership]:
    """The organization's staff with their user rows, by name."""
    return (Membership.objects.for_org(organization).select_related("user")
            .order_by(Lower("user__full_name"), "user__email"))


def staff_users(organization: Organization) -> QuerySet[User]:
    """The people who are staff of the organization (e.g. the choices for group members)."""
    return (User.objects.filter(memberships__organization=organization)
            .order_by(Lower("full_name"), "email"))


def are_active_staff(organization_id: int, user_ids: Iterable[int]) -> bool:
    """Whether every one of `user_ids` is active staff of the organization (who may be
    assigned a request, or look after a customer)."""
    wanted = set(user_ids)
    return wanted == set(Membership.objects.filter(
        organization_id=organization_id, user_id__in=wanted, user__is_active=True)
        .values_list("user_id", flat=True))


def active_staff_member(organization_id: int | None, user_id: int) -> User | None:
    """The user, if still active staff of the organization (an e-mail's recipient at
    delivery)."""
    if organization_id is None:
        return None
    membership = (Membership.objects.select_related("user")
                  .filter(user_id=user_id, organization_id=organization_id,
                          user__is_active=True).first())
    return membership.user if membership else None


def pending_invitations(organization: Organization) -> QuerySet[StaffInvitation]:
    """Invitations that can still be accepted, newest first."""
    return (StaffInvitation.objects.for_org(organization)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True,
                    expires_at__gt=timezone.now())
            .select_related("invited_by").order_by("-created_at", "-pk"))


def groups_with_members(organization: Organization) -> QuerySet[Group]:
    """The organization's groups, each with its members loaded (one query for all of them)."""
    return Group.objects.for_org(organization).prefetch_related(
        Prefetch("members", queryset=User.objects.order_by(Lower("full_name"), "email")))
