"""Actions on organizations, their staff and groups. Views and commands call only these."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.organizations.models import Group, Membership, Organization
from frontdesk.organizations.permissions import Area, Level, level_of


@transaction.atomic
def create_organization(*, slug: str, name: str, admin: User, language: str = "en"
                        ) -> Organization:
    """A new organization with its first admin, a default group and a default support topic
    (at least one topic always exists, SPEC T3)."""
    from frontdesk.portal.models import PortalSettings
    from frontdesk.support.models import Topic

    organization = Organization(slug=slug, name=name, language=language)
    organization.full_clean()
    organization.save()
    Membership.objects.create(organization=organization, user=admin, is_admin=True)
    group = Group.objects.create(organization=organization, name=_("Support"))
    group.members.add(admin)
    topic = Topic.objects.create(organization=organization, name=_("General"), group=group)
    topic.assignees.add(admin)
    PortalSettings.objects.create(organization=organization)
    return organization


def add_staff_member(*, organization: Organization, user: User, is_admin: bool = False
                     ) -> Membership:
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"is_admin": is_admin},
    )
    if not created and is_admin and not membership.is_admin:
        membership.is_admin = True
        membership.save(update_fields=["is_admin"])
    return membership


@transaction.atomic
def set_staff_permissions(*, membership: Membership, levels: dict[Area, Level],
                          is_admin: bool | None, by: Membership) -> Membership:
    """Set a staff member's levels (and admin flag, for admins only).

    Admins always have Manage and cannot be restricted while admin (SPEC O3); a non-admin with
    Manage in an area may set others' levels in that area only, and never above Manage.
    The last admin of an organization cannot lose admin rights.
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if is_admin is not None and is_admin != membership.is_admin:
        if not by.is_admin:
            raise ValidationError(_("Only administrators may change who is an administrator."))
        if not is_admin and not (
            Membership.objects.filter(organization_id=membership.organization_id, is_admin=True)
            .exclude(pk=membership.pk).exists()
        ):
            raise ValidationError(_("An organization needs at least one administrator."))
        membership.is_admin = is_admin
    for area, level in levels.items():
        current = Level(getattr(membership, f"level_{area.value}"))
        if current == level:
            continue
        if level_of(by, area) < Level.MANAGE:
            raise ValidationError(
                _("You may only change permissions for areas you manage (%(area)s).")
                % {"area": area.label.lower()})
        setattr(membership, f"level_{area.value}", level)
    membership.save()
    return membership


@transaction.atomic
def remove_staff_member(*, membership: Membership, by: Membership) -> None:
    if membership.is_admin and not (
        Membership.objects.filter(organization_id=membership.organization_id, is_admin=True)
        .exclude(pk=membership.pk).exists()
    ):
        raise ValidationError(_("An organization needs at least one administrator."))
    for group in Group.objects.for_org(membership.organization).filter(members=membership.user):
        group.members.remove(membership.user)
    membership.delete()


def _check_members(organization: Organization, members: Iterable[User]) -> list[User]:
    members = list(members)
    staff_ids = set(Membership.objects.filter(organization=organization,
                                              user__in=members).values_list("user_id", flat=True))
    if any(member.pk not in staff_ids for member in members):
        raise ValidationError(_("Only staff of this organization can be group members."))
    return members


@transaction.atomic
def save_group(*, organization: Organization, name: str, members: Iterable[User],
               group: Group | None = None) -> Group:
    """Create a group, or rename it and set its members."""
    members = _check_members(organization, members)
    name = name.strip()
    clash = Group.objects.for_org(organization).filter(name__iexact=name)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise ValidationError(_("A group with this name already exists."))
    if group is None:
        group = Group.objects.create(organization=organization, name=name)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    group.members.set(members)
    return group
