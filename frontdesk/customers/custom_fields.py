"""Actions on the organization's custom fields (SPEC C3) and the customers' values of them:
the fields themselves (add, rename, remove) and the values the customer actions check and save."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frontdesk.customers.checks import model_errors, raise_if
from frontdesk.customers.models import Customer, CustomField, CustomFieldValue
from frontdesk.organizations.models import Organization

MAX_CUSTOM_FIELDS = 50


def clean_custom_values(organization: Organization, values: Mapping[int, str]
                        ) -> tuple[dict[CustomField, str], dict[str, list[str]]]:
    """The values for the organization's own fields, trimmed. Ids of other organizations'
    fields, or of fields removed while a form was open, are ignored."""
    if not values:
        return {}, {}
    fields = CustomField.objects.for_org(organization).in_bulk(list(values))
    check_length = MaxLengthValidator(CustomFieldValue._meta.get_field("value").max_length)
    cleaned: dict[CustomField, str] = {}
    errors: dict[str, list[str]] = {}
    for field_id, raw in values.items():
        field = fields.get(field_id)
        if field is None:
            continue
        value = (raw or "").strip()
        try:
            check_length(value)
        except ValidationError as error:
            errors[field.form_key] = error.messages
        cleaned[field] = value
    return cleaned, errors


def save_custom_values(customer: Customer, values: Mapping[CustomField, str]) -> None:
    """Store the cleaned values (`clean_custom_values`) on the customer; an empty one removes
    the customer's value of that field."""
    if not values:
        return
    existing = {v.field_id: v for v in CustomFieldValue.objects.filter(
        customer=customer, field__in=list(values))}
    for field, value in values.items():
        current = existing.get(field.pk)
        if not value:
            if current is not None:
                current.delete()
        elif current is None:
            CustomFieldValue.objects.create(organization_id=customer.organization_id,
                                            customer=customer, field=field, value=value)
        elif current.value != value:
            current.value = value
            current.save(update_fields=["value"])


def _check_field_name(organization: Organization, name: str, field: CustomField | None
                      ) -> str:
    name = name.strip()
    candidate = CustomField(organization=organization, name=name)
    errors = model_errors(candidate, exclude=["organization"])
    if not errors:
        taken = CustomField.objects.for_org(organization).filter(name__iexact=name)
        if field is not None:
            taken = taken.exclude(pk=field.pk)
        if taken.exists():
            errors["name"] = [_("There is already a field named “%(name)s”.") % {"name": name}]
    raise_if(errors)
    return name


def _save_field(field: CustomField) -> None:
    try:
        with transaction.atomic():
            field.save()
    except IntegrityError:
        # Another admin added the same name a moment ago.
        raise ValidationError({"name": [_("There is already a field named “%(name)s”.")
                                        % {"name": field.name}]}) from None


@transaction.atomic
def add_custom_field(*, organization: Organization, name: str) -> CustomField:
    """A new detail on every customer of the organization, shown after the existing ones."""
    name = _check_field_name(organization, name, None)
    fields = CustomField.objects.for_org(organization)
    if fields.count() >= MAX_CUSTOM_FIELDS:
        raise ValidationError({"name": [ngettext(
            "An organization can have at most %(max)s custom field.",
            "An organization can have at most %(max)s custom fields.", MAX_CUSTOM_FIELDS)
            % {"max": MAX_CUSTOM_FIELDS}]})
    last = fields.aggregate(last=Max("position"))["last"]
    field = CustomField(organization=organization, name=name,
                        position=0 if last is None else last + 1)
    _save_field(field)
    return field


@transaction.atomic
def rename_custom_field(*, field: CustomField, name: str) -> CustomField:
    """Rename a custom field; the values on customers stay."""
    field.name = _check_field_name(field.organization, name, field)
    _save_field(field)
    return field


@transaction.atomic
def remove_custom_field(*, field: CustomField) -> int:
    """Remove a custom field and every customer's value of it (SPEC C3: it leaves the
    customer form). Returns how many customers had a value."""
    had_value = CustomFieldValue.objects.filter(field=field).count()
    field.delete()
    return had_value


def custom_values_of(customer: Customer, fields: Iterable[CustomField]
                     ) -> list[tuple[CustomField, str]]:
    """Each of `fields` with the customer's value ("" when it has none), in their order."""
    values = dict(CustomFieldValue.objects.filter(customer=customer)
                  .values_list("field_id", "value"))
    return [(field, values.get(field.pk, "")) for field in fields]
