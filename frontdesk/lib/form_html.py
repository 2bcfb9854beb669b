"""A form field as HTML: its label, widget, help text and errors (templates: core/forms.html).

Written in Python rather than as Jinja2 macros: a form page spent a third of its time calling the
macros, and the staff request detail an eighth. The markup is the one the macros gave; the common
widgets are written out here, anything else falls back to Django's own rendering.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from typing import Any

from django.forms import BaseForm, BoundField
from django.utils import translation
from markupsafe import Markup, escape

from frontdesk.lib.kept import Kept

_INPUT_TYPES = frozenset(("text", "email", "password", "number", "url", "date", "search", "tel"))
_FILE_TYPES = frozenset(("file", "clearablefile", "multiplefile"))
# Widgets rendered as a group of inputs, each with its label, under a legend: the input type.
_GROUPS = {"checkboxselectmultiple": "checkbox", "radioselect": "radio"}


def _kind(widget: Any) -> str:
    """`BoundField.widget_type` (the widget's class name, lower-cased, less "widget" or
    "input"), remembered per class instead of a regular expression per field and page."""
    cls = type(widget)
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = re.sub(r"widget$|input$", "", cls.__name__.lower())
    return kind


_KINDS: dict[type, str] = {}


def field(bf: BoundField | _UnboundField, autofocus: bool = False) -> Markup:
    """A field in its box: label (with a mark when required), widget, help text, errors; the
    help and the errors are tied to the widget (aria-describedby), so a screen reader reads them
    with it."""
    if type(bf) is _UnboundField:
        return bf.html(autofocus)
    assert isinstance(bf, BoundField)
    # An unbound form has no errors (Django would make an empty list per field to say so).
    errors = bf.errors if bf.form.is_bound else ()
    kind = _kind(bf.field.widget)
    auto_id = bf.auto_id
    help_text = bf.help_text
    extra: dict[str, Any] = {}
    if autofocus:
        extra["autofocus"] = True
    if errors:
        # Read with the widget: its errors, then its help (Django ties only the help).
        described_by = f"{auto_id}-errors"
        if help_text:
            described_by += f" {auto_id}_helptext"
        extra["aria-describedby"] = described_by
        extra["aria-invalid"] = "true"
    classes = "field"
    if errors:
        classes += " has-error"
    if kind == "checkbox":
        classes += " field-check"
    w = bf.field.widget
    if kind in _GROUPS:
        # A group of boxes (or radio buttons), each with its own label: the group is named by
        # its legend, and its help and errors are read with it.
        described = extra.get("aria-describedby") or (f"{auto_id}_helptext" if help_text
                                                        else "")
        parts = [f'<fieldset class="{classes}"'
                 + (f' aria-describedby="{escape(described)}">' if described else ">"),
                 f"<legend>{escape(bf.label)}</legend>", widget(bf, None, kind, auto_id)]
        closing = "</fieldset>"
    else:
        parts = [f'<div class="{classes}">']
        closing = "</div>"
        label_for = escape(w.id_for_label(w.attrs.get("id") or auto_id))  # bf.id_for_label
        if kind == "checkbox":
            parts.append(widget(bf, extra, kind, auto_id))
            parts.append(f'<label for="{label_for}">{escape(bf.label)}</label>')
        else:
            required = (' <span class="req" aria-hidden="true">*</span>'
                        if bf.field.required else "")
            parts.append(f'<label for="{label_for}">{escape(bf.label)}{required}</label>')
            parts.append(widget(bf, extra, kind, auto_id))
    if help_text:
        parts.append(f'<p class="help" id="{escape(auto_id)}_helptext">'
                     f"{escape(help_text)}</p>")
    if errors:
        items = "".join(f"<li>{escape(error)}</li>" for error in errors)
        parts.append(f'<ul class="errors" id="{escape(auto_id)}-errors">{items}</ul>')
    parts.append(closing)
    return Markup("\n".join(parts))  # noqa: S704 (every value above is escaped)


def non_field_errors(form: BaseForm | UnboundForm) -> Markup:
    """The form's errors that belong to no field, as a list read out when it appears."""
    errors = form.non_field_errors() if form.is_bound else ()
    if not errors:
        return Markup("")
    items = "".join(f"<li>{escape(error)}</li>" for error in errors)
    return Markup(  # noqa: S704 (every value is escaped)
        f'\n<div class="form-errors" role="alert"><ul>{items}</ul></div>\n')


