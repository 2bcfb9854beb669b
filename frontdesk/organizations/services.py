"""Actions on organizations, their staff and groups. Views and commands call only these."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.organizations.models import Group, Membership, Organization
from frontdesk.organizations.permissions import Area, Level, level_of

# Paths under /app/ that are not organizations.
RESERVED_SLUGS = {"new"}


@transaction.atomic
def create_organization(*, slug: str, name: str, admin: User, language: str = "en"
                        ) -> Organization:
    """A new organization with its first admin, a default group and a default support topic
    (at least one topic always exists, SPEC T3)."""
    from frontdesk.portal.models import PortalSettings
    from frontdesk.support.models import Topic

    slug = slug.strip().lower()
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This address name is reserved. Choose another.")})
    organization = Organization(slug=slug, name=name.strip(), language=language)
    organization.full_clean()
    organization.save()
    Membership.objects.create(organization=organization, user=admin, is_admin=True)
    with translation.override(language):
        group = Group.objects.create(organization=organization, name=_("Support"))
        topic = Topic.objects.create(organization=organization, name=_("General"),
                                     group=group)
    group.members.add(admin)
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
    if by.organization_id != membership.organization_id:
        raise ValidationError(_("Only staff of this organization may set its permissions."))
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
        if _stored_level(membership, area) == level:
            continue
        if membership.is_admin:
            raise ValidationError(
                _("%(name)s is an administrator and always has “Manage”. Remove the "
                  "administrator rights first.") % {"name": _staff_name(membership)})
        if level_of(by, area) < Level.MANAGE:
            raise ValidationError(
                _("You do not manage the area “%(area)s”, so you cannot change its "
                  "permissions.")
                % {"area": area.label})
        setattr(membership, f"level_{area.value}", level)
    membership.save()
    return membership


@transaction.atomic
def set_permission_levels(*, organization: Organization,
                          levels: dict[int, dict[Area, Level]], by: Membership) -> int:
    """Apply the permissions page: new levels per staff member (keyed by membership id).

    All or nothing: every member goes through `set_staff_permissions`, so the rules are the
    same as for one member, and the first refusal undoes the changes made before it.
    Returns how many staff members changed.
    """
    if by.organization_id != organization.pk:
        raise ValidationError(_("Only staff of this organization may set its permissions."))
    memberships = list(Membership.objects.for_org(organization).select_related("user")
                       .filter(pk__in=levels).order_by("pk"))
    if len(memberships) != len(levels):
        raise ValidationError(_("Someone left the organization while you were editing. "
                                "Reload the page and try again."))
    changed = 0
    for membership in memberships:
        wanted = levels[membership.pk]
        if all(_stored_level(membership, area) == level for area, level in wanted.items()):
            continue
        set_staff_permissions(membership=membership, levels=wanted, is_admin=None, by=by)
        changed += 1
    return changed


@transaction.atomic
def remove_staff_member(*, membership: Membership, by: Membership) -> None:
    """Take a person off the organization's staff: out of its groups and support topics (so
    no new request is routed to, or e-mailed to, someone who is no longer staff). Only admins
    may do this, and the last admin cannot be removed."""
    from frontdesk.support.models import Topic

    if not by.is_admin or by.organization_id != membership.organization_id:
        raise ValidationError(_("Only administrators may remove staff."))
    if membership.is_admin and not (
        Membership.objects.filter(organization_id=membership.organization_id, is_admin=True)
        .exclude(pk=membership.pk).exists()
    ):
        raise ValidationError(_("An organization needs at least one administrator."))
    Group.members.through.objects.filter(
        group__organization_id=membership.organization_id, user_id=membership.user_id,
    ).delete()
    Topic.assignees.through.objects.filter(
        topic__organization_id=membership.organization_id, user_id=membership.user_id,
    ).delete()
    membership.delete()


def _stored_level(membership: Membership, area: Area) -> Level:
    """The level recorded for the area (what an admin gets back on losing admin rights)."""
    return Level(getattr(membership, f"level_{area.value}"))


def _staff_name(membership: Membership) -> str:
    return membership.user.full_name or membership.user.email


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
