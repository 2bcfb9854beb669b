from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from frontdesk.lib.forms import NewPasswordForm
from frontdesk.lib.prepared import prepared
from frontdesk.lib.uploads import MultipleFileField
from frontdesk.organizations.models import Organization
from frontdesk.support.models import Rating, Topic


@prepared
def _topics_of(org_id: int) -> QuerySet[Topic]:
    return Topic.objects.for_org(org_id).order_by("position", "id")


class TopicChoiceMixin(forms.Form):
    """Adds the topic choice when the organization has more than one topic (SPEC T3)."""

    def setup_topics(self, organization: Organization) -> None:
        # One query for the topics, used both for the choices and to find the chosen one.
        self.topics = {str(topic.pk): topic for topic in _topics_of(organization.pk)}
        for topic in self.topics.values():
            topic.organization = organization  # loaded by this request already
        if len(self.topics) > 1:
            self.fields["topic"] = forms.ChoiceField(
                label=_("Topic"),
                choices=[("", _("Choose a topic"))]
                + [(key, topic.name) for key, topic in self.topics.items()])
            # Put the topic before the title.
            order = ["topic"] + [name for name in self.fields if name != "topic"]
            self.order_fields(order)

    def chosen_topic(self) -> Topic:
        if "topic" in self.cleaned_data:
            return self.topics[self.cleaned_data["topic"]]
        return next(iter(self.topics.values()))


class PublicRequestForm(TopicChoiceMixin):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea,
                                  max_length=50_000)
    attachments = MultipleFileField(label=_("Files"))
    # A field people never see; bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_topics(organization)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class PortalRequestForm(TopicChoiceMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea,
                                  max_length=50_000)
    attachments = MultipleFileField(label=_("Files"))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_topics(organization)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea, max_length=50_000)
    attachments = MultipleFileField(label=_("Files"))


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))


class NewLinkForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)


class SignUpForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    # Left empty by people; filled in by the robots that fill in every field.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={
        "autocomplete": "off", "tabindex": "-1"}))


class SetPasswordForm(NewPasswordForm):
    """A portal user's password (chosen from a passwordless-link session)."""


class ProfileForm(forms.Form):
    """A portal user's name and language (SPEC P5)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False,
        choices=[("", _("The organization's language")), *settings.LANGUAGES])


class RatingForm(forms.Form):
    """How the customer found the handling of their closed request (SPEC X2)."""

    rating = forms.ChoiceField(label=_("How did we do?"), choices=Rating.choices,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Anything to add? (optional)"), required=False,
                              max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
