from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from frontdesk.lib.uploads import MultipleFileField
from frontdesk.support.models import Status


class StaffPostForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=50_000)
    attachments = MultipleFileField(label=_("Files"))
    visible_to_customer = forms.BooleanField(
        label=_("Visible to customer"), required=False,
        help_text=_("Staff posts are internal unless you tick this."))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
