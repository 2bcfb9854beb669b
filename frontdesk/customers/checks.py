"""The checks every customer action runs on its input: the model's own validation as
field-keyed messages, raised all at once (customers.services, contacts, custom_fields)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


def raise_if(errors: dict[str, list[str]]) -> None:
    """Every field's errors at once, so a form shows them all; nothing when there are none."""
    if errors:
        raise ValidationError(errors)


def model_errors(instance: models.Model, exclude: list[str]) -> dict[str, list[str]]:
    """The model's own checks (required, lengths, e-mail format) as field-keyed messages."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        return {key: [str(m) for m in messages]
                for key, messages in error.message_dict.items()}
    return {}
