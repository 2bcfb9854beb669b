"""The labels of a model's choices, as pages show them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language

from frontdesk.lib.jinja_memo import FrozenDict

_LABELS: dict[tuple[type[models.Choices], str | None], FrozenDict] = {}


def choice_labels(choices: type[models.Choices]) -> FrozenDict:
    """Every label of `choices` in the active language, by value: translated once per process
    and language (a list page shows two per row; each would otherwise be a lazy string's
    translation, and asking for the active language costs too). Frozen: a page may keep a
    list that reads it (`{% memo %}`)."""
    key = (choices, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = FrozenDict(
            {value: str(label) for value, label in choices.choices})
    return labels


def choice_label(choices: type[models.Choices], value: object) -> str:
    """The label of one choice in the active language (see `choice_labels`)."""
    return choice_labels(choices)[value]
