from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from frontdesk.accounts.models import User
from frontdesk.lib.uploads import MultipleFileField
from frontdesk.organizations.models import Group, Organization
from frontdesk.organizations.queries import staff_users
from frontdesk.portal.models import PortalUser
from frontdesk.support import followers
from frontdesk.support.models import Category, Priority, Severity, Status, Task


class StaffPostForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=50_000)
    attachments = MultipleFileField(label=_("Files"))
    visible_to_customer = forms.BooleanField(
        label=_("Visible to customer"), required=False,
        help_text=_("Staff posts are internal unless you tick this."))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class DelegateForm(forms.Form):
    """Who works on a request, by when, how urgently (SPEC T4, T6)."""

    assignees = StaffChoiceField(
        label=_("Assignees"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Those newly assigned are notified in the app and by e-mail."))
    due_date = forms.DateField(label=_("Due date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        # The organization's active staff: no one else may be chosen, whatever is posted.
        field.queryset = staff_users(organization).filter(is_active=True)


class DescribeForm(forms.Form):
    """Severity, category and solution of a request (SPEC T6)."""

    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", "—"), *Severity.choices])
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", "—"), *Category.choices])
    solution = forms.CharField(
        label=_("Solution"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The requester gets it by e-mail; the customer sees it on the request."))


class NewTaskForm(forms.Form):
    """A staff task (SPEC T1): the organization's groups and active staff only, whatever is
    posted."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=50_000,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none(),
                                   empty_label=None)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices,
                                 initial=Priority.NORMAL)
    due_date = forms.DateField(label=_("Due date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    assignees = StaffChoiceField(
        label=_("Assignees"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They are notified in the app and by e-mail."))
    attachments = MultipleFileField(label=_("Files"))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = Group.objects.for_org(organization).order_by("name", "pk")
        assignees = self.fields["assignees"]
        assert isinstance(assignees, forms.ModelMultipleChoiceField)
        assignees.queryset = staff_users(organization).filter(is_active=True)


def _person_id(value: str) -> int:
    # An id a database column can hold: a larger number is no person (and would overflow).
    number = int(value)
    if not 0 < number < 2**63:
        raise ValueError(value)
    return number


class _AnyPersonField(forms.TypedChoiceField):
    """A choice of a person by id that does not need the page's list to read one: the view
    looks the id up among those it may be (an id that is not a number is refused here)."""

    def valid_value(self, value: Any) -> bool:
        return True


class FollowerForm(forms.Form):
    """Add a follower to a request (SPEC X5): a colleague of its customer, or an address.
    The colleague is an id here; the view finds them among the request's customer's own
    people (support.followers.colleagues_of), so no other id is ever accepted."""

    colleague = _AnyPersonField(label=_("A colleague"), required=False, coerce=_person_id,
                                empty_value=None)
    email = forms.EmailField(label=_("Or an e-mail address (CC)"), required=False,
                             max_length=254)

    def __init__(self, *args: Any, colleagues: Sequence[tuple[int, str]] = (), **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        self.offer(colleagues)

    def offer(self, colleagues: Sequence[tuple[int, str]]) -> None:
        """The colleagues the page offers; what is sent back is checked by the view and the
        action, never taken from this list."""
        field = self.fields["colleague"]
        assert isinstance(field, _AnyPersonField)
        field.choices = [("", _("Choose a colleague")), *colleagues]

    def add_to(self, task: Task, *, by: User | None = None,
               by_portal_user: PortalUser | None = None) -> bool:
        """Add the follower chosen to `task` (support.followers.add_follower), by staff (`by`)
        or by a portal user; False, with the form's errors, when the form or the action
        refuses it. The colleague is looked up among the task's own customer's people only."""
        if not self.is_valid():
            return False
        colleague = None
        if self.cleaned_data["colleague"] is not None:
            colleague = followers.colleagues_of(task).filter(
                pk=self.cleaned_data["colleague"]).first()
            if colleague is None:
                self.add_error("colleague", _("Choose one of the colleagues offered."))
                return False
        try:
            followers.add_follower(task=task, portal_user=colleague,
                                   email=self.cleaned_data["email"] or "", by=by,
                                   by_portal_user=by_portal_user)
        except ValidationError as error:
            self.add_error(None, error)
            return False
        return True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and (data.get("colleague") is None) == (not data.get("email")):
            raise forms.ValidationError(_("Choose a colleague or enter an e-mail address."))
        return data
