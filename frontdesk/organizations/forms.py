from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from frontdesk.accounts.models import User
from frontdesk.organizations.models import Membership, Organization
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.queries import staff_users


class InviteStaffForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    is_admin = forms.BooleanField(label=_("Administrator"), required=False,
                                  help_text=_("Administrators manage staff, permissions, "
                                              "groups and settings."))


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        user = cast(User, obj)
        return f"{user.full_name} ({user.email})" if user.full_name else user.email


class GroupForm(forms.Form):
    """Name and members of a group. Only the organization's staff are offered as members, so
    any other user id in a submission is refused as an invalid choice."""

    name = forms.CharField(label=_("Name"), max_length=120)
    members = StaffChoiceField(label=_("Members"), queryset=User.objects.none(), required=False,
                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(StaffChoiceField, self.fields["members"]).queryset = staff_users(organization)


def level_field_name(membership: Membership, area: Area) -> str:
    return f"level-{membership.pk}-{area.value}"


class PermissionMatrixForm(forms.Form):
    """The permissions page: one level per non-admin staff member and area.

    A cell left out of the submission keeps its level. Who may change which area is not
    decided here but in `services.set_staff_permissions`, so that a crafted submission gets
    the same refusal as any other caller.
    """

    def __init__(self, *args: Any, memberships: Sequence[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Admins always have Manage (SPEC O3): their rows are not editable.
        self.memberships = [m for m in memberships if not m.is_admin]
        for membership in self.memberships:
            for area in Area:
                self.fields[level_field_name(membership, area)] = forms.TypedChoiceField(
                    label=f"{membership.user}: {area.label}", choices=Level.choices,
                    coerce=int, required=False, empty_value=None,
                    initial=membership.level(area).value,
                )

    def levels(self) -> dict[int, dict[Area, Level]]:
        """The submitted levels by membership id (only the cells that were submitted)."""
        result: dict[int, dict[Area, Level]] = {}
        for membership in self.memberships:
            for area in Area:
                value = self.cleaned_data.get(level_field_name(membership, area))
                if value is not None:
                    result.setdefault(membership.pk, {})[area] = Level(value)
        return result


class NewOrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.CharField(
        label=_("Address name"), max_length=50,
        help_text=_("Lowercase letters, digits and hyphens. It appears in the links of the "
                    "staff pages and of the customer portal, and cannot change later."))
    language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)
