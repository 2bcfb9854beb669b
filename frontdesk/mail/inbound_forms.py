from __future__ import annotations

from typing import Any

from django import forms

from frontdesk.mail.models import InboundSettings
from frontdesk.organizations.models import Organization
from frontdesk.support.models import Topic


class InboundSettingsForm(forms.ModelForm):
    """Receiving e-mail on or off, the support address and the topic (SPEC E2)."""

    class Meta:
        model = InboundSettings
        fields = ["enabled", "support_address", "topic"]

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, forms.ModelChoiceField)
        topic_field.queryset = Topic.objects.for_org(organization).order_by("position", "id")
