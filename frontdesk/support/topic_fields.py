"""A support topic's custom form (SPEC T3): the extra fields a requester fills in.

Kept as JSON, on both ends, rather than as rows:
- a topic's field definitions are a list on the topic (`Topic.form_fields`), read with the
  topics the support forms load anyway, so a topic without fields costs the public form no
  statement (the bench's form_get and form_post), and one with fields none more;
- the answers are a list on the request (`Task.answers`), written with its INSERT and read
  with its row on the two pages that show them (staff request page, the requester's portal
  page). Each answer carries the label and kind it was asked with: a field renamed or
  removed later leaves the answers of earlier requests readable as they were given.
They are shown nowhere else (no list, export or search reads them), so nothing needs to
query inside them. This module is their schema: the only code that writes either list
builds it here, and checks it.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class FieldKind(models.TextChoices):
    SHORT_TEXT = "text", gettext_lazy("Short text")
    LONG_TEXT = "textarea", gettext_lazy("Long text")
    NUMBER = "number", gettext_lazy("Number")
    DATE = "date", gettext_lazy("Date")
    CHOICE = "choice", gettext_lazy("Choice from a list")
    YES_NO = "yes_no", gettext_lazy("Yes or no")


class FieldDefinition(TypedDict):
    """One field of a topic's form, as kept in `Topic.form_fields`."""

    key: str  # stable across renames and moves; names the form's input
    label: str
    kind: str  # a FieldKind
    required: bool
    help: str
    choices: list[str]  # the options of a CHOICE field; empty for the other kinds


class Answer(TypedDict):
    """One answer, as kept in `Task.answers`: what was asked, and what was answered (text,
    a number or a date as text, or a yes/no as a boolean)."""

    key: str
    label: str
    kind: str
    value: str | bool


MAX_FIELDS = 30
MAX_CHOICES = 50
_KEY = re.compile(r"^[a-z0-9]{1,16}$")
_TEXT_LIMITS = {FieldKind.SHORT_TEXT: 500, FieldKind.LONG_TEXT: 10_000}


def new_key() -> str:
    return secrets.token_hex(4)


def clean_definitions(fields: Sequence[Mapping[str, Any]]) -> list[FieldDefinition]:
    """Field definitions as they are kept, from what staff entered (in their order); a
    ValidationError (translated) for a definition that cannot be kept."""
    if len(fields) > MAX_FIELDS:
        raise ValidationError(_("A topic's form has %(max)s fields at most."),
                              params={"max": MAX_FIELDS})
    cleaned: list[FieldDefinition] = []
    keys: set[str] = set()
    for field in fields:
        key = str(field.get("key") or "") or new_key()
        if not _KEY.match(key) or key in keys:
            key = new_key()
        keys.add(key)
        label = str(field.get("label") or "").strip()[:200]
        kind = str(field.get("kind") or "")
        if not label:
            raise ValidationError(_("Each field needs a label."))
        if kind not in FieldKind.values:
            raise ValidationError(_("Choose a kind for the field “%(label)s”."),
                                  params={"label": label})
        choices: list[str] = []
        if kind == FieldKind.CHOICE:
            choices = list(dict.fromkeys(
                str(choice).strip()[:200] for choice in field.get("choices") or ()
                if str(choice).strip()))
            if not choices:
                raise ValidationError(_("Give the options of the field “%(label)s”, one a "
                                        "line."), params={"label": label})
            if len(choices) > MAX_CHOICES:
                raise ValidationError(_("A field has %(max)s options at most."),
                                      params={"max": MAX_CHOICES})
        cleaned.append(FieldDefinition(key=key, label=label, kind=kind,
                                       required=bool(field.get("required")),
                                       help=str(field.get("help") or "").strip()[:500],
                                       choices=choices))
    return cleaned


_YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def form_field(definition: FieldDefinition) -> forms.Field:
    """The Django form field that asks `definition`'s question and validates its answer."""
    kind = definition["kind"]
    common: dict[str, Any] = {"label": definition["label"], "required": definition["required"],
                              "help_text": definition["help"]}
    if kind == FieldKind.NUMBER:
        return forms.DecimalField(max_digits=18, decimal_places=6, **common)
    if kind == FieldKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == FieldKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in definition["choices"]],
                                 **common)
    if kind == FieldKind.YES_NO:
        return forms.ChoiceField(choices=_YES_NO, widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=_TEXT_LIMITS[FieldKind(kind)],
                           widget=forms.Textarea(attrs={"rows": 3})
                           if kind == FieldKind.LONG_TEXT else forms.TextInput, **common)


def _stored(kind: str, value: Any) -> str | bool:
    if kind == FieldKind.YES_NO:
        return value in (True, "yes")
    if kind == FieldKind.NUMBER:
        return format(Decimal(value).normalize(), "f")
    if kind == FieldKind.DATE:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return str(value).strip()


def build_answers(definitions: Sequence[FieldDefinition], values: Mapping[str, Any]
                  ) -> list[Answer] | None:
    """The answers to keep with a request: `values` (cleaned, by field key) with each field's
    label and kind; None when there are none. A ValidationError when a required field is
    unanswered or a key is not one of the topic's (the form checks each value's kind)."""
    known = {definition["key"] for definition in definitions}
    if set(values) - known:
        raise ValidationError(_("The answers do not match the topic's form."))
    answers: list[Answer] = []
    for definition in definitions:
        value = values.get(definition["key"])
        if value is None or value == "":
            if definition["required"]:
                raise ValidationError(_("Answer “%(label)s”."),
                                      params={"label": definition["label"]})
            continue
        answers.append(Answer(key=definition["key"], label=definition["label"],
                              kind=definition["kind"], value=_stored(definition["kind"], value)))
    return answers or None


def answer_lines(answers: Sequence[Answer] | None) -> list[tuple[str, str]]:
    """A request's answers as (label, text) to show, in the reader's language."""
    lines = []
    for answer in answers or ():
        value = answer.get("value")
        kind = answer.get("kind")
        if kind == FieldKind.YES_NO:
            text = _("Yes") if value else _("No")
        elif kind == FieldKind.DATE and isinstance(value, str):
            try:
                text = formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
            except ValueError:
                text = value
        else:
            text = str(value)
        lines.append((str(answer.get("label", "")), text))
    return lines
