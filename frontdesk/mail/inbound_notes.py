"""What the log says about an incoming e-mail, in the reader's language: the notes are kept
as data (mail.inbound) and written here."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def note_line(note: dict[str, Any]) -> str:
    kind, name = note.get("kind"), str(note.get("name", ""))
    if kind == "file_too_large":
        return _("“%(name)s” (%(size)s) was left out: larger than the limit for files.") % {
            "name": name, "size": filesizeformat(note.get("size", 0))}
    if kind == "too_many_files":
        return _("“%(name)s” was left out: too many files in one e-mail.") % {"name": name}
    if kind == "empty_file":
        return _("“%(name)s” was left out: it is empty.") % {"name": name}
    if kind == "closed_request":
        return _("It answers request #%(number)s, which is closed: it became a new "
                 "request.") % {"number": note.get("task", "")}
    return str(kind)


def note_lines(notes: object) -> list[str]:
    if not isinstance(notes, list):
        return []
    return [note_line(note) for note in notes if isinstance(note, dict)]
