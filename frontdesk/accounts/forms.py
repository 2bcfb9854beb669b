from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from frontdesk.accounts.models import User
from frontdesk.lib.forms import NewPasswordForm, password_field


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class NewAccountForm(NewPasswordForm):
    """Name and password for a person accepting a staff invitation."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = password_field(_("Password"))
    password2 = password_field(_("Password again"))
    field_order = ["full_name", "password1", "password2"]

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def password_owner(self, data: dict[str, Any]) -> User:
        return User(email=self.email, full_name=data.get("full_name", ""))


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language"), required=False,
        choices=[("", _("The organization's language")), *settings.LANGUAGES])


class EmailPreferencesForm(forms.Form):
    """Which notifications also come by e-mail (SPEC T8)."""

    email_new_requests = forms.BooleanField(
        label=_("A new request comes in for me"), required=False)
    email_customer_replies = forms.BooleanField(
        label=_("A customer replies on a request of mine"), required=False)
    email_assignments = forms.BooleanField(
        label=_("Someone assigns a request to me"), required=False)
