from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from frontdesk.api.models import Event


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. “CRM sync”."))


class EndpointForm(forms.Form):
    url = forms.CharField(label=_("URL"), max_length=500,
                          help_text=_("An http:// or https:// address that accepts POST."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=Event.choices,
                                       widget=forms.CheckboxSelectMultiple)
    include_internal_posts = forms.BooleanField(
        label=_("Include internal notes"), required=False,
        help_text=_("Off: only replies the customer sees are sent for “post created”. On: "
                    "staff-only notes are sent too, marked as internal."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
