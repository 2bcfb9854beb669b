from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.images import get_image_dimensions
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from frontdesk.portal.look import check_css
from frontdesk.portal.models import PortalSettings

MIN_LOGO_PX = 200
MAX_LOGO_BYTES = 2 * 1024 * 1024


class PortalSettingsForm(forms.ModelForm):
    brand_color = forms.CharField(
        label=_("Brand colour"), required=False, max_length=7,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1a73e8."))],
        widget=forms.TextInput(attrs={"placeholder": "#2456c7"}))

    class Meta:
        model = PortalSettings
        fields = ["public_form_enabled", "display_name", "logo", "form_title",
                  "form_description", "brand_color", "stage_open", "stage_in_progress",
                  "stage_waiting", "stage_closed", "show_quotes", "show_invoices",
                  "show_balance", "show_faq", "signup_enabled", "login_message",
                  "custom_css", "announcement", "greeting", "greeting_text", "home_charts",
                  "home_recent_requests", "home_recent_invoices", "home_recent_faq",
                  "home_recent_documents", "home_handlers", "portal_for", "seen_by_default",
                  "show_documents", "support_reminder_days"]
        # One module of the portal (SPEC P15): the tasks and the files shared with the customer.
        labels = {"show_documents": _("show the tasks and files shared with the customer")}
        help_texts = {
            "stage_open": _("Empty: the usual name. Staff always see the usual names."),
            "login_message": _("Shown above the log-in form, e.g. who may log in and how to "
                               "reach you."),
            "custom_css": _("Your own style sheet for the portal. It may use images of this "
                            "site or inline images, nothing from another address."),
            "announcement": _("Shown at the top of the portal's home page, e.g. planned "
                              "maintenance."),
            "greeting_text": _("Used when the greeting is a fixed text."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form sent without one of these choices (an older page, a script) keeps the one
        # there is.
        for name in self.KEPT_WHEN_MISSING:
            self.fields[name].required = False
        self.fields["support_reminder_days"].required = False

    KEPT_WHEN_MISSING = ("greeting", "portal_for", "seen_by_default")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.KEPT_WHEN_MISSING:
            if not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
        # Left empty (or sent by an older page): kept; 0 is a choice (never).
        if cleaned.get("support_reminder_days") is None:
            cleaned["support_reminder_days"] = self.instance.support_reminder_days
        return cleaned

    def clean_custom_css(self) -> str:
        css: str = self.cleaned_data.get("custom_css", "")
        check_css(css)
        return css

    def clean_logo(self) -> object:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            if logo.size > MAX_LOGO_BYTES:
                raise forms.ValidationError(_("The logo must be smaller than %(mb)s MB.")
                                            % {"mb": MAX_LOGO_BYTES // (1024 * 1024)})
            width, height = get_image_dimensions(logo)
            if not width or not height or width < MIN_LOGO_PX or height < MIN_LOGO_PX:
                raise forms.ValidationError(
                    _("The logo should be at least %(px)s×%(px)s pixels.") % {"px": MIN_LOGO_PX})
        return logo
