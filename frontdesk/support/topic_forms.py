from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from frontdesk.accounts.models import User
from frontdesk.organizations.models import Group, Organization


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none(),
                                   help_text=_("Requests on this topic become tasks in this "
                                               "group."))
    assignees = forms.ModelMultipleChoiceField(
        label=_("Assignees"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They are assigned to every new request on this topic and notified."))
    to_customer_managers = forms.BooleanField(
        label=_("Send a customer's requests to its portal customer managers instead"),
        required=False,
        help_text=_("For a customer that has managers, only they are assigned; for any other "
                    "customer, the assignees above."))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = Group.objects.for_org(organization)
        assignee_field = self.fields["assignees"]
        assert isinstance(assignee_field, forms.ModelMultipleChoiceField)
        assignee_field.queryset = User.objects.filter(
            memberships__organization=organization).order_by("full_name")
