from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def password_field(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(label=label, strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))


class NewPasswordForm(forms.Form):
    """A new password typed twice, checked against the password validators."""

    password1 = password_field(_("New password"))
    password2 = password_field(_("New password again"))

    def password_owner(self, data: dict[str, Any]) -> Any:
        """Whom the similarity validator compares the password with (None: nobody)."""
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, self.password_owner(data))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
