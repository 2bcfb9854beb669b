from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from frontdesk.accounts.models import User
from frontdesk.organizations.models import Group, Organization
from frontdesk.support.models import AssignmentMode
from frontdesk.support.topic_fields import MAX_FIELDS, FieldDefinition, FieldKind


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none(),
                                   help_text=_("Requests on this topic become tasks in this "
                                               "group."))
    assignees = forms.ModelMultipleChoiceField(
        label=_("Assignees"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("New requests on this topic go to them, as chosen below, and they are "
                    "notified."))
    assignment = forms.ChoiceField(
        label=_("Automatic assignment"), choices=AssignmentMode.choices, required=False,
        initial=AssignmentMode.ALL, widget=forms.RadioSelect,
        help_text=_("Only active staff count. Round-robin gives each new request to the next "
                    "assignee in turn; the other way, to the one with the fewest open "
                    "requests."))
    to_customer_managers = forms.BooleanField(
        label=_("Send a customer's requests to its portal customer managers instead"),
        required=False,
        help_text=_("For a customer that has managers, only they are assigned; for any other "
                    "customer, the assignees above."))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = Group.objects.for_org(organization)
        assignee_field = self.fields["assignees"]
        assert isinstance(assignee_field, forms.ModelMultipleChoiceField)
        assignee_field.queryset = User.objects.filter(
            memberships__organization=organization).order_by("full_name")


class FieldDefinitionForm(forms.Form):
    """One field of a topic's form (SPEC T3), as staff set it up."""

    key = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)
    label = forms.CharField(label=_("Label"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=FieldKind.choices,
                             initial=FieldKind.SHORT_TEXT)
    required = forms.BooleanField(label=_("Required"), required=False)
    help = forms.CharField(label=_("Help text"), required=False, max_length=500)
    choices = forms.CharField(label=_("Options"), required=False, max_length=10_000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("For a choice from a list: one option a line."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if (cleaned.get("kind") == FieldKind.CHOICE
                and not str(cleaned.get("choices") or "").strip()):
            self.add_error("choices", _("Give the options, one a line."))
        return cleaned

    def definition(self) -> dict[str, Any]:
        """What save_topic takes for this field."""
        data = self.cleaned_data
        return {"key": data["key"], "label": data["label"], "kind": data["kind"],
                "required": data["required"], "help": data["help"],
                "choices": str(data["choices"]).splitlines()}


class FieldDefinitionFormSet(forms.BaseFormSet[FieldDefinitionForm]):
    def add_fields(self, form: FieldDefinitionForm, index: int | None) -> None:
        super().add_fields(form, index)
        # Named for what they do here: the field's place on the form, and its removal.
        form.fields["ORDER"].label = _("Position")
        form.fields["DELETE"].label = _("Remove this field")

    def definitions(self) -> list[dict[str, Any]]:
        """The fields kept, in the order given (those without a position last)."""
        return [form.definition() for form in self.ordered_forms]


def field_formset(data: Any, initial: list[dict[str, Any]] | None) -> FieldDefinitionFormSet:
    """The fields of a topic's form on its page: one box each and one empty to add a field."""
    formset_class = forms.formset_factory(
        FieldDefinitionForm, formset=FieldDefinitionFormSet, extra=1, can_order=True,
        can_delete=True, max_num=MAX_FIELDS, validate_max=True)
    formset = formset_class(data, prefix="fields", initial=initial)
    assert isinstance(formset, FieldDefinitionFormSet)
    return formset


def field_formset_initial(definitions: list[FieldDefinition]) -> list[dict[str, Any]]:
    return [{"key": d["key"], "label": d["label"], "kind": d["kind"],
             "required": d["required"], "help": d["help"], "choices": "\n".join(d["choices"]),
             "ORDER": position}
            for position, d in enumerate(definitions, start=1)]
