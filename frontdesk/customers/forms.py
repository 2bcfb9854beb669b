"""Forms of the customers area. They check the shape of the input; the actions in services.py
check the rest (e.g. a duplicate e-mail) and their errors are shown with `show_action_errors`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from frontdesk.accounts.models import User
from frontdesk.customers.models import Contact, Customer, CustomField
from frontdesk.organizations.forms import StaffChoiceField
from frontdesk.organizations.models import Organization
from frontdesk.organizations.queries import staff_users

# The details typed here are a customer's, not the staff member's: no browser autofill.
NOT_MINE = {"autocomplete": "off"}


def show_action_errors(form: forms.Form, error: ValidationError) -> None:
    """Put an action's errors next to the form's fields; any other error above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        form.add_error(key if key in form.fields else None, messages)


class CustomerForm(forms.Form):
    """Short name, full name, phone and e-mail (SPEC C3), then the organization's own fields."""

    short_name = forms.CharField(label=_("Short name"), max_length=120)
    full_name = forms.CharField(label=pgettext_lazy("company", "Full name"), max_length=250,
                                required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False,
                            widget=forms.TextInput(attrs=NOT_MINE))
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False,
                             widget=forms.EmailInput(attrs=NOT_MINE))
    support_until = forms.DateField(
        label=_("Support contract until"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The customer's people are reminded before it ends (portal settings)."))

    def __init__(self, *args: Any, custom_fields: Sequence[CustomField], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.custom_fields = list(custom_fields)
        for field in self.custom_fields:
            self.fields[field.form_key] = forms.CharField(label=field.name, max_length=500,
                                                          required=False)

    @staticmethod
    def initial_for(customer: Customer, values: Sequence[tuple[CustomField, str]]
                    ) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "short_name": customer.short_name, "full_name": customer.full_name,
            "phone": customer.phone, "email": customer.email,
            "support_until": customer.support_until}
        initial.update({field.form_key: value for field, value in values})
        return initial

    def custom_values(self) -> dict[int, str]:
        """The custom field values entered, by field id (for the actions)."""
        return {field.pk: self.cleaned_data.get(field.form_key, "")
                for field in self.custom_fields}


class ContactForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False,
                             widget=forms.EmailInput(attrs=NOT_MINE))
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False,
                            widget=forms.TextInput(attrs=NOT_MINE))

    @staticmethod
    def initial_for(contact: Contact) -> dict[str, str]:
        return {"first_name": contact.first_name, "last_name": contact.last_name,
                "position": contact.position, "email": contact.email, "phone": contact.phone}


class CustomFieldForm(forms.Form):
    name = forms.CharField(label=_("Field name"), max_length=80,
                           help_text=_("For example “Invoice no.” or “Registration no.”"))


class RenameCustomFieldForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class InvitePortalUsersForm(forms.Form):
    """People to give access to a customer's portal account (SPEC P8)."""

    emails = forms.CharField(
        label=_("E-mail addresses"), max_length=5000,
        help_text=_("One per line, or separated by commas. Each gets an e-mail with a link to "
                    "choose a password."),
        widget=forms.Textarea(attrs={"rows": 3, **NOT_MINE}))

    def addresses(self) -> list[str]:
        text: str = self.cleaned_data["emails"]
        return [part.strip() for part in text.replace(",", "\n").replace(";", "\n").split("\n")
                if part.strip()]


class ManagersForm(forms.Form):
    """A customer's portal customer managers (SPEC C5)."""

    managers = StaffChoiceField(
        label=_("Portal customer managers"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A topic set to “the customer's managers” sends this customer's requests "
                    "to them, and they are told of the files the customer sends."))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["managers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        # The organization's active staff: no one else may be chosen, whatever is posted.
        field.queryset = staff_users(organization).filter(is_active=True)