def widget(bf: BoundField, extra: dict[str, Any] | None = None, kind: str | None = None,
           auto_id: str | None = None) -> Markup:
    """The field's widget, with the attributes Django would give it plus `extra`."""
    w = bf.field.widget
    kind = kind or _kind(w)
    name = escape(bf.html_name)
    if kind in _INPUT_TYPES:
        value = ""
        if kind != "password" or w.render_value:
            formatted = w.format_value(bf.value())
            if formatted is not None:
                value = f' value="{escape(formatted)}"'
        html = (f'<input type="{escape(w.input_type)}" name="{name}"'
                f"{value}{widget_attrs(bf, extra, auto_id)}>")
    elif kind == "textarea":
        text = escape(w.format_value(bf.value()) or "")
        html = f'<textarea name="{name}"{widget_attrs(bf, extra, auto_id)}>\n{text}</textarea>'
    elif kind == "select" and not w.allow_multiple_selected:
        current = bf.value()
        current = "" if current is None else str(current)
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == current else ""}>'
            f"{escape(label)}</option>"
            for value, label in bf.field.choices  # type: ignore[attr-defined]
        )
        html = f'<select name="{name}"{widget_attrs(bf, extra, auto_id)}>{options}</select>'
    elif kind == "checkbox":
        checked = " checked" if bf.value() else ""
        attrs = widget_attrs(bf, extra, auto_id)
        html = f'<input type="checkbox" name="{name}"{checked}{attrs}>'
    elif kind in _GROUPS:
        current = bf.value()
        chosen = ({str(item) for item in current or []} if kind == "checkboxselectmultiple"
                  else {str(current)} if current not in (None, "") else set())
        box_id = escape(bf.auto_id)
        required = " required" if kind == "radioselect" and bf.field.required else ""
        boxes = "".join(
            f'\n<div class="field-check"><input type="{_GROUPS[kind]}" name="{name}" '
            f'value="{escape(value)}" id="{box_id}_{index}"'
            f'{" checked" if str(value) in chosen else ""}{required}> '
            f'<label for="{box_id}_{index}">{escape(label)}</label></div>'
            for index, (value, label) in enumerate(bf.field.choices)  # type: ignore[attr-defined]
        )
        html = f'<div id="{box_id}">{boxes}\n</div>'
    elif kind in _FILE_TYPES and not bf.value():
        multiple = " multiple" if w.allow_multiple_selected else ""
        html = f'<input type="file" name="{name}"{multiple}{widget_attrs(bf, extra, auto_id)}>'
    else:
        return Markup(bf.as_widget(attrs=extra))  # noqa: S704 (Django's escaped rendering)
    return Markup(html)  # noqa: S704 (every value above is escaped)


def widget_attrs(bound_field: BoundField, extra: dict[str, Any] | None = None,
                 auto_id: str | None = None) -> Markup:
    """The attributes Django would put on a field's widget (id, required, maxlength …)."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs({**widget.attrs, **(extra or {})}, widget)
    if auto_id is None:
        auto_id = bound_field.auto_id
    if auto_id and "id" not in attrs:
        attrs["id"] = auto_id
    return Markup(html_attributes(attrs))  # noqa: S704 (every value is escaped)


def html_attributes(attrs: dict[str, Any]) -> str:
    """Django's `flatatt` without its `format_html_join` (a tenth of a form page's time): True
    gives a bare attribute, False and None none, anything else `name="escaped value"`."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {name}")
        elif value is not False and value is not None:
            parts.append(f' {name}="{escape(value)}"')
    return "".join(parts)


class UnboundForm:
    """A form as a page first shows it, empty, for a form class whose fields are fixed by the
    class, or by the hashable keyword arguments `init` (no choices, labels or attributes set
    otherwise): its fields' HTML then depends on the class, those arguments, the initial values
    and the language only, so each field is written once per process and language and served
    from memory. For `field(form["name"])` and
    `non_field_errors(form)`; a submitted form is the form class's own instance, as before.

    Building and writing the staff request page's two small forms (four fields) took 0.35 ms of
    each request, a tenth of the page; Django deep-copies every field of a form it builds."""

    is_bound = False

    def __init__(self, form_class: type[BaseForm],
                 initial: Mapping[str, Hashable] | None = None,
                 init: Mapping[str, Hashable] | None = None) -> None:
        # `init`: keyword arguments of the form class that set its fields (a request's
        # colleagues to choose from): each set of values is written once, then kept too.
        self.form_class = form_class
        self.initial = tuple(sorted((initial or {}).items()))
        self.init = tuple(sorted((init or {}).items()))

    def __getitem__(self, name: str) -> _UnboundField:
        if name not in self.form_class.base_fields:  # type: ignore[attr-defined]
            raise KeyError(name)
        return _UnboundField(self, name)

    def non_field_errors(self) -> tuple[()]:
        return ()


class _UnboundField:
    __slots__ = ("form", "name")

    def __init__(self, form: UnboundForm, name: str) -> None:
        self.form, self.name = form, name

    def html(self, autofocus: bool) -> Markup:
        form = self.form
        key = (form.form_class, form.initial, form.init, self.name, autofocus,
               translation.get_language())
        written = _UNBOUND_HTML.get(key)
        if written is None:
            init: dict[str, Any] = dict(form.init)
            real = form.form_class(initial=dict(form.initial), **init)
            written = field(real[self.name], autofocus)
            _UNBOUND_HTML.keep(key, written, _UNBOUND_KEPT)
        return written


_UNBOUND_HTML = Kept()
_UNBOUND_KEPT = 2_000  # forms × fields × languages × initial values; a handful in practice
