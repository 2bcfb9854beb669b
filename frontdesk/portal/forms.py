from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.db.models import OuterRef, QuerySet
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from frontdesk.lib.forms import NewPasswordForm
from frontdesk.lib.json_rows import JSONRows
from frontdesk.lib.prepared import prepared
from frontdesk.lib.uploads import MultipleFileField
from frontdesk.organizations.models import Organization
from frontdesk.service_levels.queries import TARGET_COLUMNS, targets_for
from frontdesk.support.followers import MAX_FOLLOWERS
from frontdesk.support.models import Priority, Rating, Topic
from frontdesk.support.topic_fields import form_field


@prepared
def _topics_of(org_id: int) -> QuerySet[Topic]:
    # With each topic, the service targets a new request of it would take (SPEC X8), so
    # that making the request reads none (support.services.NewRequest).
    return Topic.objects.for_org(org_id).annotate(service_targets=JSONRows(
        targets_for(org_id, OuterRef("pk"), Priority.NORMAL), TARGET_COLUMNS,
    )).order_by("position", "id")


class TopicChoiceMixin(forms.Form):
    """Adds the topic choice when the organization has more than one topic, and the fields
    of the topics' own forms (SPEC T3).

    Every topic's fields are in the form, named after their topic (`t<topic>_<field>`):
    without JavaScript the page shows each topic's fields under its name, and the form reads
    (validates and keeps) only those of the topic chosen; a few lines of script
    (portal/topic_fields.js) show only the chosen topic's. The definitions come with the
    topics, in the same one query."""

    def setup_topics(self, organization: Organization) -> None:
        # One query for the topics, used both for the choices and to find the chosen one.
        self.topics = {str(topic.pk): topic for topic in _topics_of(organization.pk)}
        self.topic_field_names: dict[str, list[str]] = {}
        for key, topic in self.topics.items():
            for definition in topic.form_fields:
                name = f"t{key}_{definition['key']}"
                self.fields[name] = form_field(definition)
                self.topic_field_names.setdefault(key, []).append(name)
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

    def _chosen_key(self) -> str | None:
        if "topic" in self.fields:
            return self.cleaned_data.get("topic") or None
        return next(iter(self.topics))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        # The other topics' fields are not the requester's to fill in: their errors and
        # values go (all of them while no topic is chosen: which apply is not known yet).
        chosen = self._chosen_key()
        for key, names in self.topic_field_names.items():
            if key != chosen:
                for name in names:
                    self.errors.pop(name, None)
                    cleaned.pop(name, None)
        return cleaned

    def topic_groups(self) -> list[tuple[Topic, list[BoundField]]]:
        """The topics with fields of their own, each with its fields, to show."""
        return [(self.topics[key], [self[name] for name in names])
                for key, names in self.topic_field_names.items()]

    def answers(self) -> dict[str, Any]:
        """The chosen topic's answers (cleaned values by field key) of a valid form."""
        key = self._chosen_key()
        names = self.topic_field_names.get(key or "", [])
        prefix = f"t{key}_"
        return {name.removeprefix(prefix): self.cleaned_data.get(name) for name in names}


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
    cc = forms.CharField(
        label=_("Copy to (CC)"), required=False, max_length=2000,
        help_text=_("E-mail addresses of colleagues or others who should follow this "
                    "request, separated by commas."))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_topics(organization)

    def clean_cc(self) -> list[str]:
        """The addresses, each once, lower-cased; every one must be an address."""
        addresses = list(dict.fromkeys(
            part.lower() for part in re.split(r"[\s,;]+", self.cleaned_data["cc"]) if part))
        bad = [address for address in addresses if not _is_address(address)]
        if bad:
            raise forms.ValidationError(_("Not an e-mail address: %(addresses)s")
                                        % {"addresses": ", ".join(bad)})
        if len(addresses) > MAX_FOLLOWERS:
            raise forms.ValidationError(_("A request can have at most %(count)s followers.")
                                        % {"count": MAX_FOLLOWERS})
        return addresses


def _is_address(text: str) -> bool:
    try:
        validate_email(text)
    except forms.ValidationError:
        return False
    return True


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
