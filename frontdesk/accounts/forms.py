from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from frontdesk.accounts.models import User


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class NewAccountForm(forms.Form):
    """Name and password for a person accepting a staff invitation."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language"), required=False,
        choices=[("", _("The organization's language")), *settings.LANGUAGES])
